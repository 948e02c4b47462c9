package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/bmkg/mkggraph/internal/lograte"
)

// newTracing returns the tracer provider the requests' spans are made
// with, exporting them by OTLP over HTTP to cfg.OTLPEndpoint; nil (no
// tracing, at no cost) when no endpoint is set. The other OTEL_EXPORTER_OTLP_*
// variables (headers, compression, certificates) are the exporter's own.
//
// A request is traced with the probability cfg.TraceSampleRatio, decided
// by its trace id, whatever a client's traceparent says: following a
// client's "sampled" flag would let any client make the server trace all
// its requests. Spans wait in a bounded queue (2,048) and go in batches;
// when the collector is slow or down, spans are dropped, never requests
// held.
func newTracing(ctx context.Context, cfg *Config, log *slog.Logger) (trace.TracerProvider, func(), error) {
	if cfg.OTLPEndpoint == "" {
		return nil, func() {}, nil
	}
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(tracesURL(cfg.OTLPEndpoint)),
		otlptracehttp.WithTimeout(5*time.Second))
	if err != nil {
		return nil, nil, err
	}
	// The exporter's failures (the collector down) are logged once a
	// minute at most. The handler is OpenTelemetry's global one: the
	// last server made in a process (tests make several) logs them.
	failures := lograte.New(log, time.Minute)
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		failures.Log(context.Background(), slog.LevelWarn, "tracing: export failed", "tracing", slog.Any("err", err))
	}))
	ratio := sdktrace.TraceIDRatioBased(cfg.TraceSampleRatio)
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, sdktrace.WithBatchTimeout(2*time.Second)),
		sdktrace.WithSampler(sdktrace.ParentBased(ratio, sdktrace.WithRemoteParentSampled(ratio),
			sdktrace.WithRemoteParentNotSampled(ratio))),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "mkggraph"))))
	log.Info("tracing", "endpoint", redact(tracesURL(cfg.OTLPEndpoint)), "sample_ratio", cfg.TraceSampleRatio)
	return tp, func() {
		// What is queued goes out before the process stops, within 5 s.
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(sctx); err != nil {
			log.Warn("tracing: shutdown", "err", err)
		}
	}, nil
}

// tracesURL is where traces go: OTEL_EXPORTER_OTLP_ENDPOINT is the
// collector's base URL, and traces go to its /v1/traces (as the
// OpenTelemetry specification says for that variable).
func tracesURL(endpoint string) string {
	if strings.HasSuffix(endpoint, "/v1/traces") {
		return endpoint
	}
	return strings.TrimSuffix(endpoint, "/") + "/v1/traces"
}
