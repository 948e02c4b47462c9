package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// TestEveryProtectedFieldForEveryCaller walks the schema for every field
// whose requirement can be denied (its @dataset or @hasRole, or its type's,
// not already passed by an enclosing field), builds a real query reaching
// it, and runs it over HTTP as every kind of caller: anonymous, a partner
// without the grant, with the grant, with an expired grant, a suspended
// partner, and an administrator. It checks each outcome against the rules
// of the access regulation, first with every dataset RESTRICTED, then under
// the default classifications. A field added later is walked too: if it
// needs arguments the walk does not know, the test says so and fails.
func TestEveryProtectedFieldForEveryCaller(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			cfg.demoFiles = nil // every kind, for every field
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			ids := sampleIDs(t, a, srv, c)
			entries := protectedEntries(t)
			if len(entries) < 15 {
				t.Fatalf("found %d protected entry fields: the walk is broken", len(entries))
			}
			// Every dataset RESTRICTED, through the admin API.
			for _, d := range mkg.Datasets {
				mustData(t, postAs(t, srv.URL, c.admin, fmt.Sprintf(`mutation { setDatasetClassification(dataset: "%s", classification: "RESTRICTED") { classification } }`, d), nil))
			}
			classes := map[mkg.Dataset]mkg.Classification{}
			for _, d := range mkg.Datasets {
				classes[d] = mkg.Restricted
			}
			checkAll(t, srv, c, entries, ids, classes, false)
			// The defaults: open data reach everyone, registered data any account.
			for d, cl := range mkg.DefaultClassifications {
				mustData(t, postAs(t, srv.URL, c.admin, fmt.Sprintf(`mutation { setDatasetClassification(dataset: "%s", classification: "%s") { classification } }`, d, cl), nil))
			}
			checkAll(t, srv, c, entries, ids, mkg.DefaultClassifications, true)
		})
	}
}

// entry is a field reached by a path whose requirement is checked there.
type entry struct {
	path []step // from the root, the last step is the field itself
	req  graph.Requirement
	root string // "query" or "mutation"
	typ  string // for node entries: the concrete type the ID names
	leaf bool   // the field returns a scalar or an enum: no selection under it
}

// step is a field on the path, with the requirement checked there (if any):
// a caller denied earlier on the path is denied there, not at the entry.
type step struct {
	field, args string
	req         graph.Requirement
}

func (e entry) name() string {
	var parts []string
	for _, s := range e.path {
		parts = append(parts, s.field)
	}
	if e.typ != "" {
		return strings.Join(parts, ".") + "<" + e.typ + ">"
	}
	return strings.Join(parts, ".")
}

// pathArgs are the arguments the walk gives fields on its paths: small
// pages, and a station known to have observations. {placeholders} are the
// IDs of sampleIDs.
var pathArgs = map[string]string{
	"Query.stations":                    `(first: 2, filter: {wmoIndex: "15015"})`,
	"Query.observations":                `(first: 2)`,
	"Query.earthquakes":                 `(first: 2)`,
	"Query.station":                     `(id: "{station}")`,
	"Query.stationByWmo":                `(wmoIndex: "15015")`,
	"Query.earthquake":                  `(id: "{earthquake}")`,
	"Query.account":                     `(id: "{account}")`,
	"Query.accounts":                    `(first: 2)`,
	"Query.auditLog":                    `(first: 2)`,
	"Query.radarScans":                  `(first: 2)`,
	"Query.radarScan":                   `(id: "{radarscan}")`,
	"Query.satelliteProduct":            `(id: "{satelliteproduct}")`,
	"Query.exportObservations":          `(level: L2)`,
	"RadarSite.scans":                   `(first: 2)`,
	"Station.climate":                   `(from: "2020-11-20T00:00:00Z", to: "2020-11-21T00:00:00Z")`,
	"Query.climateSummary":              `(station: "{station}", period: MONTH, from: "2020-11-01T00:00:00Z", to: "2020-11-30T00:00:00Z")`,
	"Query.lightningStrikes":            `(bbox: {south: 0, west: 103, north: 2, east: 105}, from: "2025-04-09T00:00:00Z", to: "2025-04-11T00:00:00Z", first: 2)`,
	"Query.lightningDensity":            `(bbox: {south: 0, west: 103, north: 2, east: 105}, from: "2025-04-09T00:00:00Z", to: "2025-04-11T00:00:00Z", cellSizeKm: 50)`,
	"Query.airQualityStation":           `(code: "DKI1")`,
	"AirQualityStation.measurements":    `(from: "2010-01-01T00:00:00Z", to: "2010-01-02T00:00:00Z")`,
	"AirQualityStation.dailyIndex":      `(from: "2010-01-01T00:00:00Z", to: "2010-01-02T00:00:00Z")`,
	"Query.groundMotions":               `(station: "AOM001", first: 2)`,
	"Earthquake.shakemapAt":             `(latitude: -3.56, longitude: 102.59)`,
	"Query.exportGroundMotions":         `(earthquake: "{earthquake}")`,
	"Query.exportLightning":             `(bbox: {south: 0, west: 103, north: 2, east: 105}, from: "2025-04-09T00:00:00Z", to: "2025-04-11T00:00:00Z")`,
	"Query.exportClimate":               `(station: "{station}", level: L2, from: "2020-11-01T00:00:00Z", to: "2020-11-30T00:00:00Z")`,
	"Query.exportAirQuality":            `(station: "DKI1", level: L2, from: "2021-01-01T00:00:00Z", to: "2021-01-31T00:00:00Z")`,
	"Mutation.deleteRadarScan":          `(id: "{scratchRadarScan}")`,
	"Mutation.deleteSatelliteProduct":   `(id: "{scratchSatellite}")`,
	"Station.observations":              `(first: 2)`,
	"Earthquake.nearestStations":        `(first: 2)`,
	"Mutation.createAccount":            `(input: {organisation: "Walk", contactName: "W", contactEmail: "w@example.org", application: {name: "walk"}})`,
	"Mutation.updateAccount":            `(id: "{scratchAccount}", input: {organisation: "Walk 2", contactName: "W", contactEmail: "w@example.org", application: {name: "walk"}})`,
	"Mutation.setAccountStatus":         `(id: "{scratchAccount}", status: SUSPENDED, reason: "walk")`,
	"Mutation.grantDataset":             `(accountId: "{scratchAccount}", dataset: "LIGHTNING")`,
	"Mutation.revokeGrant":              `(accountId: "{scratchAccount}", dataset: "SATELLITE")`,
	"Mutation.issueApiKey":              `(accountId: "{scratchAccount}", label: "walk")`,
	"Mutation.rotateApiKey":             `(id: "{scratchKey1}")`,
	"Mutation.revokeApiKey":             `(id: "{scratchKey2}", reason: "walk")`,
	"Mutation.setDatasetClassification": `(dataset: "LIGHTNING", classification: "RESTRICTED")`,
	"Query.accessRequest":               `(id: "{accessrequest}")`,
	"Query.accessRequests":              `(first: 2)`,
	"Query.accessRequestStats":          `(from: "2020-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z")`,
	"Mutation.reviewAccessRequest":      `(id: "{accessrequest}", checklist: [{item: "letter signed", ok: true}], decision: FORWARD)`,
	"Mutation.startFulfilment":          `(id: "{accessrequest}")`,
	"Mutation.escalateAccessRequest":    `(id: "{accessrequest}", to: APPLICANT, note: "walk")`,
	"Mutation.resumeFulfilment":         `(id: "{accessrequest}")`,
	"Mutation.fulfilAccessRequest":      `(id: "{accessrequest}", grants: [])`,
	"Mutation.closeAccessRequest":       `(id: "{accessrequest}")`,
	"Mutation.rejectAccessRequest":      `(id: "{accessrequest}", reason: "walk")`,
	"Query.feed":                        `(name: "bmkg-autogempa")`,
	"Mutation.createFeed":               `(input: {name: "walk", kind: SPOOL, path: "walk", intervalSeconds: 60})`,
	"Mutation.updateFeed":               `(name: "usgs-indonesia", input: {name: "usgs-indonesia", kind: HTTP, url: "https://earthquake.usgs.gov/fdsnws/event/1/query?format=quakeml", intervalSeconds: 600})`,
	"Mutation.setFeedEnabled":           `(name: "bmkg-gempaterkini", enabled: false)`,
	"Mutation.deleteFeed":               `(name: "bmkg-gempadirasakan")`,
	"Query.usage":                       `(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z")`,
	"Query.usageLines":                  `(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", first: 2)`,
	"Query.exportUsage":                 `(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z")`,
	"Mutation.registerTrustedDocuments": `(documents: [{name: "walk", query: "{ stations(first: 1) { totalCount } }"}])`,
	"Mutation.removeTrustedDocument":    `(id: "sha256:0000000000000000000000000000000000000000000000000000000000000000")`,
	"Mutation.setAccountBudget":         `(id: "{scratchAccount}", perDay: 100000)`,
}

// protectedEntries finds, breadth first, the shortest path to every field
// whose requirement is not implied by the fields above it.
func protectedEntries(t *testing.T) []entry {
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	authz, err := graph.NewAuthorizer(schema, model.TypeName)
	if err != nil {
		t.Fatal(err)
	}
	type state struct {
		typ    string
		path   []step
		passed []graph.Requirement
	}
	var out []entry
	done := map[string]bool{}
	for _, root := range []string{"Query", "Mutation"} {
		queue := []state{{typ: root}}
		seen := map[string]bool{}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			if len(s.path) > 6 || seen[s.typ+fmt.Sprint(len(s.passed))] {
				continue
			}
			seen[s.typ+fmt.Sprint(len(s.passed))] = true
			for _, f := range schema.Types[s.typ].Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				key := s.typ + "." + f.Name
				args, known := pathArgs[key]
				if !known && requiredArgs(f) && f.Name != "node" {
					if !done[key] && !authz.FieldRequirement(s.typ, f.Name).None() {
						t.Errorf("%s needs arguments the walk does not know: add them to pathArgs", key)
						done[key] = true
					}
					continue
				}
				req := authz.FieldRequirement(s.typ, f.Name)
				path := append(slices.Clone(s.path), step{field: f.Name, args: args})
				passed := s.passed
				if !req.None() && !impliedByAny(s.passed, req) {
					path[len(path)-1].req = req
					if !done[key] {
						done[key] = true
						leaf := schema.Types[f.Type.Name()].Kind == ast.Scalar || schema.Types[f.Type.Name()].Kind == ast.Enum
						out = append(out, entry{path: path, req: req, root: strings.ToLower(root), leaf: leaf})
					}
					passed = append(slices.Clone(passed), req)
				}
				ret := schema.Types[f.Type.Name()]
				switch {
				case f.Name == "node" && s.typ == "Query":
					for _, impl := range schema.GetPossibleTypes(ret) {
						tr := authz.TypeRequirement(impl.Name)
						if !tr.None() && !done["node<"+impl.Name+">"] {
							done["node<"+impl.Name+">"] = true
							out = append(out, entry{path: []step{{field: "node", args: `(id: "{` + strings.ToLower(impl.Name) + `}")`, req: tr}}, req: tr, root: "query", typ: impl.Name})
						}
					}
				case ret.Kind == ast.Object && root == "Query":
					queue = append(queue, state{typ: ret.Name, path: path, passed: passed})
				}
			}
		}
	}
	return out
}

func requiredArgs(f *ast.FieldDefinition) bool {
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			return true
		}
	}
	return false
}

func impliedByAny(passed []graph.Requirement, r graph.Requirement) bool {
	for _, p := range passed {
		if r.ImpliedBy(p) {
			return true
		}
	}
	return false
}

// query builds the operation for an entry: its path, a minimal selection
// under the field, and (for queries) an open field beside it, which must be
// delivered whatever happens to the protected one.
func (e entry) query(ids map[string]string) string {
	var b strings.Builder
	b.WriteString(e.root + " { ")
	if e.root == "query" {
		b.WriteString("viewer { anonymous } ")
	}
	for i, s := range e.path {
		args := s.args
		for k, v := range ids {
			args = strings.ReplaceAll(args, "{"+k+"}", v)
		}
		b.WriteString(s.field + args)
		if !e.leaf || i < len(e.path)-1 {
			b.WriteString(" { ")
		}
	}
	closing := len(e.path)
	if e.leaf {
		closing--
	} else {
		b.WriteString("__typename")
	}
	for range closing {
		b.WriteString(" }")
	}
	b.WriteString(" }")
	return b.String()
}

// expect is the regulation's answer, written out apart from the server's
// implementation: what code each caller gets for a requirement ("" =
// delivered).
func expect(caller string, r graph.Requirement, classes map[mkg.Dataset]mkg.Classification) string {
	if len(r.Datasets) > 0 {
		allowed := false
		for _, d := range r.Datasets {
			switch classes[d] {
			case mkg.Open:
				allowed = true
			case mkg.Registered:
				allowed = allowed || caller == "full" || caller == "none" || caller == "expired" || caller == "admin"
			default:
				allowed = allowed || caller == "full" || caller == "admin"
			}
		}
		if !allowed && caller == "anonymous" {
			return "UNAUTHENTICATED"
		}
		if !allowed {
			return "FORBIDDEN"
		}
	}
	if len(r.Roles) > 0 {
		switch {
		case caller == "anonymous":
			return "UNAUTHENTICATED"
		case caller != "admin" || !slices.Contains(r.Roles, mkg.RoleAdmin):
			return "FORBIDDEN"
		}
	}
	return ""
}

func checkAll(t *testing.T, srv *httptest.Server, c *callers, entries []entry, ids map[string]string, classes map[mkg.Dataset]mkg.Classification, readOnly bool) {
	t.Helper()
	keys := map[string]string{"anonymous": "", "none": c.none, "full": c.full, "expired": c.expired, "suspended": c.suspended, "admin": c.admin}
	for _, e := range entries {
		if readOnly && e.root == "mutation" {
			continue // mutations ran in the first pass; they do not depend on classifications
		}
		q := e.query(ids)
		for _, caller := range []string{"anonymous", "none", "full", "expired", "suspended", "admin"} {
			want, at := "", e.path
			for i, s := range e.path {
				if code := expect(caller, s.req, classes); code != "" {
					want, at = code, e.path[:i+1]
					break
				}
			}
			r := postAs(t, srv.URL, keys[caller], q, nil)
			got := codeAt(r, at)
			if other := accessErrorsElsewhere(r, at); len(other) > 0 {
				t.Errorf("%s as %s: access errors at other paths: %v\n  query: %s", e.name(), caller, other, q)
			}
			if got != want {
				t.Errorf("%s as %s: got %q, want %q\n  query: %s\n  response: %.600s", e.name(), caller, got, want, q, r.Raw)
			}
			if e.root == "query" && dig(r.Data, "viewer", "anonymous") != (caller == "anonymous") {
				t.Errorf("%s as %s: the open part of the query was not delivered: %.300s", e.name(), caller, r.Raw)
			}
			if want != "" && r.Data != nil && dig(r.Data, fieldsOf(at)...) != nil {
				t.Errorf("%s as %s: denied but a value was delivered: %.300s", e.name(), caller, r.Raw)
			}
		}
	}
}

func fieldsOf(path []step) []any {
	out := make([]any, len(path))
	for i, s := range path {
		out[i] = s.field
	}
	return out
}

// codeAt returns the access code of the error at the path (list indexes
// ignored), "" when there is none.
func codeAt(r *gqlResponse, path []step) string {
	want := make([]string, len(path))
	for i, s := range path {
		want[i] = s.field
	}
	for i, e := range r.Errors {
		code := r.code(i)
		if slices.Equal(errorPath(e.Path), want) && (code == "FORBIDDEN" || code == "UNAUTHENTICATED") {
			return code
		}
	}
	if r.Status == 401 {
		return "HTTP 401"
	}
	return ""
}

// accessErrorsElsewhere lists access errors not at the path.
func accessErrorsElsewhere(r *gqlResponse, path []step) []string {
	want := make([]string, len(path))
	for i, s := range path {
		want[i] = s.field
	}
	var out []string
	for i, e := range r.Errors {
		code := r.code(i)
		if (code == "FORBIDDEN" || code == "UNAUTHENTICATED") && !slices.Equal(errorPath(e.Path), want) {
			out = append(out, code+" at "+strings.Join(errorPath(e.Path), "."))
		}
	}
	return out
}

func errorPath(p []any) []string {
	var names []string
	for _, x := range p {
		if s, ok := x.(string); ok {
			names = append(names, s)
		}
	}
	return names
}

// sampleIDs finds an object of every node type, and makes scratch objects
// for the mutations to work on.
func sampleIDs(t *testing.T, a *app, srv *httptest.Server, c *callers) map[string]string {
	t.Helper()
	d := mustData(t, postAs(t, srv.URL, c.admin, `{
		stationByWmo(wmoIndex: "15015") { id latestObservation { id } }
		latestEarthquake { id }
		accounts(first: 1) { edges { node { id apiKeys { id } } } }
		auditLog(first: 1) { edges { node { id } } }
	}`, nil))
	ids := map[string]string{
		"station":     dig(d, "stationByWmo", "id").(string),
		"observation": dig(d, "stationByWmo", "latestObservation", "id").(string),
		"earthquake":  dig(d, "latestEarthquake", "id").(string),
		"account":     dig(d, "accounts", "edges", 0, "node", "id").(string),
		"apikey":      dig(d, "accounts", "edges", 0, "node", "apiKeys", 0, "id").(string),
		"auditevent":  dig(d, "auditLog", "edges", 0, "node", "id").(string),
	}
	ctx := context.Background()
	scratch, err := a.Store.CreateAccount(ctx, testActor, mkg.AccountInput{Organisation: "Scratch", ContactName: "S",
		ContactEmail: "s@example.org", Application: mkg.ClientApplication{Name: "scratch"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.AddGrant(ctx, testActor, scratch.ID, mkg.DatasetSatellite, nil); err != nil {
		t.Fatal(err)
	}
	ids["scratchAccount"] = model.NodeID(model.TypeAccount, scratch.ID)
	for _, name := range []string{"scratchKey1", "scratchKey2"} {
		_, k, err := a.Store.IssueKey(ctx, testActor, scratch.ID, name, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = model.NodeID(model.TypeAPIKey, k.ID)
	}
	// A self-service request, as the public submits it.
	sub := upload(t, srv.URL, "", submitMutation, map[string]any{"input": requestInput("SIBATIK"),
		"key": "schema-walk-request-0001"}, "letter.png", letterPNG(t))
	number := dig(mustData(t, sub), "submitAccessRequest", "request", "number").(string)
	q := mustData(t, postAs(t, srv.URL, c.admin, `query($n: String!) { accessRequests(first: 1, filter: {number: $n}) { edges { node { id } } } }`,
		map[string]any{"n": number}))
	ids["accessrequest"] = dig(q, "accessRequests", "edges", 0, "node", "id").(string)
	// Radar scans of the demo data: one to read, one the walk deletes.
	scans := mustData(t, postAs(t, srv.URL, c.admin, `{ radarScans(first: 10) { edges { node { id fileName site { id } } } } }`, nil))
	for _, e := range dig(scans, "radarScans", "edges").([]any) {
		switch dig(e, "node", "fileName") {
		case "2013051000000600dBZ.vol":
			ids["radarscan"], ids["radarsite"] = dig(e, "node", "id").(string), dig(e, "node", "site", "id").(string)
		case "example_cfradial_ppi.nc":
			ids["scratchRadarScan"] = dig(e, "node", "id").(string)
		}
	}
	// Satellite products: no real Himawari file is bundled, so two files
	// named by the HSD convention, one to read and one to delete.
	for i, name := range []string{"HS_H09_20240101_0000_B13_FLDK_R20_S0110.DAT", "HS_H09_20240101_0010_B13_FLDK_R20_S0110.DAT"} {
		if _, err := a.Ingest.File(ctx, name, []byte(fmt.Sprintf("HSD segment %d", i)), ingest.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	sat := mustData(t, postAs(t, srv.URL, c.admin, `{ satelliteProducts(first: 2) { edges { node { id } } } }`, nil))
	ids["scratchSatellite"] = dig(sat, "satelliteProducts", "edges", 0, "node", "id").(string)
	ids["satelliteproduct"] = dig(sat, "satelliteProducts", "edges", 1, "node", "id").(string)
	return ids
}
