package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, func(k string) string { return env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHelpListsEverySettingWithItsVariable(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help exited %d", code)
	}
	for _, want := range []string{"-addr", "MKG_ADDR", "DATABASE_URL", "REDIS_URL", "MKG_SQLITE_PATH", "MKG_DEMO_DATA",
		"MKG_MAX_BODY_BYTES", "MKG_MAX_QUERY_DEPTH", "MKG_MAX_QUERY_COST", "MKG_SHUTDOWN_TIMEOUT", "MKG_LOG_FORMAT",
		"mkggraph migrate", "mkggraph ingest", "-reference-time"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("--help does not mention %s", want)
		}
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
	code, _, errOut := runCLI(t, map[string]string{"MKG_MAX_QUERY_DEPTH": "lots"}, "migrate")
	if code != 2 || !strings.Contains(errOut, "MKG_MAX_QUERY_DEPTH") {
		t.Errorf("bad env value: %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, map[string]string{"DATABASE_URL": "mysql://x"}, "migrate")
	if code != 2 || !strings.Contains(errOut, "DATABASE_URL must start with") {
		t.Errorf("bad database URL: %d %s", code, errOut)
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
	if code, _, errOut := runCLI(t, nil, "ingest", "--sqlite-path", db); code != 1 || !strings.Contains(errOut, "at least one file") {
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
	go func() { done <- listenAndServe(ctx, cfg, h, slog.New(slog.DiscardHandler)) }()
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
