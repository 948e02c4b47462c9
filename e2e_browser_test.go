package main

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/graphiql/graphiqltest"
	"github.com/bmkg/mkggraph/internal/testenv"
)

// TestGraphiQLInChromium opens the server's own GraphiQL in headless
// Chromium, runs a query against the real data with a click, and checks that
// the page loaded nothing from anywhere but the server (partners may be on
// closed networks) and reported no error.
func TestGraphiQLInChromium(t *testing.T) {
	if _, err := graphiqltest.FindChromium(); err != nil {
		testenv.Missing(t, err.Error())
	}
	forEachBackendAs(t, func(t *testing.T, a *app, srv *httptest.Server, c *callers) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		b, err := graphiqltest.Launch(ctx, graphiqltest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		res, err := graphiqltest.RunQuery(ctx, b, srv.URL+"/graphiql/", graphiqltest.Query{
			Query: `{ stationByWmo(wmoIndex: "15015") { name latestObservation { observedAt decoded { airTemperature } } }
			          latestEarthquake { originTime magnitude region } }`,
			Headers: map[string]string{"Authorization": "Bearer " + c.full},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"OCNA SUGATAG"`, `"2022-03-21T12:00:00Z"`, `10.3`, `"2025-12-24T05:30:34Z"`} {
			if !strings.Contains(res.Response, want) {
				t.Errorf("result pane lacks %s:\n%s", want, res.Response)
			}
		}
		u, _ := url.Parse(srv.URL)
		if outside := graphiqltest.OutsideHost(res.Requests, u.Hostname()); len(outside) > 0 {
			t.Errorf("the page requested outside the server: %v", outside)
		}
		if len(res.Problems) > 0 {
			t.Errorf("the page reported problems: %v", res.Problems)
		}
	})
}
