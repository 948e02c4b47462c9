package hdf5

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// ErrNotFound is returned (wrapped) when a group has no link of the name
// asked for.
var ErrNotFound = errors.New("hdf5: no such object")

// Group is an HDF5 group. Only hard links are followed: soft and external
// links are left out of Names, as they may point outside the file.
type Group struct {
	f    *File
	addr int64
	name string
	// The links, read once: opening each member by name would otherwise
	// read them all again, a cost that grows with the square of their
	// number.
	once    sync.Once
	members []link
	err     error
}

// Name is the group's link name ("/" for the root group).
func (g *Group) Name() string { return g.name }

// link is a hard link from a group to an object header.
type link struct {
	name  string
	addr  int64
	order int64 // creation order, -1 if the file does not track it
}

// Names lists the group's members, in creation order when the file
// tracks it (netCDF-4 does, and its variables keep that order), else in
// name order.
func (g *Group) Names() ([]string, error) {
	ls, err := g.links()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.name
	}
	return names, nil
}

// Group opens a member group.
func (g *Group) Group(name string) (*Group, error) {
	o, err := g.member(name)
	if err != nil {
		return nil, err
	}
	if o.find(msgLayout) != nil {
		return nil, fmt.Errorf("hdf5: %q is a dataset, not a group", name)
	}
	return &Group{f: g.f, addr: o.addr, name: name}, nil
}

// Dataset opens a member dataset, reading its type, shape and layout.
func (g *Group) Dataset(name string) (*Dataset, error) {
	o, err := g.member(name)
	if err != nil {
		return nil, err
	}
	return g.f.dataset(name, o)
}

// Attrs reads the group's attributes.
func (g *Group) Attrs() ([]Attr, error) {
	o, err := g.f.readObject(g.addr)
	if err != nil {
		return nil, err
	}
	return g.f.attrs(o)
}

func (g *Group) member(name string) (*object, error) {
	ls, err := g.links()
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		if l.name == name {
			return g.f.readObject(l.addr)
		}
	}
	return nil, fmt.Errorf("%w: %q in group %q", ErrNotFound, name, g.name)
}

// links gathers the links of all three storage styles a group may use:
// a symbol table (files before HDF5 1.8), link messages in the header
// (compact) and a fractal heap indexed by a version 2 B-tree (dense).
func (g *Group) links() ([]link, error) {
	g.once.Do(func() { g.members, g.err = g.readLinks() })
	return g.members, g.err
}

func (g *Group) readLinks() ([]link, error) {
	o, err := g.f.readObject(g.addr)
	if err != nil {
		return nil, err
	}
	var ls []link
	if m := o.find(msgSymbolTable); m != nil {
		if ls, err = g.f.symbolTable(m.data); err != nil {
			return nil, err
		}
	}
	for _, m := range o.msgs {
		if m.typ != msgLink {
			continue
		}
		l, hard, err := g.f.parseLink(m.data)
		if err != nil {
			return nil, err
		}
		if hard {
			ls = append(ls, l)
		}
	}
	if m := o.find(msgLinkInfo); m != nil {
		dense, err := g.f.denseLinks(m.data)
		if err != nil {
			return nil, err
		}
		ls = append(ls, dense...)
	}
	sortLinks(ls)
	return ls, nil
}

func sortLinks(ls []link) {
	ordered := true
	for _, l := range ls {
		ordered = ordered && l.order >= 0
	}
	sort.SliceStable(ls, func(i, j int) bool {
		if ordered {
			return ls[i].order < ls[j].order
		}
		return ls[i].name < ls[j].name
	})
}

// parseLink decodes a link message; hard is false for soft, external and
// user-defined links, which are skipped.
func (f *File) parseLink(b []byte) (l link, hard bool, err error) {
	c := f.cursor(b)
	if v := c.u8(); v != 1 && c.err == nil {
		return l, false, fmt.Errorf("hdf5: link message version %d not supported", v)
	}
	flags := c.u8()
	kind := uint8(0)
	if flags&0x08 != 0 {
		kind = c.u8()
	}
	l.order = -1
	if flags&0x04 != 0 {
		l.order = int64(c.u64() & (1<<62 - 1))
	}
	if flags&0x10 != 0 {
		c.skip(1) // character set
	}
	n := c.uint(1 << (flags & 3))
	l.name = string(c.take(int(min(n, 1<<20))))
	if kind == 0 {
		l.addr = c.addr()
	}
	if c.err != nil {
		return l, false, fmt.Errorf("hdf5: bad link message: %w", c.err)
	}
	return l, kind == 0, nil
}

// denseLinks reads the links a link info message keeps in a fractal heap,
// walking the name index.
func (f *File) denseLinks(b []byte) ([]link, error) {
	c := f.cursor(b)
	c.skip(1) // version
	flags := c.u8()
	if flags&1 != 0 {
		c.skip(8) // maximum creation index
	}
	heapAddr, nameIndex := c.addr(), c.addr()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: bad link info message: %w", c.err)
	}
	if heapAddr == undef {
		return nil, nil
	}
	h, err := f.openHeap(heapAddr)
	if err != nil {
		return nil, err
	}
	var ls []link
	err = f.walkBTree2(nameIndex, 5, func(rec []byte) error {
		if len(rec) < 4 {
			return errShort
		}
		obj, err := h.get(rec[4:])
		if err != nil {
			return err
		}
		l, hard, err := f.parseLink(obj)
		if hard {
			ls = append(ls, l)
		}
		return err
	})
	return ls, err
}
