package hdf5

import (
	"fmt"
)

// fheap is a fractal heap header: enough of it to find managed and tiny
// objects. Dense links and dense attributes live in such heaps.
type fheap struct {
	f          *File
	addr       int64
	idLen      int
	maxManaged uint64
	width      uint64
	startBlock uint64
	maxDirect  uint64
	rootAddr   int64
	rootRows   int
	offBytes   int    // bytes of a heap offset
	lenBytes   int    // bytes of an object length in a managed ID
	maxOff     uint64 // heap offsets are below this (2^maximum heap size)
	directRows int    // rows of a doubling table that hold direct blocks
	firstBits  int    // log2(startBlock * width)
	checksums  bool
}

func (f *File) openHeap(addr int64) (*fheap, error) {
	head, err := f.readUpTo(addr, int64(4+1+2+2+1+4+12*f.lenSize+3*f.offSize+16))
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.signature("FRHP")
	c.skip(1) // version
	h := &fheap{f: f, addr: addr, idLen: int(c.u16())}
	filterLen, flags := c.u16(), c.u8()
	h.checksums = flags&2 != 0
	h.maxManaged = uint64(c.u32())
	c.skip(f.lenSize + f.offSize) // next huge ID, huge object B-tree
	c.skip(f.lenSize + f.offSize) // free space and its manager
	c.skip(8 * f.lenSize)         // managed, allocated, iterator, counts and sizes
	h.width = uint64(c.u16())
	h.startBlock, h.maxDirect = c.length(), c.length()
	maxHeapBits := int(c.u16())
	c.skip(2) // starting rows of the root indirect block
	h.rootAddr, h.rootRows = c.addr(), int(c.u16())
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: fractal heap at %d: %w", addr, c.err)
	}
	if filterLen != 0 {
		return nil, fmt.Errorf("hdf5: fractal heap at %d: filtered heaps are not supported", addr)
	}
	return h, h.derive(maxHeapBits)
}

// derive checks the doubling table parameters and computes the sizes the
// specification derives from them.
func (h *fheap) derive(maxHeapBits int) error {
	pow2 := func(v uint64) bool { return v > 0 && v&(v-1) == 0 }
	if !pow2(h.width) || !pow2(h.startBlock) || !pow2(h.maxDirect) || h.maxDirect < h.startBlock ||
		h.maxDirect > 1<<30 || maxHeapBits <= 0 || maxHeapBits > 62 || h.rootRows > 64 ||
		log2(h.startBlock)+log2(h.width) > 62 {
		return fmt.Errorf("hdf5: fractal heap at %d: implausible doubling table", h.addr)
	}
	h.offBytes = (maxHeapBits + 7) / 8
	h.maxOff = 1 << maxHeapBits
	h.lenBytes = min((log2(h.maxDirect)+7)/8, bytesFor(h.maxManaged))
	h.directRows = log2(h.maxDirect) - log2(h.startBlock) + 2
	h.firstBits = log2(h.startBlock) + log2(h.width)
	return nil
}

// get returns the object a heap ID names.
func (h *fheap) get(id []byte) ([]byte, error) {
	if len(id) < h.idLen || h.idLen < 1 {
		return nil, fmt.Errorf("hdf5: heap ID of %d bytes, want %d", len(id), h.idLen)
	}
	id = id[:h.idLen]
	if id[0]>>6 != 0 {
		return nil, fmt.Errorf("hdf5: heap ID version %d not supported", id[0]>>6)
	}
	switch (id[0] >> 4) & 3 {
	case 0:
		c := h.f.cursor(id[1:])
		off, n := c.uint(h.offBytes), c.uint(h.lenBytes)
		if c.err != nil {
			return nil, c.err
		}
		return h.managed(off, n)
	case 2:
		return h.tiny(id)
	}
	return nil, fmt.Errorf("hdf5: huge fractal heap objects are not supported")
}

// tiny objects are stored in the ID itself.
func (h *fheap) tiny(id []byte) ([]byte, error) {
	n, data := int(id[0]&0x0f)+1, id[1:]
	if h.idLen > 18 {
		if len(id) < 2 {
			return nil, errShort
		}
		n, data = (int(id[0]&0x0f)<<8|int(id[1]))+1, id[2:]
	}
	if n > len(data) {
		return nil, fmt.Errorf("hdf5: tiny heap object of %d bytes in a %d-byte ID", n, len(id))
	}
	return data[:n], nil
}

func (h *fheap) rowSize(row int) uint64 {
	if row == 0 {
		return h.startBlock
	}
	return h.startBlock << (row - 1)
}

func (h *fheap) rowOffset(row int) uint64 {
	if row == 0 {
		return 0
	}
	return 1 << (h.firstBits + row - 1)
}

// lookup finds the row and column of the block holding offset off of a
// doubling table.
func (h *fheap) lookup(off uint64) (row int, col uint64) {
	if off < h.startBlock*h.width {
		return 0, off / h.startBlock
	}
	high := log2(off)
	row = high - h.firstBits + 1
	return row, (off - 1<<high) / h.rowSize(row)
}

// managed reads n bytes at heap offset off, descending from the root
// through indirect blocks to the direct block that holds them.
func (h *fheap) managed(off, n uint64) ([]byte, error) {
	if n == 0 || n > h.maxManaged || off >= h.maxOff {
		return nil, fmt.Errorf("hdf5: managed heap object of %d bytes at %d", n, off)
	}
	if h.rootRows == 0 {
		return h.direct(h.rootAddr, 0, h.startBlock, off, n)
	}
	iblock, rows, base := h.rootAddr, h.rootRows, uint64(0)
	for range 64 {
		row, col := h.lookup(off - base)
		if row >= rows || col >= h.width {
			return nil, fmt.Errorf("hdf5: heap offset %d outside its indirect block", off)
		}
		child, err := h.entry(iblock, row, col)
		if err != nil {
			return nil, err
		}
		childOff := base + h.rowOffset(row) + col*h.rowSize(row)
		if row < h.directRows {
			return h.direct(child, childOff, h.rowSize(row), off, n)
		}
		iblock, rows, base = child, log2(h.rowSize(row))-h.firstBits+1, childOff
	}
	return nil, fmt.Errorf("hdf5: fractal heap at %d nests too deep", h.addr)
}

// entry reads one child address of an indirect block.
func (h *fheap) entry(iblock int64, row int, col uint64) (int64, error) {
	head := int64(5 + h.f.offSize + h.offBytes)
	idx := int64(row)*int64(h.width) + int64(col)
	b, err := h.f.readAt(iblock, head+(idx+1)*int64(h.f.offSize))
	if err != nil {
		return 0, err
	}
	c := h.f.cursor(b)
	c.signature("FHIB")
	c.skip(int(head - 4 + idx*int64(h.f.offSize)))
	a := c.addr()
	if c.err != nil || a == undef {
		return 0, fmt.Errorf("hdf5: fractal heap indirect block %d: missing child", iblock)
	}
	return a, nil
}

// direct reads n bytes at heap offset off from the direct block at addr,
// which starts at heap offset blockOff and is size bytes long.
func (h *fheap) direct(addr int64, blockOff, size, off, n uint64) ([]byte, error) {
	pos := off - blockOff
	if off < blockOff || pos > size || n > size-pos {
		return nil, fmt.Errorf("hdf5: heap object at %d+%d outside its direct block", off, n)
	}
	sig, err := h.f.readAt(addr, 4)
	if err != nil {
		return nil, err
	}
	if string(sig) != "FHDB" {
		return nil, fmt.Errorf("hdf5: no fractal heap direct block at %d", addr)
	}
	return h.f.readAt(addr+int64(pos), int64(n))
}
