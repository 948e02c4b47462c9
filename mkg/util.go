package mkg

import (
	"fmt"
	"time"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func timeOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func sprint(v any) string { return fmt.Sprint(v) }

// Ptr returns a pointer to v; convenient for optional fields.
func Ptr[T any](v T) *T { return &v }
