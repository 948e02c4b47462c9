package main

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	dto "github.com/prometheus/client_model/go"

	"github.com/bmkg/mkggraph/internal/testenv"
)

// TestOpsReferenceExportedMetrics keeps the committed alert rules and
// Grafana dashboard from rotting: every metric they name, with every label
// they select on, is one a running server exports (a scrape of a test
// server with Redis after real requests).
func TestOpsReferenceExportedMetrics(t *testing.T) {
	var rules struct {
		Groups []struct {
			Name  string `yaml:"name"`
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	raw, err := os.ReadFile("ops/prometheus/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatalf("alerts.yml: %v", err)
	}
	exprs := map[string]string{} // where → expression
	var alerts []string
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			if r.Alert == "" || r.Expr == "" {
				t.Errorf("group %s: a rule without alert or expr", g.Name)
			}
			alerts = append(alerts, r.Alert)
			exprs["alert "+r.Alert] = r.Expr
		}
	}
	for _, want := range []string{"MkgServiceStandardBreached", "MkgHighErrorRate", "MkgFeedStalled", "MkgCacheDown"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("alerts.yml has no %s", want)
		}
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	raw, err = os.ReadFile("ops/grafana/mkggraph-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	for _, p := range dash.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for i, tg := range p.Targets {
			exprs["panel "+p.Title+" #"+string(rune('A'+i))] = tg.Expr
		}
	}

	url, prefix := testenv.RedisURL(t)
	cfg := testConfig(t, "sqlite")
	cfg.RedisURL, cfg.RedisPrefix = url, prefix
	a, srv := startApp(t, cfg)
	post(t, srv.URL, dashboardQuery, nil)
	post(t, srv.URL, `{ nosuchfield }`, nil)
	// What the feed pollers (issue 13.1) will report, as they will.
	a.Metrics.FeedPolled("bmkg-autogempa", time.Now(), true)
	fams := scrape(t, serveMetrics(t, a))

	names := regexp.MustCompile(`\b(?:mkg|go|process)_[a-z0-9_]+\b`)
	selector := regexp.MustCompile(`\b((?:mkg|go|process)_[a-z0-9_]+)\{([^}]*)\}`)
	label := regexp.MustCompile(`([a-z_]+)\s*(?:=~|!~|!=|=)`)
	for where, expr := range exprs {
		for _, name := range names.FindAllString(expr, -1) {
			if family(fams, name) == nil {
				t.Errorf("%s names %s, which the server does not export", where, name)
			}
		}
		for _, m := range selector.FindAllStringSubmatch(expr, -1) {
			f := family(fams, m[1])
			if f == nil {
				continue
			}
			for _, l := range label.FindAllStringSubmatch(m[2], -1) {
				if l[1] != "job" && l[1] != "instance" && !hasLabel(f, l[1]) {
					t.Errorf("%s selects %s by %q, a label it does not have", where, m[1], l[1])
				}
			}
		}
	}
}

// family is the family a series name belongs to: a histogram's _bucket,
// _sum and _count series belong to the histogram.
func family(fams map[string]*dto.MetricFamily, name string) *dto.MetricFamily {
	if f := fams[name]; f != nil {
		return f
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if f := fams[base]; f != nil && f.GetType() == dto.MetricType_HISTOGRAM {
				return f
			}
		}
	}
	return nil
}

func hasLabel(f *dto.MetricFamily, name string) bool {
	if name == "le" && f.GetType() == dto.MetricType_HISTOGRAM {
		return true
	}
	for _, m := range f.Metric {
		for _, l := range m.Label {
			if l.GetName() == name {
				return true
			}
		}
	}
	return false
}
