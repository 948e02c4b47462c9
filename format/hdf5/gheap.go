package hdf5

import (
	"fmt"
)

// globalHeap reads objects from global heap collections, where
// variable-length data lives, keeping each collection it has read.
type globalHeap struct {
	f           *File
	collections map[int64][]byte
}

func (f *File) globalHeap() *globalHeap {
	return &globalHeap{f: f, collections: map[int64][]byte{}}
}

// maxCollections bounds how many collections one read may load.
const maxCollections = 4096

// object returns object index idx of the collection at addr.
func (g *globalHeap) object(addr int64, idx uint32) ([]byte, error) {
	col, err := g.collection(addr)
	if err != nil {
		return nil, err
	}
	c := g.f.cursor(col)
	c.skip(8 + g.f.lenSize)
	for c.left() >= 8+g.f.lenSize {
		i, _ := c.u16(), c.u16()
		c.skip(4)
		size := c.length()
		if i == 0 {
			break // free space runs to the end of the collection
		}
		if size > uint64(c.left()) {
			return nil, fmt.Errorf("hdf5: global heap object of %d bytes overruns its collection", size)
		}
		data := c.take(int(size))
		if uint32(i) == idx {
			return data, nil
		}
		c.skip(min(int(-size&7), c.left())) // objects are padded to 8 bytes
	}
	return nil, fmt.Errorf("hdf5: global heap collection %d has no object %d", addr, idx)
}

func (g *globalHeap) collection(addr int64) ([]byte, error) {
	if col, ok := g.collections[addr]; ok {
		return col, nil
	}
	if len(g.collections) >= maxCollections {
		return nil, fmt.Errorf("hdf5: too many global heap collections")
	}
	head, err := g.f.readAt(addr, int64(8+g.f.lenSize))
	if err != nil {
		return nil, err
	}
	c := g.f.cursor(head)
	c.signature("GCOL")
	c.skip(4) // version, reserved
	size := c.length()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: global heap at %d: %w", addr, c.err)
	}
	if size < uint64(len(head)) || size > uint64(g.f.size) {
		return nil, fmt.Errorf("hdf5: global heap collection of %d bytes", size)
	}
	col, err := g.f.readAt(addr, int64(size))
	if err != nil {
		return nil, err
	}
	g.collections[addr] = col
	return col, nil
}

// vlenStrings decodes n variable-length string elements: each a length
// and a global heap ID (collection address, object index).
func (f *File) vlenStrings(b []byte, n int) ([]string, error) {
	g := f.globalHeap()
	c := f.cursor(b)
	out := make([]string, 0, min(n, len(b)))
	for range n {
		length, addr, idx := c.u32(), c.addr(), c.u32()
		if c.err != nil {
			return nil, c.err
		}
		if addr == undef || length == 0 {
			out = append(out, "")
			continue
		}
		obj, err := g.object(addr, idx)
		if err != nil {
			return nil, err
		}
		obj = obj[:min(int(length), len(obj))]
		// Many elements may name one heap object: each copy is charged.
		if err := f.budget.Reserve(int64(len(obj)), "hdf5: variable-length strings"); err != nil {
			return nil, err
		}
		out = append(out, string(obj))
	}
	return out, nil
}
