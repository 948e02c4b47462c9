package hdf5

import (
	"fmt"
)

// dataLimit bounds the decoded size of one dataset read: never more than
// MaxFileSize, and never more than deflate could expand the whole file to
// (about 1032:1), so a small corrupt file cannot demand a large buffer.
func (f *File) dataLimit() int64 { return min(MaxFileSize, 1100*f.size+1<<20) }

// read returns the dataset's elements in row-major order, file byte order.
func (d *Dataset) read() ([]byte, error) {
	total := d.space.count * int64(d.dt.size)
	if total > d.f.dataLimit() {
		return nil, fmt.Errorf("hdf5: dataset %q of %d bytes is too large to read", d.name, total)
	}
	var (
		b   []byte
		err error
	)
	switch l := d.layout; l.class {
	case layoutCompact:
		if int64(len(l.compact)) < total {
			return nil, fmt.Errorf("hdf5: dataset %q: compact data of %d bytes, want %d", d.name, len(l.compact), total)
		}
		b = l.compact[:total]
	case layoutContiguous:
		if l.addr == undef {
			return d.filled(total), nil
		}
		b, err = d.f.readAt(l.addr, total)
	default:
		b, err = d.readChunked(total)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset %q: %w", d.name, err)
	}
	return b, nil
}

// filled is n bytes of fill value, where storage was never written.
func (d *Dataset) filled(n int64) []byte {
	b := make([]byte, n)
	if d.fill != nil {
		for i := 0; i+len(d.fill) <= len(b); i += len(d.fill) {
			copy(b[i:], d.fill)
		}
	}
	return b
}

// chunkRef is one stored chunk: its offset in the dataset (in elements),
// where it is, its stored size and which filters were skipped.
type chunkRef struct {
	off  []int64
	addr int64
	size int64
	mask uint32
}

func (d *Dataset) readChunked(total int64) ([]byte, error) {
	dims, chunk, es := d.space.dims, d.layout.chunk, int64(d.dt.size)
	chunkBytes, padded := es, es
	for i := range chunk {
		chunkBytes *= chunk[i]
		padded *= (dims[i] + chunk[i] - 1) / chunk[i] * chunk[i]
		if chunkBytes > d.f.dataLimit() || padded > 4*d.f.dataLimit() {
			return nil, fmt.Errorf("hdf5: chunks of %v elements too large to read", chunk)
		}
	}
	refs, err := d.chunkRefs(chunkBytes)
	if err != nil {
		return nil, err
	}
	buf := d.filled(total)
	seen := map[string]bool{}
	for _, r := range refs {
		if err := d.checkChunk(r, seen); err != nil {
			return nil, err
		}
		data, err := d.f.readAt(r.addr, r.size)
		if err != nil {
			return nil, err
		}
		if data, err = d.decodeChunk(data, r.mask, chunkBytes); err != nil {
			return nil, err
		}
		place(buf, dims, chunk, r.off, data, es)
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

func (d *Dataset) decodeChunk(data []byte, mask uint32, chunkBytes int64) ([]byte, error) {
	if len(d.filters) > 0 {
		return unfilter(d.filters, data, mask, chunkBytes, d.dt.size)
	}
	if int64(len(data)) < chunkBytes {
		return nil, fmt.Errorf("hdf5: chunk of %d bytes, want %d", len(data), chunkBytes)
	}
	return data[:chunkBytes], nil
}

// place copies a chunk into the dataset buffer, clipping the parts of
// edge chunks that lie beyond the dataset's extent.
func place(dst []byte, dims, chunk, off []int64, src []byte, es int64) {
	r := len(dims)
	run := min(chunk[r-1], dims[r-1]-off[r-1]) * es
	idx := make([]int64, r) // position inside the chunk; idx[r-1] stays 0
	for {
		var s, t int64
		for k := range r {
			s = s*chunk[k] + idx[k]
			t = t*dims[k] + off[k] + idx[k]
		}
		copy(dst[t*es:t*es+run], src[s*es:s*es+run])
		k := r - 2
		for ; k >= 0; k-- {
			idx[k]++
			if idx[k] < chunk[k] && off[k]+idx[k] < dims[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return
		}
	}
}

// gridOffsets lists the offsets of the first limit chunks of the grid in
// row-major order, the order of the implicit and fixed array indexes.
func gridOffsets(dims, chunk []int64, limit int64) [][]int64 {
	var out [][]int64
	cur := make([]int64, len(dims))
	for int64(len(out)) < limit {
		out = append(out, append([]int64(nil), cur...))
		k := len(dims) - 1
		for ; k >= 0; k-- {
			cur[k] += chunk[k]
			if cur[k] < dims[k] {
				break
			}
			cur[k] = 0
		}
		if k < 0 {
			break
		}
	}
	return out
}
