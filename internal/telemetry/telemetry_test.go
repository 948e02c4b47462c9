package telemetry

import (
	"context"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// TestStartOnlyUnderARecordedSpan: without tracing, or under a request
// that is not sampled, Start makes no span and allocates nothing; under a
// sampled request it makes a child of the request's span with the
// request's provider.
func TestStartOnlyUnderARecordedSpan(t *testing.T) {
	ctx := context.Background()
	if n := testing.AllocsPerRun(100, func() { _, s := Start(ctx, "sql SELECT"); s.End() }); n != 0 {
		t.Errorf("no tracing: %v allocations", n)
	}
	off := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.NeverSample()))
	octx, req := off.Tracer("t").Start(ctx, "request")
	if n := testing.AllocsPerRun(100, func() { _, s := Start(octx, "sql SELECT"); s.End() }); n != 0 {
		t.Errorf("sampled out: %v allocations", n)
	}
	req.End()

	rec := tracetest.NewSpanRecorder()
	on := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	rctx, root := on.Tracer("t").Start(ctx, "request")
	cctx, child := Start(rctx, "loader X")
	_, grandchild := Start(cctx, "sql SELECT")
	grandchild.End()
	child.End()
	root.End()
	spans := rec.Ended()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	if spans[0].Parent().SpanID() != child.SpanContext().SpanID() || spans[1].Parent().SpanID() != root.SpanContext().SpanID() {
		t.Errorf("parents: %v, %v", spans[0].Parent().SpanID(), spans[1].Parent().SpanID())
	}
}

func TestRequestRecord(t *testing.T) {
	var none *Request
	none.Statement(time.Second) // a nil record (no request) does nothing
	if n, d := From(context.Background()).SQL(); n != 0 || d != 0 {
		t.Errorf("no request: %d, %v", n, d)
	}
	r := &Request{}
	ctx := With(context.Background(), r)
	From(ctx).Statement(2 * time.Millisecond)
	From(ctx).Statement(3 * time.Millisecond)
	if n, d := r.SQL(); n != 2 || d != 5*time.Millisecond {
		t.Errorf("%d statements, %v", n, d)
	}
}
