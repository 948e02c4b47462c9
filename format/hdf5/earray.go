package hdf5

import (
	"fmt"
)

// earray is an extensible array header (the chunk index of datasets with
// one unlimited dimension), with the block geometry the library derives
// from it.
type earray struct {
	f                *File
	entry            chunkEntry
	idxBlkElmts      int64
	dblkMin          int64 // elements in the smallest data blocks
	sblkMinPtrs      int64 // data blocks in the smallest super blocks
	pageN            int64 // elements in one data block page
	offLen           int   // bytes of a block's offset in the array
	nsblks           int   // super blocks the array may have
	maxIdx           int64 // elements ever set
	iblock           int64
	seen             map[int64]bool
	refs             []chunkRef
	grid             chunkGrid
	limit            int64 // elements worth reading
	iblockSuperBlcks int   // super blocks whose data blocks the index block points to
}

// extensibleArrayChunks reads an extensible array chunk index: index
// block elements first, then data blocks of growing size, the first few
// pointed to by the index block, the rest through super blocks.
func (d *Dataset) extensibleArrayChunks(g chunkGrid, chunkBytes int64) ([]chunkRef, error) {
	ea, err := d.f.readEArrayHeader(d.layout.addr, chunkBytes)
	if err != nil {
		return nil, err
	}
	ea.grid, ea.limit = g, min(ea.maxIdx, g.end)
	if err := ea.readIndexBlock(); err != nil {
		return nil, err
	}
	return ea.refs, nil
}

func (f *File) readEArrayHeader(addr, chunkBytes int64) (*earray, error) {
	head, err := f.readAt(addr, int64(12+6*f.lenSize+f.offSize+4))
	if err != nil {
		return nil, err
	}
	c := f.cursor(head)
	c.signature("EAHD")
	c.skip(1) // version
	client, elmtSize, maxBits := c.u8(), int(c.u8()), int(c.u8())
	ea := &earray{f: f, idxBlkElmts: int64(c.u8()), dblkMin: int64(c.u8()), sblkMinPtrs: int64(c.u8()), seen: map[int64]bool{}}
	pageBits := int(c.u8())
	c.skip(4 * f.lenSize) // super and data block counts and sizes
	ea.maxIdx = int64(min(c.length(), 1<<62))
	c.length() // elements realized
	ea.iblock = c.addr()
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: extensible array header: %w", c.err)
	}
	ea.entry = chunkEntry{size: elmtSize, filtered: client == 1, f: f, raw: chunkBytes}
	if err := ea.entry.check(); err != nil {
		return nil, err
	}
	if maxBits < 1 || maxBits > 62 || pageBits > 40 || !pow2(ea.dblkMin) || !pow2(ea.sblkMinPtrs) ||
		ea.sblkMinPtrs < 2 || log2(uint64(ea.dblkMin)) > maxBits {
		return nil, fmt.Errorf("hdf5: extensible array parameters %d bits, %d, %d, %d, %d not plausible",
			maxBits, ea.idxBlkElmts, ea.dblkMin, ea.sblkMinPtrs, pageBits)
	}
	ea.pageN = 1 << pageBits
	ea.offLen = (maxBits + 7) / 8
	ea.nsblks = 1 + maxBits - log2(uint64(ea.dblkMin))
	ea.iblockSuperBlcks = 2 * log2(uint64(ea.sblkMinPtrs))
	return ea, nil
}

func pow2(n int64) bool { return n > 0 && n&(n-1) == 0 }

// Super block s holds 2^(s/2) data blocks of 2^((s+1)/2)·dblkMin elements.
func (ea *earray) sblkDblks(s int) int64  { return 1 << (s / 2) }
func (ea *earray) sblkElmts(s int) int64  { return (1 << ((s + 1) / 2)) * ea.dblkMin }
func (ea *earray) sblkIsPaged(s int) bool { return ea.sblkElmts(s) > ea.pageN }

func (ea *earray) readIndexBlock() error {
	f := ea.f
	if ea.iblock == undef {
		return nil
	}
	direct := 2 * (ea.sblkMinPtrs - 1)
	nsup := max(ea.nsblks-ea.iblockSuperBlcks, 0)
	size := int64(6+f.offSize) + ea.idxBlkElmts*int64(ea.entry.size) + (direct+int64(nsup))*int64(f.offSize)
	data, err := f.readAt(ea.iblock, size)
	if err != nil {
		return err
	}
	c := f.cursor(data)
	c.signature("EAIB")
	c.skip(2 + f.offSize) // version, client, header address
	elems := c.take(int(ea.idxBlkElmts) * ea.entry.size)
	dblks := make([]int64, direct)
	for i := range dblks {
		dblks[i] = c.addr()
	}
	sblks := make([]int64, nsup)
	for i := range sblks {
		sblks[i] = c.addr()
	}
	if c.err != nil {
		return fmt.Errorf("hdf5: extensible array index block: %w", c.err)
	}
	if err := ea.elements(f.cursor(elems), 0, ea.idxBlkElmts); err != nil {
		return err
	}
	idx, k := ea.idxBlkElmts, 0
	for s := 0; s < ea.nsblks && idx < ea.limit; s++ {
		n, size := ea.sblkDblks(s), ea.sblkElmts(s)
		if s >= ea.iblockSuperBlcks {
			if err := ea.superBlock(sblks[s-ea.iblockSuperBlcks], s, idx); err != nil {
				return err
			}
			idx += n * size
			continue
		}
		for range n {
			if k >= len(dblks) {
				return fmt.Errorf("hdf5: extensible array index block points to %d data blocks", len(dblks))
			}
			if ea.sblkIsPaged(s) {
				return fmt.Errorf("hdf5: paged extensible array data blocks in the index block are not supported")
			}
			if err := ea.dataBlock(dblks[k], idx, size, nil); err != nil {
				return err
			}
			k, idx = k+1, idx+size
		}
	}
	return nil
}

// superBlock reads super block s, whose first element is idx: its data
// block addresses and, when they are paged, which pages were written.
func (ea *earray) superBlock(addr int64, s int, idx int64) error {
	f := ea.f
	if addr == undef {
		return nil
	}
	n, size := ea.sblkDblks(s), ea.sblkElmts(s)
	var bitmapLen int64
	if ea.sblkIsPaged(s) {
		bitmapLen = (size/ea.pageN + 7) / 8
	}
	data, err := f.readAt(addr, int64(6+f.offSize+ea.offLen)+n*(bitmapLen+int64(f.offSize)))
	if err != nil {
		return err
	}
	c := f.cursor(data)
	c.signature("EASB")
	c.skip(2 + f.offSize + ea.offLen)
	bitmaps := c.take(int(n * bitmapLen))
	for i := range n {
		a := c.addr()
		if c.err != nil {
			return fmt.Errorf("hdf5: extensible array super block: %w", c.err)
		}
		var bm []byte
		if bitmapLen > 0 {
			bm = bitmaps[i*bitmapLen : (i+1)*bitmapLen]
		}
		if idx+i*size >= ea.limit {
			break
		}
		if err := ea.dataBlock(a, idx+i*size, size, bm); err != nil {
			return err
		}
	}
	return nil
}

// dataBlock reads a data block of n elements, the first of which is idx.
// A paged block (bitmap not nil) keeps its elements in pages after its
// header, only those whose bit is set written.
func (ea *earray) dataBlock(addr, idx, n int64, bitmap []byte) error {
	f := ea.f
	if addr == undef {
		return nil
	}
	if ea.seen[addr] || len(ea.seen) >= maxNodes {
		return fmt.Errorf("hdf5: extensible array block %d used twice", addr)
	}
	ea.seen[addr] = true
	prefix := int64(6 + f.offSize + ea.offLen)
	es := int64(ea.entry.size)
	if bitmap == nil {
		k := min(n, ea.limit-idx)
		data, err := f.readAt(addr, prefix+k*es)
		if err != nil {
			return err
		}
		c := f.cursor(data)
		c.signature("EADB")
		c.skip(int(prefix) - 4)
		return ea.elements(c, idx, k)
	}
	pageAt := addr + prefix + 4
	for p := int64(0); p*ea.pageN < n && idx+p*ea.pageN < ea.limit; p++ {
		if bitmap[p/8]&(0x80>>(p%8)) == 0 {
			continue
		}
		k := min(ea.pageN, ea.limit-idx-p*ea.pageN)
		data, err := f.readAt(pageAt+p*(ea.pageN*es+4), k*es)
		if err != nil {
			return err
		}
		if err := ea.elements(f.cursor(data), idx+p*ea.pageN, k); err != nil {
			return err
		}
	}
	return nil
}

// elements decodes up to n elements from c, the first of which is idx.
func (ea *earray) elements(c *cursor, idx, n int64) error {
	n = max(min(n, ea.limit-idx), 0)
	refs, err := ea.entry.run(c, ea.grid, idx, n)
	ea.refs = append(ea.refs, refs...)
	return err
}
