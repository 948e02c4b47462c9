package main

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/bmkg/mkggraph"

// deps returns the non-standard packages the pattern's packages import,
// directly or not, excluding the packages themselves.
func deps(t *testing.T, pattern string) []string {
	t.Helper()
	self, err := exec.Command("go", "list", pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	own := map[string]bool{}
	for _, p := range strings.Fields(string(self)) {
		own[p] = true
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pattern).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pattern, err)
	}
	var list []string
	for _, d := range strings.Fields(string(out)) {
		if !own[d] {
			list = append(list, d)
		}
	}
	return list
}

// TestDependencyDirection keeps the architecture: the domain (mkg) and the
// format parsers depend on nothing but the standard library, and resolvers
// never reach the store, SQL or a cache backend.
func TestDependencyDirection(t *testing.T) {
	if d := deps(t, "./mkg"); len(d) > 0 {
		t.Errorf("mkg depends on %v: the domain imports only the standard library", d)
	}
	if d := deps(t, "./format/..."); len(d) > 0 {
		t.Errorf("format/... depends on %v: parsers are pure", d)
	}
	for _, d := range deps(t, "./resolvers") {
		if d == module+"/sqlstore" || d == module+"/redis" || d == module+"/inmem" || strings.HasPrefix(d, "github.com/jmoiron/sqlx") {
			t.Errorf("resolvers depend on %s: resolvers make domain calls, never SQL or cache calls", d)
		}
	}
}
