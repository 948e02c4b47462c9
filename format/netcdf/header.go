package netcdf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/bmkg/mkggraph/format/budget"
)

// Tags that introduce the header's lists.
const (
	tagAbsent    = 0x00
	tagDimension = 0x0A
	tagVariable  = 0x0B
	tagAttribute = 0x0C
)

// decoder reads the header from the front of the input, fetching more of it
// only as parsing needs it, so a small header costs a small read whatever
// the size of the file.
type decoder struct {
	r       io.ReaderAt
	limit   int64  // bytes the header may span: the input size or MaxHeaderSize
	buf     []byte // the input's first len(buf) bytes
	off     int64  // next byte to decode
	version int
	budget  *budget.Budget
}

// Open reads and validates the header of a classic netCDF file of the given
// size. It fails, saying what is wrong, when the header is malformed or
// truncated, or when any variable's data would lie outside the input.
func Open(r io.ReaderAt, size int64) (*File, error) {
	if size < 0 {
		return nil, errors.New("netcdf: negative input size")
	}
	d := &decoder{r: r, limit: min(size, MaxHeaderSize), budget: budget.New(size, MemoryFactor)}
	if err := d.magic(); err != nil {
		return nil, err
	}
	f, err := d.file()
	if err == nil {
		err = f.layout(d.off, size)
	}
	if err != nil {
		return nil, fmt.Errorf("netcdf: CDF-%d: %w", d.version, err)
	}
	return f, nil
}

func (d *decoder) file() (*File, error) {
	f := &File{Version: d.version, budget: d.budget}
	var err error
	if f.NumRecs, err = d.numRecs(); err != nil {
		return nil, err
	}
	if f.Dims, err = d.dims(); err != nil {
		return nil, err
	}
	if f.Attrs, err = d.attrs(); err != nil {
		return nil, fmt.Errorf("global attributes: %w", err)
	}
	if f.Vars, err = d.vars(f.Dims); err != nil {
		return nil, err
	}
	return f, nil
}

func (d *decoder) magic() error {
	if err := d.need(4); err != nil {
		if d.limit < 4 {
			return ErrNotNetCDF
		}
		return fmt.Errorf("netcdf: %w", err)
	}
	b := d.buf[:min(int64(len(d.buf)), 4096)]
	if IsHDF5(b) {
		return ErrHDF5
	}
	v, ok := Detect(b)
	if !ok {
		return ErrNotNetCDF
	}
	d.version, d.off = v, 4
	return nil
}

var errTruncated = errors.New("truncated header")

// streaming marks a file whose writer did not record the number of records.
const streaming = -1

func (d *decoder) numRecs() (int64, error) {
	if d.version == 5 {
		n, err := d.u64()
		if n == math.MaxUint64 {
			return streaming, err
		}
		if err == nil && n > math.MaxInt64 {
			err = fmt.Errorf("number of records %d out of range", n)
		}
		return int64(n), err
	}
	n, err := d.u32()
	if n == math.MaxUint32 {
		return streaming, err
	}
	return int64(n), err
}

// need makes sure n more bytes are in buf, reading more of the input when
// they are not. Reads at least double what is held, so a header is read in
// a few calls.
func (d *decoder) need(n int64) error {
	end := d.off + n
	if n < 0 || end < d.off || end > d.limit {
		if d.limit == MaxHeaderSize {
			return fmt.Errorf("header larger than %d bytes", MaxHeaderSize)
		}
		return errTruncated
	}
	if end <= int64(len(d.buf)) {
		return nil
	}
	want := min(max(end, 2*int64(len(d.buf)), 64<<10), d.limit)
	if err := d.budget.Reserve(want, "netcdf: header"); err != nil {
		return err
	}
	buf := make([]byte, want)
	copy(buf, d.buf)
	got, err := d.r.ReadAt(buf[len(d.buf):], int64(len(d.buf)))
	if int64(len(d.buf)+got) < end {
		if err == nil || err == io.EOF {
			return errTruncated
		}
		return fmt.Errorf("reading header: %w", err)
	}
	d.buf = buf[:len(d.buf)+got]
	return nil
}

func (d *decoder) bytes(n int64) ([]byte, error) {
	if err := d.need(n); err != nil {
		return nil, err
	}
	b := d.buf[d.off : d.off+n]
	d.off += n
	return b, nil
}

func (d *decoder) u32() (uint32, error) {
	b, err := d.bytes(4)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint32(b), nil
}

func (d *decoder) u64() (uint64, error) {
	b, err := d.bytes(8)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(b), nil
}

// nonNeg reads a NON_NEG: 32 bits, or 64 in CDF-5.
func (d *decoder) nonNeg() (int64, error) {
	if d.version == 5 {
		n, err := d.u64()
		if err == nil && n > math.MaxInt64 {
			return 0, fmt.Errorf("count %d out of range", n)
		}
		return int64(n), err
	}
	n, err := d.u32()
	return int64(n), err
}

// offset reads a variable's begin: 32 bits in CDF-1, 64 otherwise.
func (d *decoder) offset() (int64, error) {
	if d.version == 1 {
		n, err := d.u32()
		return int64(n), err
	}
	n, err := d.u64()
	if err == nil && n > math.MaxInt64 {
		return 0, fmt.Errorf("offset %d out of range", n)
	}
	return int64(n), err
}

// count reads the number of elements of a list or array, refusing counts
// that the rest of the header could not hold at minBytes each: the check
// that keeps a forged count from driving an allocation.
func (d *decoder) count(minBytes int64) (int64, error) {
	n, err := d.nonNeg()
	if err != nil {
		return 0, err
	}
	if left := d.limit - d.off; n > left/minBytes {
		return 0, fmt.Errorf("truncated header: a count of %d cannot fit in the %d bytes that remain", n, left)
	}
	return n, nil
}

// entryBytes is charged to the budget for each element of the header's
// lists: the Dim, Attr or Var it becomes (a Var and its slices take some
// 130 bytes, for at least 24 bytes of header).
const entryBytes = 160

// list reads the tag and element count that open a list. ABSENT is a zero
// tag with a zero count.
func (d *decoder) list(tag uint32, what string, minBytes int64) (int64, error) {
	t, err := d.u32()
	if err != nil {
		return 0, err
	}
	n, err := d.count(minBytes)
	if err == nil {
		err = d.budget.ReserveN(n, entryBytes, "netcdf: header")
	}
	if err != nil {
		return 0, fmt.Errorf("%s list: %w", what, err)
	}
	switch {
	case t == tagAbsent && n == 0:
		return 0, nil
	case t == tagAbsent:
		return 0, fmt.Errorf("%s list is marked absent but has %d elements", what, n)
	case t != tag:
		return 0, fmt.Errorf("expected %s list tag %#x, found %#x", what, tag, t)
	}
	return n, nil
}

func (d *decoder) name() (string, error) {
	n, err := d.nonNeg()
	if err != nil {
		return "", err
	}
	if n == 0 || n > MaxNameLen {
		return "", fmt.Errorf("name length %d outside 1..%d", n, MaxNameLen)
	}
	b, err := d.bytes(pad4(n))
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b[:n]) {
		return "", fmt.Errorf("name %q is not UTF-8", b[:n])
	}
	return string(b[:n]), nil
}

// pad4 rounds n up to a multiple of 4, the alignment of everything in the
// header and of non-record variables' data.
func pad4(n int64) int64 { return (n + 3) &^ 3 }
