package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/filestore"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/redis"
)

// ingestFiles runs `mkggraph ingest FILE…`: every file is loaded and
// summarised; failed reports whether any file or record was refused (the
// command then exits 1).
// ingestFlags are the ingest command's own flags.
type ingestFlags struct {
	refTime, station, progress string
	sacUnit, inventory, event  string
}

func ingestFiles(ctx context.Context, cfg *Config, log *slog.Logger, files []string, flags ingestFlags,
	stdout, stderr io.Writer) (failed bool, err error) {
	if len(files) == 0 {
		return false, fmt.Errorf("ingest needs at least one file; formats known: %s", ingest.KnownFormats())
	}
	opt := ingest.Options{Station: flags.station, SACUnit: flags.sacUnit}
	for _, f := range []struct {
		path string
		dst  *[]byte
	}{{flags.inventory, &opt.Inventory}, {flags.event, &opt.Event}} {
		if f.path == "" {
			continue
		}
		if *f.dst, err = os.ReadFile(f.path); err != nil {
			return false, err
		}
	}
	if flags.refTime != "" {
		if opt.ReferenceTime, err = time.Parse(time.RFC3339, flags.refTime); err != nil {
			return false, fmt.Errorf("-reference-time %q is not RFC 3339 (e.g. 2022-03-21T12:05:00Z)", flags.refTime)
		}
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return false, err
	}
	defer store.Close()
	fileStore, err := filestore.NewLocal(cfg.fileDir())
	if err != nil {
		return false, err
	}
	in := ingest.New(store, remoteInvalidator(ctx, cfg, log), log).WithFiles(fileStore)
	for _, name := range files {
		s, err := ingestOne(ctx, in, name, opt, flags.progress, stderr)
		if err != nil {
			fmt.Fprintf(stdout, "%s: refused: %v\n", name, err)
			failed = true
			continue
		}
		printSummary(stdout, s)
		failed = failed || len(s.Rejected) > 0
	}
	return failed, nil
}

func ingestOne(ctx context.Context, in *ingest.Ingester, name string, opt ingest.Options, progress string, stderr io.Writer) (*ingest.Summary, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if info.Size() > ingest.MaxFileBytes {
		return nil, fmt.Errorf("file is %d bytes; the limit is %d", info.Size(), ingest.MaxFileBytes)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if bar := newProgressBar(stderr, name, progress, info.Size()); bar != nil {
		opt.Progress = bar.update
		defer bar.finish()
	}
	return in.File(ctx, name, data, opt)
}

// remoteInvalidator tells running servers that share a Redis cache that the
// data changed. Servers with an in-process cache cannot be reached from
// here; their cached reads expire with their TTL.
func remoteInvalidator(ctx context.Context, cfg *Config, log *slog.Logger) ingest.Invalidator {
	if cfg.RedisURL == "" {
		return nil
	}
	rc, err := redis.Open(ctx, cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		log.Warn("Redis URL unusable: servers' cached reads will expire with their TTL instead of at once", "err", err)
		return nil
	}
	c := cache.NewResilient(rc, "redis", log)
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := c.Ping(pctx); err != nil {
		log.Warn("Redis not reachable: servers' cached reads will expire with their TTL instead of at once", "err", err)
	}
	return func(ctx context.Context, ns ...string) error { return cache.Invalidate(ctx, c, ns...) }
}

func printSummary(w io.Writer, s *ingest.Summary) {
	fmt.Fprintf(w, "%s: %s: read %d, inserted %d, updated %d, unchanged %d, rejected %d\n",
		s.File, s.Format, s.Read, s.Inserted, s.Updated, s.Unchanged, len(s.Rejected))
	for _, r := range s.Rejected {
		fmt.Fprintf(w, "  rejected %s: %s\n", r.Position, r.Reason)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}
