package main

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

type report struct {
	date      time.Time
	env       environment
	opts      *options
	checks    []string
	shapes    []shapeResult
	memory    []memoryRun
	lightning *lightningRun
}

type shapeResult struct {
	shape shape
	runs  [][]result // per target, one per round
}

type memoryRun struct {
	label          string
	idle, peak, at int // kB: RSS before, VmHWM during, RSS after
	peakNote       string
	result         result
}

// stats are the medians of a target's runs.
type stats struct {
	rps, minRPS, maxRPS float64
	p50, p90, p99       float64
	invalid             []string
}

func summarise(runs []result) stats {
	var s stats
	pick := func(f func(result) float64) []float64 {
		var v []float64
		for _, r := range runs {
			v = append(v, f(r))
		}
		return v
	}
	rps := pick(func(r result) float64 { return r.RPS })
	s.rps, s.minRPS, s.maxRPS = median(rps), slices.Min(rps), slices.Max(rps)
	s.p50 = median(pick(func(r result) float64 { return r.P50 }))
	s.p90 = median(pick(func(r result) float64 { return r.P90 }))
	s.p99 = median(pick(func(r result) float64 { return r.P99 }))
	for i, r := range runs {
		if why := r.failed(); why != "" {
			s.invalid = append(s.invalid, fmt.Sprintf("round %d: %s", i+1, why))
		}
	}
	return s
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// invalid lists every run that cannot be counted.
func (r *report) invalid() []string {
	var out []string
	for _, sr := range r.shapes {
		for i, t := range sr.shape.targets {
			for _, why := range summarise(sr.runs[i]).invalid {
				out = append(out, fmt.Sprintf("%s, %s, %s", sr.shape.id, t.label, why))
			}
		}
	}
	return out
}

func (r *report) write(w io.Writer) {
	o := r.opts
	fmt.Fprintf(w, "## %s: MKG Graph, PostGraphile v5 and the floor under load (issue 10)\n\n", r.date.UTC().Format("2006-01-02"))
	dirty := ""
	if r.env.dirty {
		dirty = " with uncommitted changes"
	}
	fmt.Fprintf(w, "Commit `%s`%s. %s\n\n", r.env.commit, dirty, r.env.machine())
	fmt.Fprintf(w, "Database: %s\n\n", r.env.data)
	fmt.Fprintf(w, "Method: `%s` (bench/README.md). `wrk -t%d -c%d -d%s` per run, "+
		"the servers interleaved (A B C … A B C …), rounds: %d, after a %s warm-up of each; medians over the rounds, ratios are ratios of medians "+
		"(requests/s). Before every run the runner waited for a 1-minute load average ≤ %.2f and CPUs ≥ %.0f%% idle over a second "+
		"(the load average still holds the previous run's load); seen: %s. MKG Graph: %s cache, log level %s.\n\n",
		o.command, o.threads, o.connections, o.duration, o.rounds, o.warmup, o.maxLoad, o.minIdle*100,
		r.loadSeen(), cacheKind(o), o.serverLogLevel)
	fmt.Fprintf(w, "Answers checked before and after the runs (same rows, ids, times and values from every server):\n\n")
	for _, c := range r.checks {
		fmt.Fprintf(w, "- %s\n", c)
	}
	for _, sr := range r.shapes {
		sr.write(w)
	}
	r.writeMemory(w)
	r.lightning.write(w)
	if bad := r.invalid(); len(bad) > 0 {
		fmt.Fprintf(w, "\n**Runs that cannot be counted** (the table above includes them; measure again):\n\n")
		for _, b := range bad {
			fmt.Fprintf(w, "- %s\n", b)
		}
	}
}

// ratioColumns are the comparisons a table can have, in order.
var ratioColumns = []struct{ role, header string }{
	{rolePG, "vs PostGraphile"},
	{roleFloor, "vs floor"},
	{roleFloorLatest, "vs floor (latest_observations)"},
	{roleHello, "vs hello-world"},
}

func (sr shapeResult) write(w io.Writer) {
	s := sr.shape
	fmt.Fprintf(w, "\n### %s: %s\n\n", s.id, s.title)
	all := make([]stats, len(s.targets))
	for i := range s.targets {
		all[i] = summarise(sr.runs[i])
	}
	var cols []int // index of the target each ratio column divides by
	header := "| server | requests/s (median) | min–max | p50 ms | p90 ms | p99 ms | p99/p50 |"
	for _, c := range ratioColumns {
		if j := slices.IndexFunc(s.targets, func(t target) bool { return t.role == c.role }); j >= 0 {
			cols = append(cols, j)
			header += " " + c.header + " |"
		}
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|"+strings.Repeat("---|", len(cols)))
	for i, t := range s.targets {
		st := all[i]
		p99p50 := ""
		if st.p50 > 0 {
			p99p50 = fmt.Sprintf("%.1f", st.p99/st.p50)
		}
		fmt.Fprintf(w, "| %s | %s | %s–%s | %s | %s | %s | %s |", cell(t.label), num(st.rps), num(st.minRPS), num(st.maxRPS),
			ms(st.p50), ms(st.p90), ms(st.p99), p99p50)
		for _, j := range cols {
			r := ""
			if t.role == roleOurs && all[j].rps > 0 {
				r = fmt.Sprintf("%.2f×", st.rps/all[j].rps)
			}
			fmt.Fprintf(w, " %s |", r)
		}
		fmt.Fprintln(w)
	}
}

func (r *report) writeMemory(w io.Writer) {
	if len(r.memory) == 0 {
		return
	}
	o := r.opts
	fmt.Fprintf(w, "\n### Memory: W1 at %d connections for %s (`/proc/PID/status`)\n\n", o.rssConnections, o.rssDuration)
	fmt.Fprintf(w, "| server | RSS before (MB) | peak RSS during the run, VmHWM (MB) | RSS after (MB) | requests/s | non-2xx / socket errors / timeouts |\n")
	fmt.Fprintf(w, "|---|---|---|---|---|---|\n")
	for _, m := range r.memory {
		fmt.Fprintf(w, "| %s | %s | %s%s | %s | %s | %d / %d / %d |\n", m.label, mb(m.idle), mb(m.peak), m.peakNote, mb(m.at),
			num(m.result.RPS), m.result.Non2xx, m.result.Errors, m.result.Timeouts)
	}
}

func (r *report) loadSeen() string {
	var loads []float64
	for _, sr := range r.shapes {
		for _, runs := range sr.runs {
			for _, x := range runs {
				loads = append(loads, x.Load1)
			}
		}
	}
	if len(loads) == 0 {
		return "no run"
	}
	return fmt.Sprintf("1-minute load %.2f–%.2f (median %.2f)", slices.Min(loads), slices.Max(loads), median(loads))
}

func cacheKind(o *options) string {
	if o.redisURL != "" {
		return "Redis"
	}
	return "in-process"
}

// num formats requests/s: whole numbers with thousands separators from
// 100 up, three significant figures below.
func num(v float64) string {
	switch {
	case v >= 100:
		return thousands(int64(math.Round(v)))
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// thousands formats a count with thousands separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func ms(v float64) string {
	if v >= 10 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func mb(kb int) string {
	if kb == 0 {
		return "–"
	}
	return strconv.FormatFloat(float64(kb)/1024, 'f', 0, 64)
}

// cell escapes text for a markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
