// Package memtest measures what a parse allocates, for the tests that
// hold the parsers to their memory budgets (format/budget).
package memtest

import (
	"runtime"
	"testing"
)

// Allocated runs fn and returns the bytes the process allocated meanwhile
// (runtime.MemStats.TotalAlloc), which bounds the heap's growth: tests
// that measure must not run in parallel with others.
func Allocated(fn func()) int64 {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return int64(b.TotalAlloc - a.TotalAlloc)
}

// Within runs fn, fails t if it allocated more than limit bytes, and logs
// what it allocated per byte of an input of size bytes. It returns that
// ratio.
func Within(t testing.TB, name string, size, limit int64, fn func()) float64 {
	t.Helper()
	n := Allocated(fn)
	ratio := float64(n) / float64(max(size, 1))
	t.Logf("%s: %d bytes allocated for %d bytes of input (%.2f per byte), budget %d", name, n, size, ratio, limit)
	if n > limit {
		t.Errorf("%s: allocated %d bytes, more than its budget of %d for %d bytes of input", name, n, limit, size)
	}
	return ratio
}
