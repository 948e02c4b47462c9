package hdf5

import (
	"fmt"

	"github.com/bmkg/mkggraph/format/budget"
)

// rows is a run [lo, hi) of a dataset's first dimension; a scalar has the
// one row [0, 1).
type rows struct{ lo, hi int64 }

// all is every row of the dataset.
func (d *Dataset) all() rows {
	if len(d.space.dims) == 0 {
		return rows{0, min(d.space.count, 1)}
	}
	return rows{0, d.space.dims[0]}
}

// rowBytes is the size of one row: the elements of all dimensions but the
// first. parseDataspace bounds the element count, so it cannot overflow.
func (d *Dataset) rowBytes() int64 {
	n := int64(d.dt.size)
	for _, x := range d.space.dims[min(1, len(d.space.dims)):] {
		n *= x
	}
	return n
}

// what names the dataset in budget errors.
func (d *Dataset) what() string { return fmt.Sprintf("hdf5: dataset %q", d.name) }

// read returns the elements of rows w in row-major order, file byte order.
// What it allocates is charged to the file's budget first.
func (d *Dataset) read(w rows) ([]byte, error) {
	if w.lo < 0 || w.hi < w.lo || w.hi > d.all().hi {
		return nil, fmt.Errorf("hdf5: dataset %q: rows %d to %d of %d", d.name, w.lo, w.hi, d.all().hi)
	}
	total, ok := budget.Mul(w.hi-w.lo, d.rowBytes())
	if !ok {
		return nil, d.f.budget.Check(-1, d.what())
	}
	if err := d.f.budget.Check(total, d.what()); err != nil {
		return nil, err
	}
	var (
		b   []byte
		err error
	)
	switch l := d.layout; l.class {
	case layoutCompact:
		if int64(len(l.compact)) < d.all().hi*d.rowBytes() {
			return nil, fmt.Errorf("hdf5: dataset %q: compact data of %d bytes, want %d", d.name, len(l.compact), d.all().hi*d.rowBytes())
		}
		b = l.compact[w.lo*d.rowBytes() : w.hi*d.rowBytes()]
	case layoutContiguous:
		if l.addr == undef {
			return d.filled(total)
		}
		b, err = d.f.readAt(l.addr+w.lo*d.rowBytes(), total)
	default:
		b, err = d.readChunked(w, total)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset %q: %w", d.name, err)
	}
	return b, nil
}

// filled is n bytes of fill value, where storage was never written.
func (d *Dataset) filled(n int64) ([]byte, error) {
	if err := d.f.budget.Reserve(n, d.what()); err != nil {
		return nil, err
	}
	b := make([]byte, n)
	if d.fill != nil {
		for i := 0; i+len(d.fill) <= len(b); i += len(d.fill) {
			copy(b[i:], d.fill)
		}
	}
	return b, nil
}

// chunkRef is one stored chunk: its offset in the dataset (in elements),
// where it is, its stored size and which filters were skipped.
type chunkRef struct {
	off  []int64
	addr int64
	size int64
	mask uint32
}

// readChunked reads rows w of a chunked dataset: the buffer is filled,
// then each stored chunk that meets the rows is decoded and copied in.
func (d *Dataset) readChunked(w rows, total int64) ([]byte, error) {
	dims, chunk, es := d.space.dims, d.layout.chunk, int64(d.dt.size)
	chunkBytes := es
	for i := range chunk {
		chunkBytes *= chunk[i] // setChunk bounds the product by maxElements
	}
	if err := d.f.budget.Check(chunkBytes, fmt.Sprintf("hdf5: chunks of %v elements", chunk)); err != nil {
		return nil, err
	}
	refs, err := d.chunkRefs(chunkBytes)
	if err != nil {
		return nil, err
	}
	buf, err := d.filled(total)
	if err != nil || w.lo == w.hi {
		return buf, err
	}
	dec := d.chunkDecoder(chunkBytes)
	defer dec.close()
	seen := map[string]bool{}
	for _, r := range refs {
		if err := d.checkChunk(r, seen); err != nil {
			return nil, err
		}
		if r.off[0] >= w.hi || r.off[0]+chunk[0] <= w.lo {
			continue
		}
		data, err := d.f.readAt(r.addr, r.size)
		if err != nil {
			return nil, err
		}
		if data, err = dec.decode(data, r.mask); err != nil {
			return nil, err
		}
		place(buf, dims, chunk, r.off, data, es, w)
	}
	return buf, nil
}

// checkChunk accepts each chunk once, at an offset on the chunk grid
// inside the dataset, which also bounds the work a corrupt index can cause.
func (d *Dataset) checkChunk(r chunkRef, seen map[string]bool) error {
	if len(r.off) != len(d.space.dims) {
		return fmt.Errorf("hdf5: chunk offset of rank %d", len(r.off))
	}
	for i, o := range r.off {
		if o < 0 || o >= d.space.dims[i] || o%d.layout.chunk[i] != 0 {
			return fmt.Errorf("hdf5: chunk at %v is off the chunk grid of %v", r.off, d.space.dims)
		}
	}
	key := fmt.Sprint(r.off)
	if seen[key] {
		return fmt.Errorf("hdf5: chunk at %v indexed twice", r.off)
	}
	seen[key] = true
	return nil
}

// place copies into dst, which holds rows w of a dataset of shape dims,
// the part of a chunk at off that lies inside them, clipping the parts of
// edge chunks that lie beyond the dataset's extent.
func place(dst []byte, dims, chunk, off []int64, src []byte, es int64, w rows) {
	r := len(dims)
	if r == 1 { // the run is along the rows themselves
		lo, hi := max(off[0], w.lo), min(off[0]+chunk[0], dims[0], w.hi)
		copy(dst[(lo-w.lo)*es:(hi-w.lo)*es], src[(lo-off[0])*es:(hi-off[0])*es])
		return
	}
	run := min(chunk[r-1], dims[r-1]-off[r-1]) * es
	idx := make([]int64, r) // position inside the chunk; idx[r-1] stays 0
	idx[0] = max(0, w.lo-off[0])
	end0 := min(chunk[0], dims[0]-off[0], w.hi-off[0])
	for {
		var s, t int64
		for k := range r {
			s = s*chunk[k] + idx[k]
			pos := off[k] + idx[k]
			if k == 0 {
				pos -= w.lo
			}
			t = t*dims[k] + pos
		}
		copy(dst[t*es:t*es+run], src[s*es:s*es+run])
		k := r - 2
		for ; k >= 0; k-- {
			idx[k]++
			if k == 0 && idx[0] < end0 || k > 0 && idx[k] < chunk[k] && off[k]+idx[k] < dims[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}
