package main

import (
	"encoding/json"
	"fmt"
	goast "go/ast"
	goparser "go/parser"
	"go/token"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// fence is one fenced block of the README: its language and its text.
type fence struct{ lang, text string }

func readmeFences(t *testing.T) []fence {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	// A fence may be indented (in a list item): its lines are read
	// without the indentation, up to the closing fence at the same one.
	var out []fence
	open := regexp.MustCompile("^( *)```([a-z]*)$")
	lines := strings.Split(string(readme), "\n")
	for i := 0; i < len(lines); i++ {
		m := open.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		var text strings.Builder
		for i++; i < len(lines) && lines[i] != m[1]+"```"; i++ {
			text.WriteString(strings.TrimPrefix(lines[i], m[1]) + "\n")
		}
		out = append(out, fence{m[2], text.String()})
	}
	return out
}

// TestReadmeExamples runs every GraphQL example of the README against the
// demo data, with the variables of the JSON block that follows it, as the
// caller its first line names ("# no key needed": anonymous; "# with
// $PARTNER_KEY": a partner granted every dataset; else an administrator
// with every grant): each answers without an error, and every field it
// selects with a selection set is not null everywhere in the answer (an
// example whose objects are all null shows nothing).
func TestReadmeExamples(t *testing.T) {
	fences := readmeFences(t)
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		n := 0
		for i, f := range fences {
			if f.lang != "graphql" {
				continue
			}
			n++
			var vars map[string]any
			if i+1 < len(fences) && fences[i+1].lang == "json" {
				if err := json.Unmarshal([]byte(fences[i+1].text), &vars); err != nil {
					t.Fatalf("README: the variables after\n%s\nare not JSON: %v", f.text, err)
				}
			}
			key := c.admin
			switch first, _, _ := strings.Cut(f.text, "\n"); {
			case strings.HasPrefix(first, "# no key needed"):
				key = ""
			case strings.HasPrefix(first, "# with $PARTNER_KEY"):
				key = c.full
			}
			r := postAs(t, srv.URL, key, f.text, vars)
			if len(r.Errors) > 0 || r.Status != 200 || len(r.Data) == 0 {
				t.Errorf("README example fails:\n%s\n→ %s", f.text, r.Raw)
				continue
			}
			composite := compositeFields(t, f.text)
			for _, path := range onlyNulls(r.Data) {
				if composite[path] {
					t.Errorf("README example shows no data for %s:\n%s\n→ %s", path, f.text, r.Raw)
				}
			}
		}
		if n < 5 {
			t.Fatalf("found %d GraphQL examples in the README", n)
		}
	})
}

// compositeFields returns the paths (response names joined by dots) of the
// document's fields that have a selection set: an object or a list of
// them, which an example should show. A scalar may well be null (an
// unlimited visibility's upper bound).
func compositeFields(t *testing.T, doc string) map[string]bool {
	t.Helper()
	q, err := parser.ParseQuery(&ast.Source{Input: doc})
	if err != nil {
		t.Fatalf("README example does not parse: %v\n%s", err, doc)
	}
	out := map[string]bool{}
	var walk func(prefix string, set ast.SelectionSet)
	walk = func(prefix string, set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				if len(sel.SelectionSet) > 0 {
					out[prefix+sel.Alias] = true
					walk(prefix+sel.Alias+".", sel.SelectionSet)
				}
			case *ast.InlineFragment:
				walk(prefix, sel.SelectionSet)
			}
		}
	}
	for _, op := range q.Operations {
		walk("", op.SelectionSet)
	}
	return out
}

// onlyNulls lists the fields (as paths without list indices) that are null
// wherever they occur in data.
func onlyNulls(data map[string]any) []string {
	seen := map[string]bool{} // path → some value is neither null nor empty
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case nil:
			seen[path] = seen[path] || false
		case []any:
			seen[path] = true // an empty list is an answer: no officers yet, no decode problems
			for _, item := range v {
				walk(path, item)
			}
		case map[string]any:
			seen[path] = true
			for k, x := range v {
				walk(path+"."+k, x)
			}
		default:
			seen[path] = true
		}
	}
	for k, v := range data {
		walk(k, v)
	}
	var out []string
	for path, some := range seen {
		if !some {
			out = append(out, path)
		}
	}
	slices.Sort(out)
	return out
}

// TestReadmeShellExamples runs the README's shell examples that talk to
// the server (every sh block with curl, and the create-admin line that
// defines $MKG_KEY) in order, in one bash, against a demo server on
// SQLite, with "localhost:8080" pointing at it and "go run ." being the
// built program: each answers without an error, and the download saves
// the radar volume. The blocks run a second apart: a key made by the
// create-admin process is seen by the server within a second.
func TestReadmeShellExamples(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		testenv.Missing(t, "curl")
	}
	cfg := testConfig(t, "sqlite")
	cfg.Federation = "true" // the Federation section's example asks _entities
	a, srv := startApp(t, cfg)
	admin := serveMetrics(t, a) // the operators' listener the metrics example reads
	bin := filepath.Join(t.TempDir(), "mkggraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	var script strings.Builder
	script.WriteString("set -eo pipefail\n")
	blocks := 0
	var texts []string // each block's text when it should print an answer with data
	for _, f := range readmeFences(t) {
		if f.lang != "sh" || !(strings.Contains(f.text, "curl ") || strings.Contains(f.text, "create-admin")) {
			continue
		}
		blocks++
		texts = append(texts, "")
		stream := strings.Contains(f.text, "text/event-stream")
		metrics := strings.Contains(f.text, "/metrics") // Prometheus text, not GraphQL
		if strings.Contains(f.text, "curl ") && !strings.Contains(f.text, " -o ") && !stream && !metrics {
			texts[len(texts)-1] = f.text
		}
		text := strings.ReplaceAll(f.text, "localhost:8080", host)
		text = strings.ReplaceAll(text, "127.0.0.1:6060", admin)
		text = strings.ReplaceAll(text, "go run .", bin)
		if stream {
			// A subscription's stream runs until curl's --max-time, which
			// ends it with code 28: shortened here, and that code is its
			// success.
			text = strings.Replace(text, "--max-time 60", "--max-time 2", 1)
			text = "{ " + text + "\n} || [ $? -eq 28 ]"
		}
		fmt.Fprintf(&script, "sleep 1\necho '@@@ block %d'\n%s\necho\n", blocks, text)
	}
	if blocks < 4 {
		t.Fatalf("found %d shell examples with curl in the README", blocks)
	}
	dir := t.TempDir()
	cmd := exec.Command("bash", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "MKG_SQLITE_PATH="+cfg.SQLitePath, "MKG_FILE_DIR="+cfg.FileDir, "MKG_LOG_LEVEL=error", "DATABASE_URL=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("README shell examples: %v\n%s", err, out)
	}
	for i, block := range strings.Split(string(out), "@@@ block ")[1:] {
		if strings.Contains(block, `"errors"`) || texts[i] != "" && !strings.Contains(block, `"data"`) {
			t.Errorf("README shell example %s", block)
		}
	}
	if !strings.Contains(string(out), "mkg_http_requests_total{") {
		t.Errorf("the metrics example printed no request counts:\n%s", out)
	}
	if st, err := os.Stat(filepath.Join(dir, "scan.vol")); err != nil || st.Size() < 1<<10 {
		t.Errorf("the radar volume was not downloaded: %v", err)
	}
	if !strings.Contains(string(out), "<volume") {
		t.Errorf("the first KiB of the volume is not its XML header:\n%s", out)
	}
}

// TestReadmeCommands: every mkggraph command line in the README's shell
// blocks (go run . …, mkggraph …) names a command and only flags that
// command takes; the configuration table lists the server's settings, each
// with its variable, and every one of them; the ingest flags table lists
// ingest's own flags.
func TestReadmeCommands(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	invocation := regexp.MustCompile(`(?:^|\s)(?:go run \.|mkggraph)(?:\s+(.*)|$)`)
	checked := 0
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllSubmatch(readme, -1) {
		for _, line := range strings.Split(string(block[1]), "\n") {
			for _, part := range strings.Split(line, "#") { // a comment may hold an alternative ("# or: mkggraph …")
				m := invocation.FindStringSubmatch(part)
				if m == nil {
					continue
				}
				checked++
				args, _, _ := strings.Cut(m[1], " |") // the command, not what its output is piped to
				args = strings.TrimSuffix(strings.TrimSpace(args), "\\")
				if err := parseOnly(shellWords(args)); err != nil {
					t.Errorf("README: %s: %v", strings.TrimSpace(part), err)
				}
			}
		}
	}
	if checked < 5 {
		t.Errorf("found %d mkggraph command lines in the README", checked)
	}

	cfg := defaultConfig()
	_, serve, _ := lookup("serve").flagSet(&cfg)
	env := map[string]string{}
	for _, s := range serve.list {
		env[s.flag] = s.env
	}
	listed := map[string]bool{}
	for _, row := range regexp.MustCompile("(?m)^\\| `-([a-z0-9-]+)` \\| `([A-Z_]+)` \\|").FindAllStringSubmatch(string(readme), -1) {
		listed[row[1]] = true
		if env[row[1]] != row[2] {
			t.Errorf("README's configuration table lists -%s with %s; the server reads %q", row[1], row[2], env[row[1]])
		}
	}
	for flag := range env {
		if !listed[flag] {
			t.Errorf("README's configuration table does not list -%s", flag)
		}
	}

	section := string(readme[strings.Index(string(readme), "## Loading data"):])
	section = section[:strings.Index(section[3:], "\n## ")+3]
	_, ingestSettings, _ := lookup("ingest").flagSet(&cfg)
	rows := regexp.MustCompile("(?m)^\\| `-([a-z-]+)[ `]").FindAllStringSubmatch(section, -1)
	if len(rows) < 5 {
		t.Errorf("found %d rows in the README's ingest flags table", len(rows))
	}
	for _, row := range rows {
		if ingestSettings.fs.Lookup(row[1]) == nil {
			t.Errorf("README's ingest flags table lists -%s, which ingest does not take", row[1])
		}
	}
}

// parseOnly reads a command line as run would, without running it.
func parseOnly(args []string) error {
	name, rest := "serve", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	c := lookup(name)
	if c == nil {
		return fmt.Errorf("no command %q", name)
	}
	cfg := defaultConfig()
	fs, _, _ := c.flagSet(&cfg)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if !c.takesArgs && fs.NArg() > 0 {
		return fmt.Errorf("%s takes no argument %q", name, fs.Arg(0))
	}
	return nil
}

// shellWords splits a command line as a shell would, for the quoting the
// README uses.
func shellWords(s string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words, in = append(words, w.String()), false
				w.Reset()
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// TestReadmeErrorCodes: the README's table of error codes lists every code
// the server sends, and only those: the codes declared in the domain
// (mkg.E…), the limits (graph.Code…) and the HTTP edge (httpapi's code…),
// every literal "code": "…" of those packages and of the downloads, and
// the two of gqlgen's that pass through (parse and validation; persisted
// queries).
func TestReadmeErrorCodes(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, row := range regexp.MustCompile("(?m)^  \\| ((?:`[A-Z_]+`(?:, )?)+) \\|").FindAllStringSubmatch(string(readme), -1) {
		for _, c := range regexp.MustCompile("`([A-Z_]+)`").FindAllStringSubmatch(row[1], -1) {
			listed[c[1]] = true
		}
	}
	sent := map[string]bool{errcode.ParseFailed: true, errcode.ValidationFailed: true, "PERSISTED_QUERY_NOT_FOUND": true}
	declared := regexp.MustCompile(`^(E[A-Z]+|Code[A-Z][A-Za-z]*|code[A-Z][A-Za-z]*)$`)
	for _, dir := range []string{"mkg", "graph", "httpapi", "download", "authn"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "generated.go") {
				continue
			}
			f, err := goparser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			goast.Inspect(f, func(n goast.Node) bool {
				switch n := n.(type) {
				case *goast.ValueSpec:
					for i, id := range n.Names {
						if lit, ok := valueAt(n.Values, i).(*goast.BasicLit); ok && declared.MatchString(id.Name) && lit.Kind == token.STRING {
							sent[strings.Trim(lit.Value, `"`)] = true
						}
					}
				case *goast.KeyValueExpr:
					key, _ := n.Key.(*goast.BasicLit)
					val, _ := n.Value.(*goast.BasicLit)
					if key != nil && val != nil && key.Value == `"code"` && val.Kind == token.STRING {
						sent[strings.Trim(val.Value, `"`)] = true
					}
				}
				return true
			})
		}
	}
	if len(sent) < 15 {
		t.Fatalf("found only %d codes in the source: %v", len(sent), sent)
	}
	for c := range sent {
		if !listed[c] {
			t.Errorf("the README's error codes do not list %s", c)
		}
	}
	for c := range listed {
		if !sent[c] {
			t.Errorf("the README lists the error code %s, which the server does not send", c)
		}
	}
}

func valueAt(values []goast.Expr, i int) goast.Expr {
	if i < len(values) {
		return values[i]
	}
	return nil
}

// TestReadmeLayout: the Layout section names every folder of the
// repository once, and only folders and files that exist.
func TestReadmeLayout(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme[strings.Index(string(readme), "## Layout"):])
	block := regexp.MustCompile("(?s)```\n(.*?)```").FindStringSubmatch(section)[1]
	named := map[string]int{}
	for _, line := range strings.Split(block, "\n") {
		if line == "" || line[0] == ' ' {
			continue // a description's continuation
		}
		left, _, _ := strings.Cut(line, "   ")
		for _, entry := range strings.Split(left, ", ") {
			entry = strings.TrimSpace(entry)
			if entry == "…" {
				continue
			}
			if strings.Contains(entry, "/") {
				top, _, _ := strings.Cut(entry, "/")
				named[top]++
			}
			if _, err := os.Stat(strings.TrimSuffix(strings.Split(entry, "*")[0], "/")); err != nil {
				t.Errorf("README Layout names %q, which does not exist", entry)
			}
		}
	}
	dirs, _ := os.ReadDir(".")
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		if named[d.Name()] != 1 {
			t.Errorf("README Layout names %s/ %d times, want once", d.Name(), named[d.Name()])
		}
	}
}

// TestReadmeFieldsExist: every Type.field the README names in backticks,
// for a type of the schema, is a field of that type; a deprecated one is
// not named.
func TestReadmeFieldsExist(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	refs := regexp.MustCompile("`([A-Z][A-Za-z]+)\\.([a-z][A-Za-z]*)").FindAllStringSubmatch(string(readme), -1)
	checked := 0
	for _, ref := range refs {
		typ := schema.Types[ref[1]]
		if typ == nil {
			continue // not a schema type (a Go name)
		}
		checked++
		f := typ.Fields.ForName(ref[2])
		switch {
		case f == nil:
			t.Errorf("README names %s.%s: no such field", ref[1], ref[2])
		case f.Directives.ForName("deprecated") != nil:
			t.Errorf("README names %s.%s, which is deprecated", ref[1], ref[2])
		}
	}
	if checked < 10 {
		t.Errorf("found %d Type.field references in the README", checked)
	}
}
