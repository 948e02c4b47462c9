package metrics

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/telemetry"
)

// The per-request and per-field costs of the metrics, for the integrator
// to weigh against a request's (go test ./metrics -run '^$' -bench .).

func BenchmarkObserveRequest(b *testing.B) {
	m := New()
	rec := &telemetry.Request{Operation: "Dashboard"}
	b.ReportAllocs()
	for b.Loop() {
		m.ObserveRequest("/graphql", 200, 3*time.Millisecond, rec)
	}
}

func BenchmarkResolverField(b *testing.B) {
	m := New()
	ext := m.GraphQL().(graphQLExtension)
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		ext.TimeField("Station", "latestObservation", time.Since(start))
	}
}
