// Command load measures MKG Graph side by side with PostGraphile v5 and a
// raw Go handler (bench/floor) on the same PostgreSQL database, and prints
// the table for BENCHMARKS.md. See bench/README.md.
//
//	go run ./bench/load -database-url postgres://… -rounds 3 -duration 10s
//
// It builds and starts every server on free ports of 127.0.0.1, checks that
// they answer each query shape with the same rows, then runs wrk over each
// shape with the servers interleaved (A B C A B C …), waiting before every
// run until the machine is quiet, and reports medians and ratios.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	databaseURL    string
	rounds         int
	duration       time.Duration
	warmup         time.Duration
	threads        int
	connections    int
	rssConnections int
	rssDuration    time.Duration
	maxLoad        float64
	minIdle        float64
	quietTimeout   time.Duration
	shapes         string
	checkOnly      bool
	skipRSS        bool
	redisURL       string
	serverLogLevel string
	out            string
	lightning      bool
	lightningOnly  bool
	lightningTime  string
	lightningN     int
	testDBURL      string
	command        string // how the runner was started, URLs left out
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.databaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL URL of the benchmark database, prepared as bench/README.md says (env DATABASE_URL)")
	fs.IntVar(&o.rounds, "rounds", 3, "measured runs of each server on each shape, interleaved")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of one measured wrk run")
	fs.DurationVar(&o.warmup, "warmup", 3*time.Second, "unmeasured wrk run of each server before a shape's rounds")
	fs.IntVar(&o.threads, "threads", 2, "wrk threads (-t)")
	fs.IntVar(&o.connections, "connections", 32, "wrk connections (-c)")
	fs.IntVar(&o.rssConnections, "rss-connections", 500, "connections of the memory run (the dashboard)")
	fs.DurationVar(&o.rssDuration, "rss-duration", 10*time.Second, "length of the memory run")
	fs.Float64Var(&o.maxLoad, "max-load", 1.0, "wait before each run until the 1-minute load average is at most this")
	fs.Float64Var(&o.minIdle, "min-idle", 0.90, "and until the CPUs were at least this idle over one second (0..1)")
	fs.DurationVar(&o.quietTimeout, "quiet-timeout", 10*time.Minute, "give up when the machine is not quiet for this long")
	fs.StringVar(&o.shapes, "shapes", "all", "comma-separated shapes to measure: "+strings.Join(shapeIDs(), ","))
	fs.BoolVar(&o.checkOnly, "check", false, "only start the servers and check they answer each shape with the same rows")
	fs.BoolVar(&o.skipRSS, "skip-rss", false, "skip the memory run")
	fs.StringVar(&o.redisURL, "redis-url", "", "Redis for MKG Graph's shared cache; empty = its in-process cache")
	fs.StringVar(&o.serverLogLevel, "server-log-level", "warn", "MKG Graph's log level (info writes a line per request)")
	fs.StringVar(&o.out, "out", "", "also write the table to this file")
	fs.BoolVar(&o.lightning, "lightning", false, "also run the lightning benchmarks (go test -bench LightningVolume ./sqlstore) and report their numbers")
	fs.BoolVar(&o.lightningOnly, "lightning-only", false, "run only the lightning benchmarks")
	fs.StringVar(&o.lightningTime, "lightning-benchtime", "5x", "go test -benchtime of the lightning benchmarks")
	fs.IntVar(&o.lightningN, "lightning-strikes", 0, "strikes the lightning benchmarks load (MKG_BENCH_STRIKES); 0 = their default, 5 million")
	fs.StringVar(&o.testDBURL, "test-database-url", os.Getenv("TEST_DATABASE_URL"), "PostgreSQL the lightning benchmarks make their schemas in (env TEST_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.command = commandLine(args)
	return o, o.validate()
}

// commandLine is the runner's command for the report, without the URLs
// (they may hold passwords).
func commandLine(args []string) string {
	out := []string{"go run ./bench/load"}
	hide := false
	for _, a := range args {
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case hide:
			out, hide = append(out, "…"), false
		case strings.HasSuffix(name, "-url") && hasValue:
			out = append(out, "-"+name+"=…")
		case strings.HasPrefix(a, "-") && strings.HasSuffix(name, "-url"):
			out, hide = append(out, a), true
		default:
			out = append(out, a)
		}
	}
	return strings.Join(out, " ")
}

func (o *options) validate() error {
	switch {
	case o.lightningOnly && o.testDBURL == "":
		return fmt.Errorf("-test-database-url (or TEST_DATABASE_URL) is required for the lightning benchmarks")
	case o.lightningOnly:
		return nil
	case !strings.HasPrefix(o.databaseURL, "postgres://") && !strings.HasPrefix(o.databaseURL, "postgresql://"):
		return fmt.Errorf("-database-url (or DATABASE_URL) must be a postgres:// URL of the benchmark database")
	case o.rounds < 1 || o.rounds > 50:
		return fmt.Errorf("-rounds must be 1..50")
	case o.duration < time.Second || o.rssDuration < time.Second:
		return fmt.Errorf("-duration and -rss-duration must be at least 1s")
	case o.threads < 1 || o.connections < o.threads || o.rssConnections < o.threads:
		return fmt.Errorf("-connections and -rss-connections must be at least -threads (and -threads at least 1)")
	case o.minIdle < 0 || o.minIdle > 1:
		return fmt.Errorf("-min-idle must be between 0 and 1")
	case o.lightning && o.testDBURL == "":
		return fmt.Errorf("-test-database-url (or TEST_DATABASE_URL) is required with -lightning")
	}
	_, err := selectShapes(o.shapes)
	return err
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err == flag.ErrHelp {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}
