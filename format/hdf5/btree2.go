package hdf5

import (
	"fmt"
)

// btree2 is a version 2 B-tree header, with the per-depth sizes the
// library derives from it to encode child pointers.
type btree2 struct {
	f        *File
	typ      uint8
	nodeSize int64
	recSize  int
	depth    int
	nrecSize int   // bytes of a child's record count
	cumSize  []int // bytes of the total records below a child, by depth
	seen     map[int64]bool
}

// prefix is signature, version, type and checksum, the overhead of every node.
const btree2Prefix = 10

// walkBTree2 calls visit with every record of the version 2 B-tree at
// addr, whose records must be of type typ.
func (f *File) walkBTree2(addr int64, typ uint8, visit func(rec []byte) error) error {
	head, err := f.readUpTo(addr, int64(16+f.offSize+2+f.lenSize+4))
	if err != nil {
		return err
	}
	c := f.cursor(head)
	c.signature("BTHD")
	c.skip(1) // version
	t := &btree2{f: f, typ: c.u8(), nodeSize: int64(c.u32()), recSize: int(c.u16()), depth: int(c.u16()), seen: map[int64]bool{}}
	c.skip(2) // split and merge percentages
	root, nrec := c.addr(), int(c.u16())
	if c.err != nil {
		return fmt.Errorf("hdf5: B-tree header at %d: %w", addr, c.err)
	}
	if t.typ != typ {
		return fmt.Errorf("hdf5: B-tree at %d holds records of type %d, want %d", addr, t.typ, typ)
	}
	if err := t.sizes(); err != nil {
		return fmt.Errorf("hdf5: B-tree at %d: %w", addr, err)
	}
	if root == undef || nrec == 0 {
		return nil
	}
	return t.node(root, t.depth, nrec, visit)
}

// sizes derives the field widths of child pointers at each depth, as the
// library does: they depend on how many records could fit below a node.
func (t *btree2) sizes() error {
	if t.recSize <= 0 || t.nodeSize <= btree2Prefix+int64(t.recSize) || t.nodeSize > 1<<20 || t.depth > 64 {
		return fmt.Errorf("node size %d, record size %d, depth %d not plausible", t.nodeSize, t.recSize, t.depth)
	}
	leafMax := uint64((t.nodeSize - btree2Prefix) / int64(t.recSize))
	t.nrecSize = bytesFor(leafMax)
	cum := []uint64{leafMax}
	t.cumSize = []int{0}
	for d := 1; d <= t.depth; d++ {
		ptr := int64(t.f.offSize + t.nrecSize + t.cumSize[d-1])
		max := (t.nodeSize - (btree2Prefix + ptr)) / (int64(t.recSize) + ptr)
		if max <= 0 {
			return fmt.Errorf("no room for records at depth %d", d)
		}
		n := satMul(uint64(max)+1, cum[d-1]) + uint64(max)
		cum = append(cum, min(n, 1<<62))
		t.cumSize = append(t.cumSize, bytesFor(cum[d]))
	}
	return nil
}

func satMul(a, b uint64) uint64 {
	if a != 0 && b > (1<<62)/a {
		return 1 << 62
	}
	return a * b
}

// node visits the records of the node at addr, at the given depth (0 for
// leaves), in key order.
func (t *btree2) node(addr int64, depth, nrec int, visit func([]byte) error) error {
	if t.seen[addr] || len(t.seen) >= maxNodes {
		return fmt.Errorf("hdf5: B-tree node %d visited twice", addr)
	}
	t.seen[addr] = true
	sig := "BTLF"
	if depth > 0 {
		sig = "BTIN"
	}
	data, err := t.f.readAt(addr, min(t.nodeSize, t.f.size-t.f.base-addr))
	if err != nil {
		return err
	}
	c := t.f.cursor(data)
	c.signature(sig)
	c.skip(1) // version
	if typ := c.u8(); typ != t.typ && c.err == nil {
		return fmt.Errorf("hdf5: B-tree node %d holds type %d, want %d", addr, typ, t.typ)
	}
	recs := c.take(nrec * t.recSize)
	if c.err != nil {
		return fmt.Errorf("hdf5: B-tree node %d: %w", addr, c.err)
	}
	if depth == 0 {
		for i := range nrec {
			if err := visit(recs[i*t.recSize : (i+1)*t.recSize]); err != nil {
				return err
			}
		}
		return nil
	}
	return t.children(c, recs, depth, nrec, visit)
}

// children walks an internal node's child pointers, interleaving its own
// records between them.
func (t *btree2) children(c *cursor, recs []byte, depth, nrec int, visit func([]byte) error) error {
	for i := 0; i <= nrec; i++ {
		child, n := c.addr(), int(c.uint(t.nrecSize))
		if depth > 1 {
			c.uint(t.cumSize[depth-1])
		}
		if c.err != nil {
			return fmt.Errorf("hdf5: B-tree internal node: %w", c.err)
		}
		if n > 0 {
			if err := t.node(child, depth-1, n, visit); err != nil {
				return err
			}
		}
		if i < nrec {
			if err := visit(recs[i*t.recSize : (i+1)*t.recSize]); err != nil {
				return err
			}
		}
	}
	return nil
}
