package hdf5

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// errShort is recorded by a cursor that ran past the end of its bytes. A
// structure that claims more bytes than it holds is corrupt, whatever the
// field was.
var errShort = errors.New("hdf5: structure truncated")

// undef is the "undefined address" (all bits set), decoded as -1.
const undef = -1

// cursor reads little-endian fields from a byte slice. Its error is sticky,
// so a run of reads can be checked once at the end.
type cursor struct {
	b       []byte
	off     int
	err     error
	offSize int // bytes in an address ("size of offsets")
	lenSize int // bytes in a length ("size of lengths")
}

func (f *File) cursor(b []byte) *cursor {
	return &cursor{b: b, offSize: f.offSize, lenSize: f.lenSize}
}

func (c *cursor) take(n int) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > len(c.b)-c.off {
		c.err = errShort
		return nil
	}
	p := c.b[c.off : c.off+n]
	c.off += n
	return p
}

func (c *cursor) skip(n int)     { c.take(n) }
func (c *cursor) left() int      { return len(c.b) - c.off }
func (c *cursor) u8() uint8      { return uint8(c.uint(1)) }
func (c *cursor) u16() uint16    { return uint16(c.uint(2)) }
func (c *cursor) u32() uint32    { return uint32(c.uint(4)) }
func (c *cursor) u64() uint64    { return c.uint(8) }
func (c *cursor) length() uint64 { return c.uint(c.lenSize) }

// uint reads an n-byte little-endian unsigned integer, n ≤ 8.
func (c *cursor) uint(n int) uint64 {
	p := c.take(n)
	if p == nil || n > 8 {
		return 0
	}
	var v [8]byte
	copy(v[:], p)
	return binary.LittleEndian.Uint64(v[:])
}

// addr reads a file address; the undefined address becomes undef.
func (c *cursor) addr() int64 {
	v := c.uint(c.offSize)
	if c.err != nil {
		return undef
	}
	if v == 1<<(8*uint(c.offSize))-1 || (c.offSize == 8 && v == ^uint64(0)) {
		return undef
	}
	if v > 1<<62 {
		return 1 << 62 // far beyond any file; rejected by the reader
	}
	return int64(v)
}

// signature checks a 4-byte magic.
func (c *cursor) signature(want string) {
	p := c.take(4)
	if c.err == nil && string(p) != want {
		c.err = fmt.Errorf("hdf5: bad signature %q, want %q", p, want)
	}
}

// bytesFor is how many bytes hold values up to max, as the library encodes
// record counts and heap lengths.
func bytesFor(max uint64) int {
	n := 1
	for max >>= 8; max > 0; max >>= 8 {
		n++
	}
	return n
}

// log2 of v, rounded down; 0 for v ≤ 1.
func log2(v uint64) int {
	n := 0
	for v > 1 {
		v >>= 1
		n++
	}
	return n
}
