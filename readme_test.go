package main

import (
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeExamples runs every GraphQL example of the README against the
// demo data: the README stays true.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) < 3 {
		t.Fatalf("found %d GraphQL examples in the README", len(blocks))
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		for _, b := range blocks {
			r := postAs(t, srv.URL, c.admin, string(b[1]), nil)
			if len(r.Errors) > 0 || r.Status != 200 {
				t.Errorf("README example fails:\n%s\n→ %s", b[1], r.Raw)
				continue
			}
			for field, v := range r.Data {
				if v == nil {
					t.Errorf("README example returns nothing for %s:\n%s\n→ %s", field, b[1], r.Raw)
				}
			}
			if len(r.Data) == 0 {
				t.Errorf("README example returns no data:\n%s", b[1])
			}
		}
	})
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
				if err := parseOnly(shellWords(m[1])); err != nil {
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
