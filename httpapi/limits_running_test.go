package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestLimitRunning: at most n requests run at once, a waiting request runs
// when a turn frees up, and one whose deadline passes while it waits is
// answered 503 UNAVAILABLE with Retry-After without running.
func TestLimitRunning(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{}, 10)
	var running, most atomic.Int32
	h := limitRunning(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		started <- struct{}{}
		<-release
		running.Add(-1)
		w.WriteHeader(http.StatusOK)
	}))
	done := make(chan int, 3)
	for range 3 {
		go func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil))
			done <- rec.Code
		}()
	}
	<-started
	<-started
	select {
	case <-started:
		t.Fatal("a third request runs while two hold the turns")
	case <-time.After(100 * time.Millisecond):
	}

	// A request whose deadline passes while it waits.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", nil).WithContext(ctx))
	var body struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Errorf("timed-out wait: %d, Retry-After %q, %s; want 503 UNAVAILABLE with Retry-After", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}

	close(release) // the two running finish, the third gets its turn
	for range 3 {
		if code := <-done; code != http.StatusOK {
			t.Errorf("status %d, want 200", code)
		}
	}
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d ran at once, want 2", m)
	}
}
