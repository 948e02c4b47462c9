package hdf5

import (
	"fmt"
)

// chunkRefs lists the stored chunks from the dataset's chunk index.
func (d *Dataset) chunkRefs(chunkBytes int64) ([]chunkRef, error) {
	l := d.layout
	if l.addr == undef {
		return nil, nil // no chunk written yet: all fill
	}
	for _, n := range d.space.dims {
		if n == 0 {
			return nil, nil
		}
	}
	switch l.index {
	case indexBTree1:
		return d.btreeChunks()
	case indexSingle:
		r := chunkRef{off: make([]int64, len(l.chunk)), addr: l.addr, size: chunkBytes}
		if l.filtered {
			r.size, r.mask = l.singleSize, l.singleMask
		}
		return []chunkRef{r}, nil
	case indexImplicit:
		if len(d.filters) > 0 {
			return nil, fmt.Errorf("hdf5: implicit chunk index with filters")
		}
		var refs []chunkRef
		// Every chunk is stored, back to back, so they must fit in the file.
		for i, off := range gridOffsets(d.space.dims, l.chunk, d.f.size/chunkBytes+1) {
			refs = append(refs, chunkRef{off: off, addr: l.addr + int64(i)*chunkBytes, size: chunkBytes})
		}
		return refs, nil
	}
	return d.fixedArrayChunks(chunkBytes)
}

// btreeChunks walks a version 1 B-tree of chunks. Each key holds the
// chunk's stored size, filter mask and offset (plus a trailing 0 for the
// element dimension).
func (d *Dataset) btreeChunks() ([]chunkRef, error) {
	rank := len(d.layout.chunk)
	var refs []chunkRef
	err := d.f.walkBTree1(d.layout.addr, 1, 8+8*(rank+1), func(key []byte, child int64) error {
		c := d.f.cursor(key)
		r := chunkRef{size: int64(c.u32()), mask: c.u32(), addr: child}
		for range rank {
			r.off = append(r.off, int64(min(c.u64(), 1<<62)))
		}
		refs = append(refs, r)
		return c.err
	})
	return refs, err
}

// fixedArrayChunks reads a fixed array index: one entry per chunk of the
// grid, in row-major order. Paged data blocks (more than 2^page bits
// chunks) are refused.
func (d *Dataset) fixedArrayChunks(chunkBytes int64) ([]chunkRef, error) {
	f := d.f
	head, err := f.readAt(d.layout.addr, int64(8+f.lenSize+f.offSize))
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.signature("FAHD")
	c.skip(1) // version
	client, entrySize, pageBits := c.u8(), int(c.u8()), c.u8()
	n, block := c.length(), c.addr()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: fixed array header: %w", c.err)
	}
	if pageBits > 62 || n > 1<<pageBits {
		return nil, fmt.Errorf("hdf5: paged fixed array chunk index is not supported")
	}
	filtered := client == 1
	if entrySize < f.offSize || (filtered && entrySize < f.offSize+5) {
		return nil, fmt.Errorf("hdf5: fixed array entries of %d bytes", entrySize)
	}
	prefix := int64(6 + f.offSize)
	data, err := f.readAt(block, prefix+int64(n)*int64(entrySize))
	if err != nil {
		return nil, err
	}
	c = f.cursor(data)
	c.signature("FADB")
	c.skip(int(prefix) - 4)
	var refs []chunkRef
	for _, off := range gridOffsets(d.space.dims, d.layout.chunk, int64(n)) {
		r := chunkRef{off: off, addr: c.addr(), size: chunkBytes}
		if filtered {
			r.size = int64(min(c.uint(entrySize-f.offSize-4), 1<<40))
			r.mask = c.u32()
		}
		if r.addr != undef {
			refs = append(refs, r)
		}
	}
	return refs, c.err
}
