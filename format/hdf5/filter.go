package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"sync"
)

// Filter identifiers this package can undo.
const (
	filterDeflate    = 1
	filterShuffle    = 2
	filterFletcher32 = 3
)

type filter struct {
	id     uint16
	name   string
	values []uint32
}

// parseFilters decodes a filter pipeline message (versions 1 and 2).
func parseFilters(b []byte) ([]filter, error) {
	c := &cursor{b: b}
	version, n := c.u8(), int(c.u8())
	if version == 1 {
		c.skip(6)
	} else if version != 2 {
		return nil, fmt.Errorf("hdf5: filter pipeline version %d not supported", version)
	}
	if n > 32 {
		return nil, fmt.Errorf("hdf5: pipeline of %d filters", n)
	}
	fs := make([]filter, 0, n)
	for range n {
		fl := filter{id: c.u16()}
		nameLen := 0
		if version == 1 || fl.id >= 256 {
			nameLen = int(c.u16())
		}
		c.skip(2) // flags: optional or not, the filter must still be undone
		nvalues := int(c.u16())
		if version == 1 {
			nameLen = (nameLen + 7) &^ 7
		}
		fl.name = trimNUL(c.take(nameLen))
		for range min(nvalues, 256) {
			fl.values = append(fl.values, c.u32())
		}
		if version == 1 && nvalues%2 == 1 {
			c.skip(4)
		}
		fs = append(fs, fl)
	}
	if c.err != nil {
		return nil, fmt.Errorf("hdf5: bad filter pipeline message: %w", c.err)
	}
	return fs, nil
}

// chunkDecoder undoes a dataset's filter pipeline, chunk after chunk,
// into two scratch buffers it reuses (each charged to the budget once),
// with one zlib reader: a dataset of many small chunks costs no more than
// one of few large ones.
type chunkDecoder struct {
	d       *Dataset
	want    int64 // bytes in a decoded chunk
	scratch [2][]byte
	next    int // scratch buffer the next stage writes to
	z       io.ReadCloser
}

func (d *Dataset) chunkDecoder(want int64) *chunkDecoder {
	return &chunkDecoder{d: d, want: want}
}

func (c *chunkDecoder) close() {
	if c.z != nil {
		zlibReaders.Put(c.z)
	}
}

// zlibReaders keeps zlib readers, whose windows and tables cost some
// 40 KB each, for the next chunk or dataset.
var zlibReaders sync.Pool

// buffer returns scratch buffer c.next with room for n bytes, and flips
// c.next: a stage's input is the file's data or the other buffer.
func (c *chunkDecoder) buffer(n int64) ([]byte, error) {
	b := c.scratch[c.next]
	if int64(cap(b)) < n {
		if err := c.d.f.budget.Reserve(n, c.d.what()); err != nil {
			return nil, err
		}
		b = make([]byte, n)
		c.scratch[c.next] = b
	}
	c.next ^= 1
	return b[:n], nil
}

// decode undoes the pipeline on one chunk, in reverse order, skipping the
// filters the chunk's mask says were not applied. No stage may produce
// more than a decoded chunk plus a checksum, so a zip bomb stops there.
func (c *chunkDecoder) decode(b []byte, mask uint32) ([]byte, error) {
	fs := c.d.filters
	if len(fs) == 0 {
		if int64(len(b)) < c.want {
			return nil, fmt.Errorf("hdf5: chunk of %d bytes, want %d", len(b), c.want)
		}
		return b[:c.want], nil
	}
	var err error
	for i := len(fs) - 1; i >= 0; i-- {
		if mask&(1<<uint(i)) != 0 {
			continue
		}
		switch fs[i].id {
		case filterDeflate:
			b, err = c.inflate(b)
		case filterShuffle:
			size := c.d.dt.size
			if len(fs[i].values) > 0 {
				size = int(fs[i].values[0])
			}
			b, err = c.unshuffle(b, size)
		case filterFletcher32:
			b, err = checkFletcher32(b)
		default:
			return nil, fmt.Errorf("hdf5: filter %d (%s) is not supported", fs[i].id, filterName(fs[i]))
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(b)) != c.want {
		return nil, fmt.Errorf("hdf5: chunk decodes to %d bytes, want %d", len(b), c.want)
	}
	return b, nil
}

// filterNames are the registered filters this package cannot undo.
var filterNames = map[uint16]string{4: "szip", 5: "n-bit", 6: "scale-offset", 32000: "LZF", 32001: "Blosc",
	32004: "LZ4", 32008: "bitshuffle", 32013: "zfp", 32015: "Zstandard", 32017: "SZ"}

// filterName is the name the file gives a filter, else its registered one.
func filterName(fl filter) string {
	if fl.name != "" {
		return fl.name
	}
	if n, ok := filterNames[fl.id]; ok {
		return n
	}
	return "unregistered"
}

// checkFletcher32 verifies and strips the checksum the Fletcher-32 filter
// appends. The library stores it little-endian; HDF5 1.6.2 to 1.6.4 wrote
// it byte-swapped, which the library also accepts.
func checkFletcher32(b []byte) ([]byte, error) {
	if len(b) < 4 {
		return nil, errShort
	}
	data, stored := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	sum := fletcher32(data)
	if stored != sum && stored != bits.ReverseBytes32(sum) {
		return nil, fmt.Errorf("hdf5: Fletcher-32 checksum mismatch: chunk is corrupt")
	}
	return data, nil
}

// fletcher32 is H5_checksum_fletcher32: sums of big-endian 16-bit words,
// an odd last byte taken as the high byte of a word.
func fletcher32(b []byte) uint32 {
	var s1, s2 uint32
	for len(b) >= 2 {
		n := min(len(b)/2, 360)
		for i := range n {
			s1 += uint32(b[2*i])<<8 | uint32(b[2*i+1])
			s2 += s1
		}
		b = b[2*n:]
		s1 = s1&0xffff + s1>>16
		s2 = s2&0xffff + s2>>16
	}
	if len(b) == 1 {
		s1 += uint32(b[0]) << 8
		s2 += s1
		s1 = s1&0xffff + s1>>16
		s2 = s2&0xffff + s2>>16
	}
	s1 = s1&0xffff + s1>>16
	s2 = s2&0xffff + s2>>16
	return s2<<16 | s1
}

// inflate decompresses a chunk into a scratch buffer of a decoded chunk
// plus a checksum, refusing a stream that would go past it.
func (c *chunkDecoder) inflate(b []byte) ([]byte, error) {
	out, err := c.buffer(c.want + 4)
	if err != nil {
		return nil, err
	}
	if c.z == nil {
		z, _ := zlibReaders.Get().(io.ReadCloser)
		if z == nil {
			if z, err = zlib.NewReader(bytes.NewReader(b)); err != nil {
				return nil, fmt.Errorf("hdf5: deflate: %w", err)
			}
		} else if err = z.(zlib.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
			zlibReaders.Put(z)
			return nil, fmt.Errorf("hdf5: deflate: %w", err)
		}
		c.z = z
	} else if err := c.z.(zlib.Resetter).Reset(bytes.NewReader(b), nil); err != nil {
		return nil, fmt.Errorf("hdf5: deflate: %w", err)
	}
	n := 0
	for n < len(out) && err == nil {
		var k int
		k, err = c.z.Read(out[n:])
		n += k
	}
	switch {
	case err == io.EOF: // the stream ended, its checksum verified
		return out[:n], nil
	case err != nil:
		return nil, fmt.Errorf("hdf5: deflate: %w", err)
	}
	var one [1]byte
	if k, err := c.z.Read(one[:]); k > 0 {
		return nil, fmt.Errorf("hdf5: deflate: chunk inflates past %d bytes", c.want+4)
	} else if err != io.EOF {
		return nil, fmt.Errorf("hdf5: deflate: %v", err)
	}
	return out, nil
}

// unshuffle regroups bytes the shuffle filter gathered by significance.
// A trailing partial element was left as is by the filter.
func (c *chunkDecoder) unshuffle(b []byte, size int) ([]byte, error) {
	if size <= 1 || len(b) < size {
		return b, nil
	}
	out, err := c.buffer(int64(len(b)))
	if err != nil {
		return nil, err
	}
	n := len(b) / size
	for i := range size {
		for j := range n {
			out[j*size+i] = b[i*n+j]
		}
	}
	copy(out[n*size:], b[n*size:])
	return out, nil
}
