package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// result is one wrk run as wrk.lua's RESULT line reports it, with the
// machine's state before the run.
type result struct {
	Requests int
	RPS      float64
	P50, P90 float64 // ms
	P99, Max float64 // ms
	Non2xx   int
	Errors   int // connect, read and write errors
	Timeouts int
	Load1    float64 // 1-minute load average before the run
	Idle     float64 // share of CPU time idle over the second before the run
}

// failed says why a run cannot be counted, or "" when it can.
func (r result) failed() string {
	switch {
	case r.Non2xx > 0:
		return fmt.Sprintf("%d answers were not 2xx", r.Non2xx)
	case r.Requests == 0:
		return "no request completed"
	case r.Errors > 0 || r.Timeouts > 0:
		return fmt.Sprintf("%d socket errors and %d timeouts", r.Errors, r.Timeouts)
	}
	return ""
}

// parseResult reads the RESULT line wrk.lua prints.
func parseResult(out string) (result, error) {
	var r result
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "RESULT ") {
			continue
		}
		fields := map[string]string{}
		for _, kv := range strings.Fields(line)[1:] {
			k, v, _ := strings.Cut(kv, "=")
			fields[k] = v
		}
		var errs []string
		f := func(k string) float64 {
			v, err := strconv.ParseFloat(fields[k], 64)
			if err != nil {
				errs = append(errs, k)
			}
			return v
		}
		r.Requests, r.RPS = int(f("requests")), f("rps")
		r.P50, r.P90, r.P99, r.Max = f("p50_ms"), f("p90_ms"), f("p99_ms"), f("max_ms")
		r.Non2xx, r.Errors, r.Timeouts = int(f("non2xx")), int(f("errors")), int(f("timeouts"))
		if len(errs) > 0 {
			return r, fmt.Errorf("RESULT line without %s: %s", strings.Join(errs, ", "), line)
		}
		return r, nil
	}
	return r, fmt.Errorf("wrk printed no RESULT line:\n%s", out)
}

// wrkRun is one wrk invocation against a target.
type wrkRun struct {
	root     string
	url      string
	body     string // file
	auth     string // Authorization header value, or ""
	threads  int
	conns    int
	duration time.Duration
}

func (w wrkRun) run(ctx context.Context) (result, error) {
	// A request that takes longer than the run is a timeout, not a wait.
	timeout := max(w.duration, 10*time.Second)
	cmd := exec.CommandContext(ctx, "wrk", "-t"+strconv.Itoa(w.threads), "-c"+strconv.Itoa(w.conns),
		"-d"+strconv.Itoa(int(w.duration.Seconds()))+"s", "--timeout", strconv.Itoa(int(timeout.Seconds()))+"s",
		"-s", filepath.Join(w.root, "bench", "load", "wrk.lua"), w.url)
	cmd.Env = append(os.Environ(), "BODY="+w.body, "AUTH="+w.auth)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk %s: %v\n%s", w.url, err, out)
	}
	return parseResult(string(out))
}

// quiet waits until the 1-minute load average is at most maxLoad and the
// CPUs were at least minIdle idle over one second, and returns both. The
// load average includes the previous run's load and decays over a minute;
// the idle share shows at once whether anything else is running.
func quiet(ctx context.Context, maxLoad, minIdle float64, timeout time.Duration) (load, idle float64, err error) {
	deadline := time.Now().Add(timeout)
	for {
		if idle, err = cpuIdle(ctx, time.Second); err != nil {
			return 0, 0, err
		}
		if load, err = loadAverage(); err != nil {
			return 0, 0, err
		}
		if load <= maxLoad && idle >= minIdle {
			return load, idle, nil
		}
		if time.Now().After(deadline) {
			return load, idle, fmt.Errorf("the machine is not quiet after %s: 1-minute load %.2f (want ≤ %.2f), CPU idle %.0f%% (want ≥ %.0f%%); stop other work, or raise -max-load / lower -min-idle for a rough run",
				timeout, load, maxLoad, idle*100, minIdle*100)
		}
		select {
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
}

func loadAverage() (float64, error) {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, fmt.Errorf("/proc/loadavg is empty")
	}
	return strconv.ParseFloat(f[0], 64)
}

// cpuIdle is the share of all CPUs' time spent idle (or waiting for I/O)
// over d, from /proc/stat.
func cpuIdle(ctx context.Context, d time.Duration) (float64, error) {
	idle0, total0, err := cpuTimes()
	if err != nil {
		return 0, err
	}
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-time.After(d):
	}
	idle1, total1, err := cpuTimes()
	if err != nil {
		return 0, err
	}
	if total1 == total0 {
		return 1, nil
	}
	return float64(idle1-idle0) / float64(total1-total0), nil
}

func cpuTimes() (idle, total uint64, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	for i, s := range f[1:] {
		if i >= 8 { // guest times are already counted in user and nice
			break
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc/stat: %w", err)
		}
		total += v
		if i == 3 || i == 4 { // idle, iowait
			idle += v
		}
	}
	return idle, total, nil
}

// memory reads VmHWM (peak resident set) and VmRSS of a process, in kB.
func memory(pid int) (hwm, rss int, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "VmHWM":
			hwm = n
		case "VmRSS":
			rss = n
		}
	}
	if hwm == 0 || rss == 0 {
		return 0, 0, fmt.Errorf("/proc/%d/status has no VmHWM/VmRSS", pid)
	}
	return hwm, rss, nil
}

// resetPeak sets the process's VmHWM back to its current RSS (writing 5
// to clear_refs, Linux ≥ 4.0), so the peak of the next run is its own.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}
