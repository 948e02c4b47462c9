package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func run(ctx context.Context, o *options, stdout, progress io.Writer) (err error) {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	rep := &report{date: time.Now(), opts: o}
	if o.lightningOnly {
		if rep.lightning, err = runLightning(ctx, o, root, progress); err != nil {
			return err
		}
		rep.lightning.write(stdout)
		return nil
	}
	if _, err := exec.LookPath("wrk"); err != nil && !o.checkOnly {
		return errors.New("wrk is not installed (Debian and Ubuntu: apt-get install wrk)")
	}
	f, err := startFleet(ctx, o, root, progress)
	if f != nil {
		// A run that failed or had answers other than 2xx keeps the
		// servers' logs, which say why.
		defer func() { f.stop(progress, err != nil) }()
	}
	if err != nil {
		return err
	}
	// After the fleet: it installs PostGraphile (npm ci) on a fresh clone,
	// whose versions the description reads.
	if rep.env, err = describeEnvironment(ctx, o, root); err != nil {
		return err
	}
	selected, _ := selectShapes(o.shapes)
	for _, s := range selected {
		summary, err := check(ctx, f, s)
		if err != nil {
			return err
		}
		if !o.checkOnly {
			fmt.Fprintln(progress, "check", summary)
		}
		rep.checks = append(rep.checks, summary)
	}
	if o.checkOnly {
		for _, c := range rep.checks {
			fmt.Fprintln(stdout, "ok", c)
		}
		return nil
	}
	for _, s := range selected {
		sr, err := measure(ctx, o, f, s, progress)
		if err != nil {
			return err
		}
		rep.shapes = append(rep.shapes, sr)
	}
	if !o.skipRSS {
		if rep.memory, err = measureMemory(ctx, o, f, progress); err != nil {
			return err
		}
	}
	if o.lightning {
		f.stop(progress, len(rep.invalid()) > 0) // nothing else may run while the lightning benchmarks do
		if rep.lightning, err = runLightning(ctx, o, root, progress); err != nil {
			return err
		}
	}
	return publish(rep, o, stdout)
}

func publish(rep *report, o *options, stdout io.Writer) error {
	var b bytes.Buffer
	rep.write(&b)
	stdout.Write(b.Bytes())
	if o.out != "" {
		if err := os.WriteFile(o.out, b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if bad := rep.invalid(); len(bad) > 0 {
		return fmt.Errorf("%d runs had errors or non-2xx answers (listed under the table)", len(bad))
	}
	return nil
}

// measure warms every target of a shape, then runs them interleaved for
// the rounds, and checks the answers again afterwards.
func measure(ctx context.Context, o *options, f *fleet, s shape, progress io.Writer) (shapeResult, error) {
	sr := shapeResult{shape: s, runs: make([][]result, len(s.targets))}
	for _, t := range s.targets {
		if _, err := f.wrk(o, t, o.connections, o.warmup).run(ctx); err != nil {
			return sr, fmt.Errorf("%s warm-up of %s: %w", s.id, t.label, err)
		}
	}
	for round := 1; round <= o.rounds; round++ {
		for i, t := range s.targets {
			r, err := f.measured(ctx, o, t, o.connections, o.duration)
			if err != nil {
				return sr, fmt.Errorf("%s, %s, round %d: %w", s.id, t.label, round, err)
			}
			fmt.Fprintf(progress, "%s round %d/%d  %-62s %9s req/s  p50 %7s ms  p99 %7s ms  (load %.2f, idle %.0f%%)%s\n",
				s.id, round, o.rounds, t.label, num(r.RPS), ms(r.P50), ms(r.P99), r.Load1, r.Idle*100, warn(r))
			sr.runs[i] = append(sr.runs[i], r)
		}
	}
	if _, err := check(ctx, f, s); err != nil {
		return sr, fmt.Errorf("after the runs: %w", err)
	}
	return sr, nil
}

func warn(r result) string {
	if why := r.failed(); why != "" {
		return "  INVALID: " + why
	}
	return ""
}

// measured waits for a quiet machine, then runs wrk once.
func (f *fleet) measured(ctx context.Context, o *options, t target, conns int, d time.Duration) (result, error) {
	srv := f.target(t)
	if err := srv.alive(); err != nil {
		return result{}, err
	}
	load, idle, err := quiet(ctx, o.maxLoad, o.minIdle, o.quietTimeout)
	if err != nil {
		return result{}, err
	}
	r, err := f.wrk(o, t, conns, d).run(ctx)
	r.Load1, r.Idle = load, idle
	return r, err
}

func (f *fleet) wrk(o *options, t target, conns int, d time.Duration) wrkRun {
	auth := ""
	if t.auth {
		auth = "Bearer " + f.callers.partner
	}
	return wrkRun{root: f.root, url: f.target(t).base + t.path, body: filepath.Join(f.root, "bench", "bodies", t.body),
		auth: auth, threads: o.threads, conns: conns, duration: d}
}

// measureMemory runs W1 at -rss-connections against each server in turn
// and reads its resident memory before, at peak and after.
func measureMemory(ctx context.Context, o *options, f *fleet, progress io.Writer) ([]memoryRun, error) {
	var out []memoryRun
	for _, name := range []string{mkgCached, mkgUncached, postgraph, floorServer} {
		t, ok := w1Target(name)
		if !ok {
			continue
		}
		srv := f.servers[name]
		m := memoryRun{label: t.label}
		if strings.HasPrefix(name, "mkggraph") {
			m.label += ", partner key"
		}
		if err := resetPeak(srv.pid()); err != nil {
			m.peakNote = " (peak since the server started: " + err.Error() + ")"
		}
		var err error
		if _, m.idle, err = memory(srv.pid()); err != nil {
			return nil, err
		}
		if m.result, err = f.measured(ctx, o, t, o.rssConnections, o.rssDuration); err != nil {
			return nil, fmt.Errorf("memory run of %s: %w", t.label, err)
		}
		if m.peak, m.at, err = memory(srv.pid()); err != nil {
			return nil, err
		}
		fmt.Fprintf(progress, "memory %-62s peak %s MB (before %s, after %s), %s req/s at -c%d%s\n",
			m.label, mb(m.peak), mb(m.idle), mb(m.at), num(m.result.RPS), o.rssConnections, warn(m.result))
		out = append(out, m)
	}
	return out, nil
}

// w1Target is the dashboard as the given server is asked it (with the
// partner key for MKG Graph).
func w1Target(server string) (target, bool) {
	for _, t := range shapes[0].targets {
		if t.server == server && (t.role != roleOurs || t.auth) {
			return t, true
		}
	}
	return target{}, false
}
