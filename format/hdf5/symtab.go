package hdf5

import (
	"bytes"
	"fmt"
)

// maxNodes bounds the nodes visited in one walk of any tree, so that a
// corrupt tree whose nodes point at each other ends.
const maxNodes = 1 << 20

// symbolTable lists the links of an old-style group: a version 1 B-tree
// whose leaves are symbol table nodes, with names in a local heap.
func (f *File) symbolTable(b []byte) ([]link, error) {
	c := f.cursor(b)
	tree, heapAddr := c.addr(), c.addr()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: bad symbol table message: %w", c.err)
	}
	heap, err := f.localHeap(heapAddr)
	if err != nil {
		return nil, err
	}
	var ls []link
	err = f.walkBTree1(tree, 0, f.lenSize, func(_ []byte, snod int64) error {
		more, err := f.symbolNode(snod, heap)
		ls = append(ls, more...)
		return err
	})
	return ls, err
}

// localHeap returns the data segment of a local heap.
func (f *File) localHeap(addr int64) ([]byte, error) {
	head, err := f.readUpTo(addr, 8+2*8+8)
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.signature("HEAP")
	c.skip(4) // version, reserved
	size := c.length()
	c.length() // free list head
	data := c.addr()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: local heap at %d: %w", addr, c.err)
	}
	if size > uint64(f.size) {
		return nil, fmt.Errorf("hdf5: local heap at %d claims %d bytes", addr, size)
	}
	return f.readAt(data, int64(size))
}

// symbolNode reads the entries of one symbol table node.
func (f *File) symbolNode(addr int64, heap []byte) ([]link, error) {
	head, err := f.readAt(addr, 8)
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.signature("SNOD")
	c.skip(2) // version, reserved
	n := int64(c.u16())
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: symbol table node at %d: %w", addr, c.err)
	}
	entry := int64(2*f.offSize + 24)
	body, err := f.readAt(addr+8, n*entry)
	if err != nil {
		return nil, err
	}
	c = f.cursor(body)
	ls := make([]link, 0, n)
	for range n {
		nameOff, obj := c.length(), c.addr()
		c.skip(24) // cache type, reserved, scratch pad
		name, err := heapString(heap, nameOff)
		if err != nil {
			return nil, err
		}
		ls = append(ls, link{name: name, addr: obj, order: -1})
	}
	return ls, c.err
}

// heapString is the NUL-terminated string at off in a local heap.
func heapString(heap []byte, off uint64) (string, error) {
	if off >= uint64(len(heap)) {
		return "", fmt.Errorf("hdf5: name offset %d outside local heap of %d bytes", off, len(heap))
	}
	s := heap[off:]
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s), nil
}

// walkBTree1 visits the leaf entries of a version 1 B-tree of the given
// node type (0 group, 1 raw data chunks), passing each child's left key.
func (f *File) walkBTree1(addr int64, typ uint8, keySize int, leaf func(key []byte, child int64) error) error {
	w := &btree1Walk{f: f, typ: typ, keySize: keySize, leaf: leaf, seen: map[int64]bool{}}
	return w.node(addr, -1)
}

type btree1Walk struct {
	f       *File
	typ     uint8
	keySize int
	leaf    func([]byte, int64) error
	seen    map[int64]bool
}

// node visits one node; level is the level its parent expects, -1 at the
// root. Levels must fall by one per step, which also rules out cycles
// through siblings; the seen set rules out the rest.
func (w *btree1Walk) node(addr int64, level int) error {
	if w.seen[addr] || len(w.seen) >= maxNodes {
		return fmt.Errorf("hdf5: B-tree node %d visited twice", addr)
	}
	w.seen[addr] = true
	f := w.f
	head, err := f.readAt(addr, int64(8+2*f.offSize))
	if err != nil {
		return err
	}
	c := f.cursor(head)
	c.signature("TREE")
	typ, lvl, n := c.u8(), int(c.u8()), int64(c.u16())
	if c.err != nil {
		return fmt.Errorf("hdf5: B-tree node at %d: %w", addr, c.err)
	}
	if typ != w.typ || (level >= 0 && lvl != level) {
		return fmt.Errorf("hdf5: B-tree node at %d has type %d level %d, want type %d level %d", addr, typ, lvl, w.typ, level)
	}
	body, err := f.readAt(addr+int64(len(head)), n*int64(w.keySize+f.offSize)+int64(w.keySize))
	if err != nil {
		return err
	}
	c = f.cursor(body)
	for range n {
		key, child := c.take(w.keySize), c.addr()
		if c.err != nil {
			return c.err
		}
		if lvl == 0 {
			err = w.leaf(key, child)
		} else {
			err = w.node(child, lvl-1)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
