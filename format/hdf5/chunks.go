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
	if l.index == indexBTree1 {
		return d.btreeChunks()
	}
	g, err := d.chunkGrid()
	if err != nil {
		return nil, err
	}
	switch l.index {
	case indexSingle:
		r := chunkRef{off: make([]int64, len(l.chunk)), addr: l.addr, size: chunkBytes}
		if l.filtered {
			r.size, r.mask = l.singleSize, l.singleMask
		}
		return []chunkRef{r}, nil
	case indexImplicit:
		return d.implicitChunks(g, chunkBytes)
	case indexFixedArray:
		return d.fixedArrayChunks(g, chunkBytes)
	case indexExtensible:
		return d.extensibleArrayChunks(g, chunkBytes)
	}
	return d.btree2Chunks(chunkBytes)
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
		if c.err != nil {
			return c.err
		}
		var err error
		refs, err = keep(d.f, refs, r)
		return err
	})
	return refs, err
}

// keep appends a chunk to the list, charging the budget for it: the
// entry, its offset and its key in the set of chunks seen, with room for
// the list's growth. An index's entries take a few bytes of the file
// each, so this is what bounds a long one.
func keep(f *File, refs []chunkRef, r chunkRef) ([]chunkRef, error) {
	if err := f.budget.Reserve(int64(160+16*len(r.off)), "hdf5: chunk index"); err != nil {
		return nil, err
	}
	return append(refs, r), nil
}

// btree2Chunks walks a version 2 B-tree chunk index (datasets with more
// than one unlimited dimension): records of type 10 (address, then the
// chunk's scaled offset) or, with filters, 11 (address, stored size,
// filter mask, scaled offset).
func (d *Dataset) btree2Chunks(chunkBytes int64) ([]chunkRef, error) {
	f, chunk := d.f, d.layout.chunk
	typ := uint8(10)
	if len(d.filters) > 0 {
		typ = 11
	}
	var refs []chunkRef
	err := f.walkBTree2(d.layout.addr, typ, func(rec []byte) error {
		sizeLen := len(rec) - f.offSize - 8*len(chunk)
		if typ == 11 {
			sizeLen -= 4
			if sizeLen < 1 || sizeLen > 8 {
				return fmt.Errorf("hdf5: chunk B-tree records of %d bytes", len(rec))
			}
		} else if sizeLen != 0 {
			return fmt.Errorf("hdf5: chunk B-tree records of %d bytes", len(rec))
		}
		c := f.cursor(rec)
		r := chunkRef{addr: c.addr()}
		if typ == 11 {
			r.size, r.mask = int64(min(c.uint(sizeLen), 1<<40)), c.u32()
		} else {
			r.size = chunkBytes
		}
		for i := range chunk {
			s := c.u64()
			if s > uint64(maxElements) {
				return fmt.Errorf("hdf5: chunk at scaled offset %d", s)
			}
			r.off = append(r.off, int64(s)*chunk[i])
		}
		if c.err != nil {
			return c.err
		}
		var err error
		refs, err = keep(f, refs, r)
		return err
	})
	return refs, err
}

// implicitChunks lists the chunks of the implicit index: every chunk of
// the maximum extent is allocated, back to back, in grid order.
func (d *Dataset) implicitChunks(g chunkGrid, chunkBytes int64) ([]chunkRef, error) {
	if len(d.filters) > 0 {
		return nil, fmt.Errorf("hdf5: implicit chunk index with filters")
	}
	if g.end > (d.f.size-d.layout.addr)/chunkBytes {
		return nil, fmt.Errorf("hdf5: %d implicitly indexed chunks of %d bytes do not fit in the file", g.end, chunkBytes)
	}
	var refs []chunkRef
	for i := range g.end {
		if off, ok := g.offset(i); ok {
			var err error
			if refs, err = keep(d.f, refs, chunkRef{off: off, addr: d.layout.addr + i*chunkBytes, size: chunkBytes}); err != nil {
				return nil, err
			}
		}
	}
	return refs, nil
}

// chunkEntry decodes one fixed or extensible array element: the chunk's
// address and, for filtered chunks, its stored size and filter mask.
type chunkEntry struct {
	size     int // bytes in an element
	filtered bool
	f        *File
	raw      int64 // unfiltered chunk size
}

func (e chunkEntry) check() error {
	if e.size < e.f.offSize || (e.filtered && (e.size < e.f.offSize+5 || e.size > e.f.offSize+12)) || (!e.filtered && e.size != e.f.offSize) {
		return fmt.Errorf("hdf5: chunk index entries of %d bytes", e.size)
	}
	return nil
}

func (e chunkEntry) read(c *cursor, off []int64) chunkRef {
	r := chunkRef{off: off, addr: c.addr(), size: e.raw}
	if e.filtered {
		r.size = int64(min(c.uint(e.size-e.f.offSize-4), 1<<40))
		r.mask = c.u32()
	}
	return r
}

// fixedArrayChunks reads a fixed array index: one entry per chunk of the
// grid, in grid order, in one data block or in pages of 2^pageBits
// entries, each page present only if its bit in the block's bitmap is set.
func (d *Dataset) fixedArrayChunks(g chunkGrid, chunkBytes int64) ([]chunkRef, error) {
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
	e := chunkEntry{size: entrySize, filtered: client == 1, f: f, raw: chunkBytes}
	if err := e.check(); err != nil {
		return nil, err
	}
	if pageBits > 40 || n > uint64(f.size) {
		return nil, fmt.Errorf("hdf5: fixed array of %d entries, pages of 2^%d", n, pageBits)
	}
	total := min(int64(n), g.end)
	prefix := int64(6 + f.offSize)
	pageN := int64(1) << pageBits
	if int64(n) <= pageN { // not paged
		data, err := f.readAt(block, prefix+total*int64(entrySize))
		if err != nil {
			return nil, err
		}
		c = f.cursor(data)
		c.signature("FADB")
		c.skip(int(prefix) - 4)
		return e.run(c, g, 0, total)
	}
	npages := (int64(n) + pageN - 1) / pageN
	bitmap, err := f.readAt(block+prefix, (npages+7)/8)
	if err != nil {
		return nil, err
	}
	pageAt := block + prefix + int64(len(bitmap)) + 4
	var refs []chunkRef
	for p := int64(0); p*pageN < total; p++ {
		if bitmap[p/8]&(0x80>>(p%8)) == 0 {
			continue // page never written: its chunks are all fill
		}
		k := min(pageN, total-p*pageN)
		data, err := f.readAt(pageAt+p*(pageN*int64(entrySize)+4), k*int64(entrySize))
		if err != nil {
			return nil, err
		}
		r, err := e.run(f.cursor(data), g, p*pageN, k)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r...)
	}
	return refs, nil
}

// run decodes n consecutive entries, the first for chunk index first,
// keeping the stored chunks inside the current extent.
func (e chunkEntry) run(c *cursor, g chunkGrid, first, n int64) ([]chunkRef, error) {
	var refs []chunkRef
	for i := range n {
		off, ok := g.offset(first + i)
		r := e.read(c, off)
		if c.err != nil {
			return nil, fmt.Errorf("hdf5: chunk index: %w", c.err)
		}
		if ok && r.addr != undef {
			var err error
			if refs, err = keep(e.f, refs, r); err != nil {
				return nil, err
			}
		}
	}
	return refs, nil
}

// chunkGrid numbers chunks as the version 4 chunk indexes do: in
// row-major order over the chunk counts of the maximum dimensions, with
// the unlimited dimension, if any, moved first ("swizzled").
type chunkGrid struct {
	order []int   // dataset dimension at each swizzled position
	down  []int64 // index step of one chunk along each swizzled position
	have  []int64 // chunks covering the current extent, by dimension
	chunk []int64
	end   int64 // one past the last index inside the current extent
}

func (d *Dataset) chunkGrid() (chunkGrid, error) {
	dims, chunk, maxd := d.space.dims, d.layout.chunk, d.space.max
	rank := len(dims)
	g := chunkGrid{chunk: chunk, down: make([]int64, rank), have: make([]int64, rank)}
	most := make([]int64, rank)
	unlim := 0
	for k := range rank {
		g.have[k] = (dims[k] + chunk[k] - 1) / chunk[k]
		most[k] = g.have[k]
		if len(maxd) == rank {
			if maxd[k] == unlimited {
				unlim = k
			} else if maxd[k] > dims[k] {
				most[k] = (maxd[k] + chunk[k] - 1) / chunk[k]
			}
		}
	}
	g.order = append([]int{unlim}, others(rank, unlim)...)
	step := int64(1)
	g.end = 1
	for i := rank - 1; i >= 0; i-- {
		k := g.order[i]
		g.down[i] = step
		g.end += (g.have[k] - 1) * step
		if most[k] > 0 && step > maxElements/most[k] {
			return g, fmt.Errorf("hdf5: chunk grid of %v chunks is too large", most)
		}
		step *= most[k]
	}
	return g, nil
}

// others lists 0..n-1 without skip.
func others(n, skip int) []int {
	out := make([]int, 0, n)
	for k := range n {
		if k != skip {
			out = append(out, k)
		}
	}
	return out
}

// offset is the element offset of chunk i, and whether it lies inside
// the current extent.
func (g chunkGrid) offset(i int64) ([]int64, bool) {
	off := make([]int64, len(g.order))
	ok := true
	for p, k := range g.order {
		s := i / g.down[p]
		i %= g.down[p]
		ok = ok && s < g.have[k]
		off[k] = s * g.chunk[k]
	}
	return off, ok
}
