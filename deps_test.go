package main

import (
	"os/exec"
	"slices"
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

// sharedShapes are the parsers whose output the domain takes as its own
// type rather than keeping a copy of it: the SYNOP decoder's Level 2
// values (mkg.SynopValues). Parsers import only the standard library.
var sharedShapes = []string{module + "/format/synop"}

// TestDependencyDirection keeps the architecture: the domain (mkg), the
// format parsers and the other pure packages depend on nothing but the
// standard library (the domain also on sharedShapes and what they import),
// and resolvers never reach the store, SQL or a cache backend.
func TestDependencyDirection(t *testing.T) {
	domain := deps(t, "./mkg")
	allowed := map[string]bool{}
	for _, p := range sharedShapes {
		allowed[p] = true
		for _, d := range deps(t, "./"+strings.TrimPrefix(p, module+"/")) {
			allowed[d] = true
		}
		if !slices.Contains(domain, p) {
			t.Errorf("mkg no longer imports %s: take it out of sharedShapes", p)
		}
	}
	for _, d := range domain {
		if !allowed[d] {
			t.Errorf("mkg depends on %s: the domain imports only the standard library and %v", d, sharedShapes)
		}
	}
	if d := deps(t, "./format/..."); len(d) > 0 {
		t.Errorf("format/... depends on %v: parsers are pure", d)
	}
	for _, p := range []string{"airquality", "quicklook"} {
		if d := deps(t, "./"+p); len(d) > 0 {
			t.Errorf("%s depends on %v: it is pure computation, importing only the standard library", p, d)
		}
	}
	for _, d := range deps(t, "./resolvers") {
		if d == module+"/sqlstore" || d == module+"/redis" || d == module+"/inmem" || strings.HasPrefix(d, "github.com/jmoiron/sqlx") {
			t.Errorf("resolvers depend on %s: resolvers make domain calls, never SQL or cache calls", d)
		}
	}
}

// adapters are the packages that connect the domain to one thing outside
// it: a database, a cache, the file system, mail, HTTP, GraphQL, files in
// and out. They meet only in the commands (package main, bench/...), which
// wire them; an adapter imports the domain, the pure packages and the
// internal helpers, and another adapter only where composedByDesign says
// why.
var adapters = map[string]string{
	"sqlstore":    "the database: PostgreSQL or SQLite",
	"redis":       "Redis: the shared cache and counter",
	"inmem":       "process memory: the in-process cache, counter and object LRU",
	"cache":       "cached readers in front of the store, over any mkg.Cache, with its circuit breaker",
	"filestore":   "the file store, a local directory",
	"notify":      "mail: the outbox worker and its SMTP and log senders",
	"authn":       "authentication: API keys to principals",
	"download":    "signed download links",
	"export":      "CSV and GeoJSON files of list queries",
	"ingest":      "data files in: format detection and mapping to the domain",
	"feeds":       "upstream feeds polled over HTTP(S) or from spool folders",
	"shakemaps":   "point queries over stored ShakeMap grids",
	"demo":        "the bundled sample files",
	"volume":      "synthetic volume data",
	"graph":       "GraphQL: the generated executable schema, directives, limits, error presenter",
	"graph/model": "GraphQL: the model types of the generated code",
	"resolvers":   "GraphQL: the resolvers",
	"dataloaders": "GraphQL: the per-request loaders",
	"httpapi":     "HTTP: routes, middleware, GraphQL transports",
	"graphiql":    "HTTP: the embedded GraphiQL page",
	"metrics":     "Prometheus: the server's metrics and their collectors",
	"webhooks":    "partners' webhooks: subscription documents run per event, deliveries POSTed signed",
}

// composedByDesign are the imports between adapters that are part of what
// the importer is, each with the reason.
var composedByDesign = map[[2]string]string{
	{"graph", "graph/model"}:     "the generated code is written over its model types",
	{"resolvers", "graph"}:       "gqlgen's resolvers implement the generated interfaces",
	{"resolvers", "graph/model"}: "the resolvers return the model types",
	{"httpapi", "graph/model"}:   "the usage CSV names accounts by their global id, as the API does",
	{"resolvers", "dataloaders"}: "nested fields are read through the request's loaders",
	{"httpapi", "graph"}:         "HTTP serves the GraphQL executor, and limits request values in its units of work",
	{"httpapi", "dataloaders"}:   "each request gets its loaders where it enters",
	{"httpapi", "graphiql"}:      "the GraphiQL page is one of the routes",
	{"httpapi", "inmem"}:         "the response cache keeps whole responses in process memory (inmem's object LRU)",
	{"cache", "inmem"}:           "Layered's first layer is process memory by definition (inmem's object LRU)",
	{"authn", "inmem"}:           "the limiter counts in process (inmem's counter) when the shared counter fails",
	{"authn", "cache"}:           "credentials are cached with the readers' generation-keyed read-through (cache.Load)",
	{"download", "export"}:       "a download link serves an export",
	{"httpapi", "export"}:        "GET /usage.csv writes the usage export (export.WriteUsage), to a key instead of a link",
	{"demo", "ingest"}:           "the demo data are loaded through the ingest path, like any file",
	{"feeds", "ingest"}:          "what a feed brings goes through the ingest path, like any file",
	{"volume", "ingest"}:         "synthetic data go through the ingest path, which they exist to measure",
	{"volume", "demo"}:           "the station catalogue comes from the bundled lists",
	{"webhooks", "notify"}:       "deliveries go through the ticket e-mails' outbox loop (notify.Worker), not a second one",
	{"webhooks", "dataloaders"}:  "a webhook's document runs with loaders of its own, as a live connection's",
	{"graph", "dataloaders"}:     "the executor tells the request's loaders when its goroutines start and end, so that a batch runs when all of them wait",
}

// placed reports what a package of the module is, or "" for one nobody
// placed yet.
func placed(rel string) string {
	switch {
	case adapters[rel] != "":
		return "adapter"
	case rel == "mkg", rel == "airquality", rel == "quicklook", rel == "format" || strings.HasPrefix(rel, "format/"):
		return "pure" // the domain, and what computes without touching anything
	case strings.HasPrefix(rel, "internal/"), rel == "graphiql/graphiqltest":
		return "helper" // small shared utilities and test drivers
	case rel == "", strings.HasPrefix(rel, "bench/"):
		return "command" // package main: wiring
	}
	return ""
}

// TestAdaptersStayApart: an adapter imports another only where
// composedByDesign says why; nothing but a command imports an adapter
// otherwise; and every package of the module is placed, so that a new one
// is decided on rather than let through.
func TestAdaptersStayApart(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	rel := func(p string) (string, bool) {
		if p == module {
			return "", true
		}
		r, ok := strings.CutPrefix(p, module+"/")
		return r, ok
	}
	used := map[[2]string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, _ := rel(fields[0])
		kind := placed(pkg)
		if kind == "" {
			t.Errorf("package %q is not placed: add it to adapters (with what it connects), or to the pure, helper or command packages, in deps_test.go", pkg)
			continue
		}
		for _, imp := range fields[1:] {
			dep, ours := rel(imp)
			if !ours || adapters[dep] == "" || kind == "command" {
				continue
			}
			edge := [2]string{pkg, dep}
			switch {
			case kind != "adapter":
				t.Errorf("%s (%s) imports the adapter %s: only commands and adapters import adapters", pkg, kind, dep)
			case composedByDesign[edge] != "":
				used[edge] = true
			default:
				t.Errorf("adapter %s imports adapter %s: adapters meet in the commands, which wire them; move what they share into mkg, or add the import to composedByDesign with the reason it is part of %s", pkg, dep, pkg)
			}
		}
	}
	for edge := range composedByDesign {
		if !used[edge] {
			t.Errorf("composedByDesign allows %s → %s, which no longer imports it: remove the entry", edge[0], edge[1])
		}
	}
}
