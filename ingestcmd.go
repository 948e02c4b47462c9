package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/bmkg/mkggraph/filestore"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
)

// ingestFlags are the ingest command's own flags: what a file may not say.
type ingestFlags struct {
	refTime, station, progress string
	sacUnit, inventory, event  string
}

// defineIngest: ingest's flags give what some files need and do not say.
func defineIngest(fs *flag.FlagSet) action {
	var f ingestFlags
	fs.StringVar(&f.refTime, "reference-time", "", "completes the SYNOP day/hour times of files whose name carries no date (WMO names do): an `RFC3339` time, e.g. 2021-08-01T00:00:00Z")
	fs.StringVar(&f.station, "station", "", "the station of a file that does not name it: a WMO index (processed Data Online CSV), a monitor `code` (aqicn.org export)")
	fs.StringVar(&f.sacUnit, "sac-unit", "", "`unit` of SAC samples: g, m/s2, cm/s2 or nm/s2 (SAC headers say only \"acceleration\")")
	fs.StringVar(&f.inventory, "inventory", "", "StationXML `file` with the responses of miniSEED channels (counts to acceleration)")
	fs.StringVar(&f.event, "event", "", "event descriptor `file` (gmprocess event.json) that SAC and miniSEED records belong to")
	fs.StringVar(&f.progress, "progress", "auto", "progress bar on stderr: auto (for files over 1 MB on a terminal), always or never")
	return func(ctx context.Context, in *invocation) int {
		if len(in.args) == 0 {
			return in.misuse("needs at least one file; formats known: %s", ingest.KnownFormats())
		}
		opt, err := f.options()
		if err != nil {
			return in.misuse("%v", err)
		}
		failed, err := ingestFiles(ctx, in.cfg, in.log, in.args, opt, f.progress, in.stdout, in.stderr)
		switch {
		case err != nil:
			return in.fail(err)
		case failed:
			return 1
		}
		return 0
	}
}

// options are what the flags tell the ingester; errors name the flag.
func (f *ingestFlags) options() (ingest.Options, error) {
	opt := ingest.Options{Station: f.station, SACUnit: f.sacUnit}
	switch f.progress {
	case "auto", "always", "never":
	default:
		return opt, fmt.Errorf("-progress %q must be auto, always or never", f.progress)
	}
	if f.refTime != "" {
		t, err := time.Parse(time.RFC3339, f.refTime)
		if err != nil {
			return opt, fmt.Errorf("-reference-time %q is not RFC 3339 (e.g. 2022-03-21T12:05:00Z)", f.refTime)
		}
		opt.ReferenceTime = t
	}
	for _, file := range []struct {
		flag, path string
		dst        *[]byte
	}{{"-inventory", f.inventory, &opt.Inventory}, {"-event", f.event, &opt.Event}} {
		if file.path == "" {
			continue
		}
		data, err := os.ReadFile(file.path)
		if err != nil {
			return opt, fmt.Errorf("%s: %w", file.flag, err)
		}
		*file.dst = data
	}
	return opt, nil
}

// ingestFiles loads and summarises every file; failed reports whether any
// file or record was refused (the command then exits 1).
func ingestFiles(ctx context.Context, cfg *Config, log *slog.Logger, files []string, opt ingest.Options, progress string,
	stdout, stderr io.Writer) (failed bool, err error) {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return false, err
	}
	defer store.Close()
	fileStore, err := filestore.NewLocal(cfg.fileDir())
	if err != nil {
		return false, err
	}
	in := ingest.New(store, log).WithFiles(fileStore)
	if bus, closeBus := publishOnly(cfg, log); bus != nil {
		defer closeBus()
		in.WithEvents(bus)
	}
	for _, name := range files {
		s, err := ingestOne(ctx, in, name, opt, progress, stderr)
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

// publishOnly returns the bus an ingest process tells the servers through
// (Redis pub/sub), or nil without Redis: a separate process has no
// subscribers of its own. A Redis that does not answer costs each publish
// its timeout, and the servers miss those events (see the README).
func publishOnly(cfg *Config, log *slog.Logger) (mkg.EventPublisher, func()) {
	if cfg.RedisURL == "" {
		return nil, nil
	}
	rc, err := redis.New(cfg.RedisURL, cfg.RedisPrefix, log)
	if err != nil {
		log.Error("Redis URL unusable: subscribers are not told of this ingest", "err", err)
		return nil, nil
	}
	return inmem.NewBus(redis.NewRelay(rc, log), log), func() { rc.Close() }
}
