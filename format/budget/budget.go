// Package budget bounds the memory a parser spends on one input by the
// size of that input: a file of n bytes may cost at most factor·n + Base
// bytes, factor being the format's own (see each package's MemoryFactor).
//
// A parser reserves, before allocating, every buffer whose size comes
// from the input: decoded elements at their in-memory width (widening a
// byte to a float64 costs eight), decompressed bytes, one entry per
// record or list element the input counts. A reservation past the budget
// fails with an *Error, which wraps ErrTooLarge, so that a small file
// declaring huge dimensions, chunks or decompressed sizes is refused
// before anything is allocated. Fixed-size bookkeeping (a header, a name)
// is not reserved: Base covers it. Nor is the garbage a streaming decoder
// makes a token at a time (encoding/xml): the bytes it decodes are.
//
// Reservations are cumulative and never returned: a budget bounds what a
// parse allocates in all, not only what it holds at once, so it also
// bounds the work of inputs that make a parser read the same bytes over
// and over. A Budget may be used from several goroutines.
package budget

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sync/atomic"
)

// Base is what any input may spend whatever its size: the readers'
// fixed costs (a zlib window, an XML decoder, the structures of a small
// header) and one radar sweep of an ordinary radar decoded from a small,
// highly compressible file.
const Base = 4 << 20

// ErrTooLarge is wrapped by every error that refuses an input for what
// it is or declares being larger than a parser accepts: a budget's
// *Error, and a *SizeError from the formats' own size limits.
var ErrTooLarge = errors.New("input too large")

// SizeError is an input refused for its size alone, before any of it is
// read: it is larger than its format accepts at all (each format's
// MaxInputSize).
type SizeError struct {
	Format string // the parser, as its other errors name it: "isd", "quakeml"
	Size   int64  // the input's size in bytes
	Max    int64  // the most the format accepts
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("%s: input is %d bytes, more than the %d allowed", e.Format, e.Size, e.Max)
}

// Unwrap makes errors.Is(err, ErrTooLarge) hold.
func (e *SizeError) Unwrap() error { return ErrTooLarge }

// CheckSize is the first thing a parser does: it refuses an input of size
// bytes with a *SizeError when that is more than max.
func CheckSize(format string, size, max int64) error {
	if size > max {
		return &SizeError{Format: format, Size: size, Max: max}
	}
	return nil
}

// Error is a reservation that did not fit.
type Error struct {
	What  string // what was about to be allocated: "dataset \"time\"", "blob 3"
	Need  int64  // bytes it needed (math.MaxInt64 when the size overflowed)
	Limit int64  // the input's budget
	Input int64  // the input's size
}

func (e *Error) Error() string {
	need := fmt.Sprintf("%d bytes", e.Need)
	if e.Need == math.MaxInt64 {
		need = "more bytes than can be counted"
	}
	return fmt.Sprintf("%s would need %s of memory, more than a %d-byte file may use (%d bytes): "+
		"the file declares more data than its size can justify", e.What, need, e.Input, e.Limit)
}

// Unwrap makes errors.Is(err, ErrTooLarge) hold.
func (e *Error) Unwrap() error { return ErrTooLarge }

// Budget is the memory one parse of one input may use.
type Budget struct {
	input, limit int64
	used         atomic.Int64
}

// New returns the budget of an input of size bytes: factor·size + Base,
// saturating rather than overflowing.
func New(size, factor int64) *Budget {
	return &Budget{input: size, limit: Limit(size, factor)}
}

// Limit is the budget New gives an input of size bytes.
func Limit(size, factor int64) int64 {
	n, ok := Mul(max(size, 0), max(factor, 0))
	if !ok || n > math.MaxInt64-Base {
		return math.MaxInt64
	}
	return n + Base
}

// Reserve takes n bytes from the budget, or fails, taking nothing, when
// they do not fit (or n is negative, which only an overflow upstream
// produces).
func (b *Budget) Reserve(n int64, what string) error {
	if n < 0 {
		return b.refuse(math.MaxInt64, what)
	}
	if used := b.used.Add(n); used > b.limit || used < 0 {
		b.used.Add(-n)
		return b.refuse(n, what)
	}
	return nil
}

// ReserveN reserves count elements of width bytes each, the product
// checked for overflow.
func (b *Budget) ReserveN(count, width int64, what string) error {
	n, ok := Mul(count, width)
	if !ok {
		return b.refuse(math.MaxInt64, what)
	}
	return b.Reserve(n, what)
}

// Check fails as Reserve would, without taking anything: for a size an
// input declares before the parser allocates for it.
func (b *Budget) Check(n int64, what string) error {
	if n < 0 || n > b.limit-b.used.Load() {
		return b.refuse(n, what)
	}
	return nil
}

func (b *Budget) refuse(n int64, what string) error {
	if n < 0 {
		n = math.MaxInt64
	}
	return &Error{What: what, Need: n, Limit: b.limit, Input: b.input}
}

// Used is what has been reserved so far.
func (b *Budget) Used() int64 { return b.used.Load() }

// Limit is the most that may be reserved.
func (b *Budget) Limit() int64 { return b.limit }

// Mul multiplies two non-negative sizes, reporting false on overflow or
// a negative operand.
func Mul(a, b int64) (int64, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	if a != 0 && b > math.MaxInt64/a {
		return 0, false
	}
	return a * b, true
}

// Reader returns r charging the budget for every byte read through it:
// for decompressed streams whose true length is only known once read,
// and whose consumer allocates in proportion to it.
func (b *Budget) Reader(r io.Reader, what string) io.Reader {
	return &reader{r: r, b: b, what: what}
}

type reader struct {
	r    io.Reader
	b    *Budget
	what string
}

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		if rerr := r.b.Reserve(int64(n), r.what); rerr != nil {
			return 0, rerr
		}
	}
	return n, err
}
