package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// The lightning benchmarks live in sqlstore (BenchmarkLightningVolume):
// they load millions of strikes into a fresh schema and time ingest and
// the dashboard queries. The runner runs them as they are and reports
// every metric they print, whatever their names.
const lightningBench = "LightningVolume"

type lightningRun struct {
	command string
	load    float64
	lines   []benchLine
	logs    []string // the benchmarks' own log lines (what was loaded), with their benchmark's name
}

// benchLine is one result line of go test -bench: a name, the iteration
// count and (value, unit) pairs.
type benchLine struct {
	name    string
	n       int
	metrics []metric
}

type metric struct {
	value float64
	unit  string
}

func runLightning(ctx context.Context, o *options, root string, progress io.Writer) (*lightningRun, error) {
	load, _, err := quiet(ctx, o.maxLoad, o.minIdle, o.quietTimeout)
	if err != nil {
		return nil, err
	}
	args := []string{"test", "./sqlstore", "-run", "^$", "-bench", lightningBench, "-benchtime", o.lightningTime, "-timeout", "180m"}
	run := &lightningRun{command: "go " + strings.Join(args, " "), load: load}
	if o.lightningN > 0 {
		run.command = "MKG_BENCH_STRIKES=" + strconv.Itoa(o.lightningN) + " " + run.command
	}
	fmt.Fprintf(progress, "lightning: %s (minutes) …\n", run.command)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TEST_DATABASE_URL="+o.testDBURL)
	if o.lightningN > 0 {
		cmd.Env = append(cmd.Env, "MKG_BENCH_STRIKES="+strconv.Itoa(o.lightningN))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", run.command, err, out)
	}
	run.lines, run.logs = parseBench(string(out))
	if len(run.lines) == 0 {
		return nil, fmt.Errorf("%s printed no benchmark result:\n%s", run.command, out)
	}
	return run, nil
}

// parseBench reads go test -bench output: result lines, and what each
// benchmark logged (after "--- BENCH: name", indented "file_test.go:N: …").
func parseBench(out string) ([]benchLine, []string) {
	var lines []benchLine
	var logs []string
	current := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		text := sc.Text()
		if name, ok := strings.CutPrefix(text, "--- BENCH: "); ok {
			current = benchName(name)
			continue
		}
		if strings.HasPrefix(text, "    ") && strings.Contains(text, "_test.go:") {
			_, msg, _ := strings.Cut(strings.TrimSpace(text), ": ")
			logs = append(logs, current+": "+msg)
			continue
		}
		if l, ok := parseBenchLine(text); ok {
			lines = append(lines, l)
		}
	}
	return lines, logs
}

func parseBenchLine(text string) (benchLine, bool) {
	f := strings.Fields(text)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
		return benchLine{}, false
	}
	n, err := strconv.Atoi(f[1])
	if err != nil {
		return benchLine{}, false
	}
	l := benchLine{name: benchName(f[0]), n: n}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return benchLine{}, false
		}
		l.metrics = append(l.metrics, metric{v, f[i+1]})
	}
	return l, true
}

// benchName drops "Benchmark" and the -GOMAXPROCS suffix.
func benchName(name string) string {
	name = strings.TrimPrefix(name, "Benchmark")
	if i := strings.LastIndex(name, "-"); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i]
		}
	}
	return name
}

func (l *lightningRun) write(w io.Writer) {
	if l == nil {
		return
	}
	fmt.Fprintf(w, "\n### Lightning: `%s` (1-minute load before: %.2f)\n\n", l.command, l.load)
	fmt.Fprintf(w, "| benchmark | metric | value |\n|---|---|---|\n")
	for _, b := range l.lines {
		for _, m := range b.metrics {
			fmt.Fprintf(w, "| %s (%d×) | %s | %s |\n", cell(b.name), b.n, cell(m.unit), num(m.value))
		}
	}
	if len(l.logs) > 0 {
		fmt.Fprintln(w)
	}
	for _, msg := range l.logs {
		fmt.Fprintf(w, "- %s\n", msg)
	}
}
