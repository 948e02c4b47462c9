package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/internal/testenv"
)

// The composition tool: a pinned @apollo/composition (package-lock.json)
// and the script that runs it, installed with npm ci.
const composeDir = "testdata/federation"

// TestFederationComposition composes the SDL our server gives a router
// (_service { sdl }, over HTTP, with -federation) with a made-up second
// subgraph that extends Earthquake by its @key, using Apollo's own
// composition library run with Node: the supergraph must have both
// subgraphs' fields on Earthquake, joined by the key. A subgraph that
// conflicts with ours must fail to compose, so a composition error is seen.
func TestFederationComposition(t *testing.T) {
	tools := installComposition(t)
	cfg := testConfig(t, "sqlite")
	cfg.DemoData = "false"
	cfg.Federation = "true"
	_, srv := startApp(t, cfg)
	sdl, _ := dig(mustData(t, post(t, srv.URL, `{ _service { sdl } }`, nil)), "_service", "sdl").(string)
	ours := filepath.Join(t.TempDir(), "mkg.graphql")
	if err := os.WriteFile(ours, []byte(sdl), 0o600); err != nil {
		t.Fatal(err)
	}

	supergraph, errs, err := compose(t, tools, "mkg="+ours, "alerts="+filepath.Join(composeDir, "alerts.graphql"))
	if err != nil {
		t.Fatalf("composition failed: %v\n%s", err, errs)
	}
	for _, want := range []string{
		`@join__type(graph: MKG, key: "id")`, `@join__type(graph: ALERTS, key: "id")`,
		"tsunamiWarnings: [TsunamiWarning!]! @join__field(graph: ALERTS)",
		"magnitude: Float @join__field(graph: MKG)",
		"type Station implements Node",
	} {
		if !strings.Contains(supergraph, want) {
			t.Errorf("the supergraph has no %q", want)
		}
	}
	if t.Failed() {
		t.Logf("supergraph:\n%s", supergraph)
	}

	if _, errs, err := compose(t, tools, "mkg="+ours, "conflict="+filepath.Join(composeDir, "conflict.graphql")); err == nil ||
		!strings.Contains(errs, "Earthquake.magnitude") {
		t.Errorf("a conflicting subgraph composed (%v): %s", err, errs)
	}
}

// compose runs compose.mjs over the subgraphs (name=path), returning the
// supergraph SDL, what the tool wrote to standard error, and its failure.
func compose(t *testing.T, tools string, subgraphs ...string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errs bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", append([]string{filepath.Join(tools, "compose.mjs")}, subgraphs...)...)
	cmd.Stdout, cmd.Stderr = &out, &errs
	err := cmd.Run()
	return out.String(), errs.String(), err
}

// installComposition installs the composition tool with npm ci into a
// folder of the user's cache named after the lock file's hash (once per
// version; a temporary folder when there is no cache), and returns it.
// Without node or npm the test is skipped, or fails with
// MKG_REQUIRE_SERVICES=1.
func installComposition(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, tool+" is not installed (Debian: apt-get install nodejs npm)")
		}
	}
	lock, err := os.ReadFile(filepath.Join(composeDir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(composeDir, "compose.mjs"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(lock, script...))
	dir := t.TempDir()
	if cache, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(cache, "mkggraph", "composition-"+hex.EncodeToString(sum[:8]))
	}
	done := filepath.Join(dir, ".installed")
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"package.json", "package-lock.json", "compose.mjs"} {
		b, err := os.ReadFile(filepath.Join(composeDir, f))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f), b, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
