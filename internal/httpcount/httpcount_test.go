package httpcount

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriterKeepsStatusAndCountsBytes(t *testing.T) {
	rec := httptest.NewRecorder()
	w := New(rec)
	if w.Status != http.StatusOK {
		t.Fatalf("status before any write: %d, want 200", w.Status)
	}
	w.WriteHeader(http.StatusTeapot)
	w.Write([]byte("hello, "))
	w.Write([]byte("world"))
	if w.Status != http.StatusTeapot || w.Bytes != 12 || rec.Code != http.StatusTeapot || rec.Body.String() != "hello, world" {
		t.Errorf("status %d, bytes %d; passed on: %d %q", w.Status, w.Bytes, rec.Code, rec.Body.String())
	}
	if http.NewResponseController(w).Flush() != nil || !rec.Flushed {
		t.Error("a flush did not reach the wrapped writer")
	}
}
