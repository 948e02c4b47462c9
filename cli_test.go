package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/redis"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelpListsEverySettingWithItsVariable(t *testing.T) {
	code, out, _ := runCLI(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exited %d", code)
	}
	for _, want := range []string{"-addr", "MKG_ADDR", "DATABASE_URL", "REDIS_URL", "MKG_SQLITE_PATH", "MKG_DEMO_DATA",
		"MKG_MAX_BODY_BYTES", "MKG_MAX_QUERY_DEPTH", "MKG_MAX_QUERY_COST", "MKG_SHUTDOWN_TIMEOUT", "MKG_LOG_FORMAT",
		"mkggraph migrate", "mkggraph ingest", "mkggraph create-admin", "mkggraph generate-volume", "COMMAND --help"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
	for _, other := range []string{"-reference-time", "-organisation", "-days"} {
		if strings.Contains(out, "\n  "+other) { // a flag's line, not the command list's usage lines
			t.Errorf("the server's --help lists %s, another command's flag", other)
		}
	}
	for _, same := range [][]string{{"help"}, {"serve", "--help"}, {"-h"}} {
		if code, again, _ := runCLI(t, nil, same...); code != 0 || again != out {
			t.Errorf("%v: exit %d, or not the same help as --help", same, code)
		}
	}
}

// TestEachCommandHasItsOwnHelp: a command's --help (or mkggraph help
// COMMAND) shows its usage, its own flags, each described, and the
// settings it reads, and nothing of the server's.
func TestEachCommandHasItsOwnHelp(t *testing.T) {
	for cmd, want := range map[string][]string{
		"migrate": {"Usage: mkggraph migrate [flags]", "-database-url", "DATABASE_URL", "-log-level"},
		"ingest": {"Usage: mkggraph ingest [flags] FILE…", "-reference-time RFC3339", "-station code", "-sac-unit unit", "-inventory file", "-event file", "-progress", "-file-dir", "-database-url",
			"-redis-url"}, // to tell the servers' subscribers what it stored
		"create-admin":    {"Usage: mkggraph create-admin -organisation ORG", "-organisation organisation", "-name name", "-email address", "-database-url"},
		"generate-volume": {"Usage: mkggraph generate-volume [flags]", "-days days", "-allow-real-data", "-kinds kinds", "-database-url"},
	} {
		code, out, errOut := runCLI(t, nil, cmd, "--help")
		if code != 0 || errOut != "" {
			t.Errorf("%s --help: exit %d, stderr %q", cmd, code, errOut)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s --help does not show %q:\n%s", cmd, w, out)
			}
		}
		for _, server := range []string{"-addr", "-redis-url", "-max-query-depth"} {
			if cmd == "ingest" && server == "-redis-url" {
				continue
			}
			if strings.Contains(out, "\n  "+server+" ") {
				t.Errorf("%s --help lists the server's %s", cmd, server)
			}
		}
		if _, again, _ := runCLI(t, nil, "help", cmd); again != out {
			t.Errorf("mkggraph help %s differs from %s --help", cmd, cmd)
		}
	}
	for _, c := range commands {
		cfg := defaultConfig()
		fs, _, _ := c.flagSet(&cfg)
		fs.VisitAll(func(f *flag.Flag) {
			if strings.TrimSpace(f.Usage) == "" {
				t.Errorf("%s -%s has no description", c.name, f.Name)
			}
		})
	}
}

// TestMisuseIsAUsageMessage: a command used wrongly says what is wrong
// and how to use it, exits 2 and touches nothing; it does not log.
func TestMisuseIsAUsageMessage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "never.db")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"create-admin", "--sqlite-path", db, "-name", "Admin Satu", "-email", "admin@bmkg.go.id"},
			[]string{"mkggraph create-admin: -organisation: organisation is required", "usage: mkggraph create-admin -organisation ORG -name NAME -email EMAIL"}},
		{[]string{"create-admin", "--sqlite-path", db, "-organisation", "BMKG", "-name", "Admin Satu"},
			[]string{"-email", "usage: mkggraph create-admin"}},
		{[]string{"ingest", "--sqlite-path", db}, []string{"mkggraph ingest: needs at least one file; formats known:", "usage: mkggraph ingest [flags] FILE…"}},
		{[]string{"ingest", "--sqlite-path", db, "-reference-time", "yesterday", "x.txt"}, []string{"-reference-time \"yesterday\" is not RFC 3339"}},
		{[]string{"ingest", "--sqlite-path", db, "-progress", "sometimes", "x.txt"}, []string{"-progress \"sometimes\" must be auto, always or never"}},
		{[]string{"migrate", "--sqlite-path", db, "-reference-time", "2021-08-01T00:00:00Z"}, []string{"flag provided but not defined: -reference-time", "mkggraph migrate --help"}},
		{[]string{"migrate", "--sqlite-path", db, "now"}, []string{"mkggraph migrate: unexpected argument \"now\""}},
		{[]string{"--sqlite-path", db, "migrate"}, []string{"mkggraph serve: unexpected argument \"migrate\""}},
		{[]string{"generate-volume", "--sqlite-path", db, "-stations", "none"}, []string{"mkggraph generate-volume: -stations", "usage: mkggraph generate-volume"}},
	} {
		code, out, errOut := runCLI(t, nil, c.args...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", c.args, code, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr does not say %q:\n%s", c.args, w, errOut)
			}
		}
		if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "mkggraph ") {
			t.Errorf("%v: want one line on stderr, naming the program:\n%s", c.args, errOut)
		}
		if strings.Contains(errOut, `"level"`) {
			t.Errorf("%v: answered with a log line:\n%s", c.args, errOut)
		}
	}
	if _, err := os.Stat(db); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a command used wrongly opened the database: %v", err)
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--log-format", "bogus"}, func(k string) string {
		return map[string]string{"MKG_LOG_FORMAT": "text"}[k]
	}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "log-format must be json or text") {
		t.Errorf("flag did not win over the environment: %d %s", code, stderr.String())
	}
	code, _, errOut := runCLI(t, map[string]string{"MKG_MAX_QUERY_DEPTH": "lots"}, "serve")
	if code != 2 || !strings.Contains(errOut, "MKG_MAX_QUERY_DEPTH") {
		t.Errorf("bad env value: %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, map[string]string{"DATABASE_URL": "mysql://x"}, "migrate")
	if code != 2 || !strings.Contains(errOut, "DATABASE_URL must start with") {
		t.Errorf("bad database URL: %d %s", code, errOut)
	}
	// A command reads only its own settings: the server's are not migrate's
	// business.
	db := filepath.Join(t.TempDir(), "m.db")
	code, _, errOut = runCLI(t, map[string]string{"MKG_MAX_QUERY_DEPTH": "lots", "MKG_SQLITE_PATH": db, "MKG_LOG_LEVEL": "error"}, "migrate")
	if code != 0 {
		t.Errorf("migrate with a bad server setting in the environment: %d %s", code, errOut)
	}
	if code, _, errOut = runCLI(t, nil, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %s", code, errOut)
	}
}

func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	code, out, errOut := runCLI(t, nil, "migrate", "--sqlite-path", db, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "applied 0001_init") {
		t.Fatalf("first migrate: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, nil, "migrate", "--sqlite-path", db, "--log-level", "error")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: %d %q", code, out)
	}
}

func TestIngestCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "i.db")
	good := filepath.Join("demo", "samples", "earthquakes", "bmkg-gempaterkini-20230712.json")
	code, out, errOut := runCLI(t, nil, "ingest", "--sqlite-path", db, "--log-level", "error", good)
	if code != 0 || !strings.Contains(out, "bmkg-infogempa: read 15, inserted 15, updated 0, unchanged 0, rejected 0") {
		t.Fatalf("good file: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, nil, "ingest", "--sqlite-path", db, "--log-level", "error", good)
	if code != 0 || !strings.Contains(out, "inserted 0, updated 0, unchanged 15") {
		t.Errorf("re-ingest: %d %q", code, out)
	}
	data, _ := os.ReadFile(good)
	bad := filepath.Join(dir, "gempaterkini-bad.json")
	os.WriteFile(bad, bytes.Replace(data, []byte(`"Kedalaman": "10 km"`), []byte(`"Kedalaman": "deep"`), 1), 0o644)
	unknown := filepath.Join(dir, "notes.txt")
	os.WriteFile(unknown, []byte("just some notes\n"), 0o644)
	code, out, _ = runCLI(t, nil, "ingest", "--sqlite-path", db, "--log-level", "error", bad, unknown)
	if code != 1 {
		t.Errorf("a file with a rejected record and an unknown file: exit %d, want 1", code)
	}
	if !strings.Contains(out, "rejected record 1:") || !strings.Contains(out, "Kedalaman") {
		t.Errorf("rejection not reported with position and reason:\n%s", out)
	}
	if !strings.Contains(out, "notes.txt: refused:") || !strings.Contains(out, "known formats:") {
		t.Errorf("unknown format not refused with the known formats:\n%s", out)
	}
	if code, _, errOut := runCLI(t, nil, "ingest", "--sqlite-path", db); code != 2 || !strings.Contains(errOut, "at least one file") {
		t.Errorf("no files: %d %s", code, errOut)
	}
}

// TestGracefulShutdown: on SIGTERM (the context's cancellation) the server
// stops accepting, lets the request in flight finish, and returns.
func TestGracefulShutdown(t *testing.T) {
	cfg := testConfig(t, "sqlite")
	cfg.Addr = "127.0.0.1:" + fmt.Sprint(freePort(t))
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		io.WriteString(w, "finished")
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- listenAndServe(ctx, cfg, h, func() {}, slog.New(slog.DiscardHandler)) }()
	var port int
	fmt.Sscanf(cfg.Addr[strings.LastIndex(cfg.Addr, ":")+1:], "%d", &port)
	waitForPort(t, port)
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + cfg.Addr + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		got <- string(b)
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if body := <-got; body != "finished" {
		t.Errorf("in-flight request got %q", body)
	}
	if err := <-done; err != nil {
		t.Errorf("listenAndServe: %v", err)
	}
}

// TestVersion: --version names the build's version, commit and Go
// release, read from the binary's build information. The binary is built
// with VCS stamping, which Go does only in a repository's main work tree
// (a fresh clone, as CI's); the line's shape is checked everywhere.
func TestVersion(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "042f878d7ca6025c70ce34dc54052ae07e341193"}, {Key: "vcs.time", Value: "2026-12-06T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"}}}
	if got, want := buildLine(info), "mkggraph v1.4.0 commit 042f878d7ca6025c70ce34dc54052ae07e341193 (2026-12-06T10:00:00Z) with uncommitted changes go1.26.8"; got != want {
		t.Errorf("buildLine = %q, want %q", got, want)
	}
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, errOut := runCLI(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "mkggraph ") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if st, err := os.Stat(".git"); err != nil || !st.IsDir() {
		t.Skip("not a repository's main work tree: go build stamps no commit here")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mkggraph")
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "commit "+strings.TrimSpace(string(head))) {
		t.Errorf("--version = %q, want the commit %s", out, head)
	}
}

// TestRedisURLSetting: REDIS_URL takes one node, a Sentinel set or a
// Cluster; anything else is refused at start with an error naming it, and
// no log line shows a password of any of them.
func TestRedisURLSetting(t *testing.T) {
	for value, ok := range map[string]bool{
		"":                                       true,
		"redis://:hunter2@cache.internal:6379/0": true,
		"redis-sentinel://:hunter2@s1:26379,s2:26379/mymaster?db=2&sentinel_password=hunter2": true,
		"redis-cluster://u:hunter2@[::1]:7000,n2:7001":                                        true,
		"cache.internal:6379":                    false,
		"redis-sentinel://:hunter2@s1:26379":     false,
		"redis-cluster://:hunter2@n1:7000/5":     false,
		"memcached://:hunter2@cache.internal:11": false,
	} {
		cfg := defaultConfig()
		cfg.RedisURL = value
		err := cfg.Validate()
		if (err == nil) != ok || (err != nil && (!strings.Contains(err.Error(), "REDIS_URL") || strings.Contains(err.Error(), "hunter2"))) {
			t.Errorf("REDIS_URL=%q: %v; want accepted %v, an error naming REDIS_URL without the password", value, err, ok)
		}
		if r := redact(value); strings.Contains(r, "hunter2") {
			t.Errorf("redact(%q) = %q", value, r)
		}
	}
	if r := redact("postgres://mkg:hunter2@db:5432/mkg?sslmode=disable&password=hunter2"); r != "postgres://mkg:xxxxx@db:5432/mkg?password=xxxxx&sslmode=disable" {
		t.Errorf("redact of a PostgreSQL URL = %q", r)
	}
}

// TestReadmeRedisURLs: every REDIS_URL the README shows is one the server
// takes, of each form.
func TestReadmeRedisURLs(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]bool{}
	for _, m := range regexp.MustCompile(`export REDIS_URL='([^']+)'`).FindAllStringSubmatch(string(readme), -1) {
		o, err := redis.ParseURL(m[1])
		if err != nil {
			t.Errorf("README: %s: %v", m[1], err)
			continue
		}
		forms[fmt.Sprint(o.MasterName != "", o.IsClusterMode)] = true
	}
	if len(forms) != 3 {
		t.Errorf("the README shows REDIS_URLs of %d forms, want one node, Sentinel and Cluster", len(forms))
	}
}
