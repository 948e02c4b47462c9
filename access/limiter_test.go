package access

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	now := time.Now()
	for range 3 {
		if l.Blocked("10.0.0.1", now) {
			t.Fatal("blocked too early")
		}
		l.Fail("10.0.0.1", now)
	}
	if !l.Blocked("10.0.0.1", now) {
		t.Error("not blocked after 3 failures")
	}
	if l.Blocked("10.0.0.2", now) {
		t.Error("another client is blocked")
	}
	if l.Blocked("10.0.0.1", now.Add(61*time.Second)) {
		t.Error("still blocked after the window")
	}
}
