package inmem

import (
	"testing"
	"time"
)

// TestObjectsBoundedAndExpiring: the least recently used entries go first
// once the estimated sizes exceed the budget; expired entries are misses;
// an entry larger than the budget is not kept.
func TestObjectsBoundedAndExpiring(t *testing.T) {
	o := NewObjects(100)
	now := time.Unix(0, 0)
	o.lru.now = func() time.Time { return now }
	o.Put("a", 1, 40, 0)
	o.Put("b", 2, 40, 0)
	o.Get("a") // a is now the most recently used
	o.Put("c", 3, 40, time.Second)
	if _, ok := o.Get("b"); ok {
		t.Error("b kept although it was the least recently used past the budget")
	}
	if v, ok := o.Get("a"); !ok || v != 1 {
		t.Errorf("a = %v, %v", v, ok)
	}
	now = now.Add(time.Second)
	if _, ok := o.Get("c"); ok {
		t.Error("c served after its TTL")
	}
	o.Put("huge", 4, 1000, 0)
	if _, ok := o.Get("huge"); ok || o.Len() != 1 {
		t.Errorf("an entry over the budget was kept (len %d)", o.Len())
	}
}
