package metrics

import (
	"fmt"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/bmkg/mkggraph/internal/telemetry"
)

// TestOperationLabelsAreBounded: whatever names clients give their
// operations, the label has at most maxOperations+2 values, and none that
// looks like a credential.
func TestOperationLabelsAreBounded(t *testing.T) {
	m := New()
	for _, c := range []struct{ name, want string }{
		{"", "anonymous"},
		{"Dashboard", "Dashboard"},
		{"mkg_1a2b3c4d_Zm9vYmFy", "other"},
		{"trk_1a2b3c4d_secret", "other"},
		{"MKG_1A2B3C4D_X", "other"},
		{strings.Repeat("a", maxNameLength+1), "other"},
		{"sari@ui.ac.id", "other"},
		{"1abc", "other"},
	} {
		if got := m.operationLabel(c.name); got != c.want {
			t.Errorf("operationLabel(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	seen := map[string]bool{}
	for i := range 10 * maxOperations {
		seen[m.operationLabel(fmt.Sprintf("Op%d", i))] = true
	}
	if len(seen) != maxOperations { // Dashboard took a place: maxOperations-1 Op names, and "other"
		t.Errorf("%d distinct labels for %d names, want %d", len(seen), 10*maxOperations, maxOperations)
	}
	if !seen["other"] || !seen["Op0"] || seen[fmt.Sprintf("Op%d", maxOperations)] {
		t.Errorf("the first names are kept, the later ones are other: %v", len(seen))
	}
	if got := m.operationLabel("Dashboard"); got != "Dashboard" {
		t.Errorf("a name kept stays kept: %q", got)
	}
}

func TestCodeLabels(t *testing.T) {
	m := New()
	for _, c := range []struct {
		code any
		want string
	}{
		{"BAD_USER_INPUT", "BAD_USER_INPUT"}, {nil, "OTHER"}, {42, "OTHER"}, {"sari@ui.ac.id", "OTHER"}, {"lower", "OTHER"},
		{strings.Repeat("A", 41), "OTHER"},
	} {
		if got := m.codeLabel(c.code); got != c.want {
			t.Errorf("codeLabel(%v) = %q, want %q", c.code, got, c.want)
		}
	}
}

// TestFieldTimingDoesNotAllocate: the dashboard query resolves thousands
// of fields; timing one costs no allocation once its histogram exists.
// (Which fields are timed, those running a resolver, is the executor's
// choice: graph's TestFieldMiddleware.)
func TestFieldTimingDoesNotAllocate(t *testing.T) {
	m := New()
	ext := m.GraphQL().(graphQLExtension)
	ext.TimeField("Station", "latestObservation", time.Millisecond)
	if n := testing.AllocsPerRun(1000, func() { ext.TimeField("Station", "latestObservation", time.Millisecond) }); n != 0 {
		t.Errorf("%v allocations per field", n)
	}
	fs := gather(t, m)["mkg_graphql_resolver_duration_seconds"]
	if fs == nil || len(fs.Metric) != 1 || fs.Metric[0].Label[0].GetValue() != "Station.latestObservation" ||
		fs.Metric[0].Histogram.GetSampleCount() != 1002 {
		t.Errorf("want one field series, Station.latestObservation, 1002 observations: %v", fs)
	}
}

func gather(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	fams, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		out[f.GetName()] = f
	}
	return out
}

func counter(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	for _, m := range fams[name].GetMetric() {
		if len(m.Label) != len(labels) {
			continue
		}
		ok := true
		for i, l := range m.Label { // labels in the order Gather sorts them: by name
			ok = ok && l.GetValue() == labels[i]
		}
		if ok {
			return m.GetCounter().GetValue()
		}
	}
	return -1
}

// TestObserveRequest: a request's record becomes its counter, latency and
// SQL series.
func TestObserveRequest(t *testing.T) {
	m := New()
	rec := &telemetry.Request{Operation: "Dashboard", ErrorCode: "NOT_FOUND"}
	rec.Statement(3 * time.Millisecond)
	rec.Statement(1 * time.Millisecond)
	m.ObserveRequest("/graphql", 200, 20*time.Millisecond, rec)
	m.ObserveRequest("", 404, time.Millisecond, nil)
	fams := gather(t, m)
	// Labels sorted by name: code, operation, route, status.
	if v := counter(fams, "mkg_http_requests_total", "NOT_FOUND", "Dashboard", "/graphql", "200"); v != 1 {
		t.Errorf("requests: %v", v)
	}
	if v := counter(fams, "mkg_http_requests_total", "", "", "none", "404"); v != 1 {
		t.Errorf("unrouted requests: %v", v)
	}
	h := fams["mkg_sql_statements_per_request"].GetMetric()[0].GetHistogram()
	if h.GetSampleCount() != 1 || h.GetSampleSum() != 2 {
		t.Errorf("statements per request: %d requests, %v statements; want 1, 2", h.GetSampleCount(), h.GetSampleSum())
	}
	st := fams["mkg_sql_seconds_per_request"].GetMetric()[0].GetHistogram()
	if st.GetSampleSum() < 0.0039 || st.GetSampleSum() > 0.0041 {
		t.Errorf("SQL time per request: %v, want 0.004", st.GetSampleSum())
	}
	if got := statusLabel(999); got != "other" {
		t.Errorf("statusLabel(999) = %q", got)
	}
}
