package main

import (
	"net/http/httptest"
	"os"
	"regexp"
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
