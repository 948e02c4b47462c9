// Package httpcount wraps an http.ResponseWriter to learn what a handler
// answered: its status and the bytes of its body.
package httpcount

import "net/http"

// Writer passes everything to the ResponseWriter it wraps, keeping the
// status written (200 when none is) and counting the body's bytes.
type Writer struct {
	http.ResponseWriter
	Status int
	Bytes  int64
}

// New wraps w.
func New(w http.ResponseWriter) *Writer { return &Writer{ResponseWriter: w, Status: http.StatusOK} }

// WriteHeader keeps code and writes it.
func (c *Writer) WriteHeader(code int) { c.Status = code; c.ResponseWriter.WriteHeader(code) }

// Write writes b and counts what was written.
func (c *Writer) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.Bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the wrapped writer (flushes,
// deadlines, hijacking).
func (c *Writer) Unwrap() http.ResponseWriter { return c.ResponseWriter }
