package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/graphiql"
)

// TestGraphiQLExamples: each example tab GraphiQL opens answers an
// anonymous visitor with real demo data (no error, no object null
// everywhere), or is denied naming exactly the dataset its comment says it
// needs, and then answers a partner granted it; the first shows synoptic
// stations with their WMO index or another identifier, not seismic sensors.
func TestGraphiQLExamples(t *testing.T) {
	examples, err := graphiql.Examples()
	if err != nil || len(examples) < 6 {
		t.Fatalf("examples: %d, %v", len(examples), err)
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		for _, ex := range examples {
			var vars map[string]any
			if ex.Variables != "" {
				if err := json.Unmarshal([]byte(ex.Variables), &vars); err != nil {
					t.Fatalf("%s: variables: %v", ex.Title, err)
				}
			}
			anon := postAs(t, srv.URL, "", ex.Query, vars)
			if ex.Needs == "" {
				if len(anon.Errors) > 0 || anon.Status != 200 {
					t.Errorf("%s, anonymous: %s", ex.Title, anon.Raw)
				}
				composite := compositeFields(t, ex.Query)
				for _, path := range onlyNulls(anon.Data) {
					if composite[path] {
						t.Errorf("%s shows an anonymous visitor no data for %s: %s", ex.Title, path, anon.Raw)
					}
				}
				continue
			}
			if !strings.Contains(strings.SplitN(ex.Query, "\nquery", 2)[0], ex.Needs) {
				t.Errorf("%s: its comment does not say it needs %s", ex.Title, ex.Needs)
			}
			named := false
			for _, e := range anon.Errors {
				named = named || e.Extensions["dataset"] == ex.Needs || strings.Contains(fmt.Sprint(e.Extensions["anyOf"]), ex.Needs)
			}
			if !named {
				t.Errorf("%s, anonymous: want a denial naming %s: %s", ex.Title, ex.Needs, anon.Raw)
			}
			if r := postAs(t, srv.URL, c.full, ex.Query, vars); len(r.Errors) > 0 {
				t.Errorf("%s, partner granted everything: %s", ex.Title, r.Raw)
			}
		}
		first := postAs(t, srv.URL, "", examples[0].Query, nil)
		edges, _ := dig(first.Data, "stations", "edges").([]any)
		if len(edges) == 0 {
			t.Fatalf("the first example lists no station: %s", first.Raw)
		}
		for _, e := range edges {
			ids, _ := dig(e, "node", "identifiers").([]any)
			if dig(e, "node", "wmoIndex") == nil && len(ids) == 0 || !strings.Contains(fmt.Sprint(dig(e, "node", "kinds")), "SYNOPTIC") {
				t.Errorf("the first example lists a station that is not a synoptic station with an identifier: %v", e)
			}
		}
	})
}
