package main

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// adminHandler serves what operators need and the public must not reach:
// the Prometheus metrics (metrics, at /metrics) and the Go profiler (CPU,
// heap, allocations, goroutines, execution traces). It is served on its
// own listener (-admin-addr), never on the API's.
func adminHandler(metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// serveAdmin starts the operators' listener on addr and returns the
// function that closes it.
func serveAdmin(addr string, log *slog.Logger, metrics http.Handler) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return serveAdminOn(ln, log, metrics), nil
}

func serveAdminOn(ln net.Listener, log *slog.Logger, metrics http.Handler) (stop func()) {
	srv := &http.Server{
		Handler:           adminHandler(metrics),
		ReadHeaderTimeout: 10 * time.Second,
		// A CPU profile or trace runs for its ?seconds= (30 by default).
		WriteTimeout: 5 * time.Minute,
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener", "err", err)
		}
	}()
	log.Info("admin listener (metrics, profiler)", "addr", ln.Addr().String())
	return func() { srv.Close() }
}
