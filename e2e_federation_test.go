package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// startSubgraph starts a server with -federation true and the demo data on
// backend, and its callers.
func startSubgraph(t *testing.T, backend string) (*app, *httptest.Server, *callers) {
	t.Helper()
	cfg := testConfig(t, backend)
	cfg.Federation = "true"
	a, srv := startApp(t, cfg)
	c := &callers{}
	if err := c.setUp(a); err != nil {
		t.Fatal(err)
	}
	return a, srv, c
}

// entitiesQuery asks _entities for the representations of ids (global IDs,
// their __typename read from them), each type with a few fields.
func entitiesQuery(ids ...string) string {
	reps := make([]string, len(ids))
	for i, id := range ids {
		typ, _, err := model.ParseNodeID(id)
		if err != nil {
			typ = model.TypeStation // an ID that names nothing: asked as a station
		}
		reps[i] = fmt.Sprintf(`{__typename: %q, id: %q}`, typ, id)
	}
	return `{ _entities(representations: [` + strings.Join(reps, ", ") + `]) { __typename
		... on Station { id name }
		... on Earthquake { id magnitude region }
		... on Observation { id stationIndex decoded { airTemperature } } } }`
}

// firstIDs returns the global IDs of the first n items of a connection.
func firstIDs(t *testing.T, base, key, field string, n int) []string {
	t.Helper()
	d := mustData(t, postAs(t, base, key, fmt.Sprintf(`{ %s(first: %d) { edges { node { id } } } }`, field, n), nil))
	ids := make([]string, n)
	for i := range ids {
		ids[i], _ = dig(d, field, "edges", i, "node", "id").(string)
		if ids[i] == "" {
			t.Fatalf("%s: fewer than %d items: %v", field, n, d)
		}
	}
	return ids
}

// TestFederationEntities: with -federation, _entities resolves a mix of
// stations, earthquakes and observations by their global IDs, in the
// order asked, one loader batch per type whatever their number; an ID that
// names nothing is a null entity with NOT_FOUND at its index, one that is
// no representation (not an entity's __typename, no id) is refused with
// BAD_USER_INPUT naming it; an entity
// the caller may not see is null with the error node gives (UNAUTHENTICATED
// anonymously, FORBIDDEN for an account without the grant) while the
// others resolve; and _service { sdl } holds the entities' @key.
func TestFederationEntities(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			a, srv, c := startSubgraph(t, backend)
			st := firstIDs(t, srv.URL, c.full, "stations", 3)
			eq := firstIDs(t, srv.URL, c.full, "earthquakes", 3)
			ob := firstIDs(t, srv.URL, c.full, "observations", 2)
			unknown := nodeID(model.TypeStation, 1<<40)

			r := postAs(t, srv.URL, c.full, entitiesQuery(st[0], eq[0], ob[0], unknown, st[1], eq[1]), nil)
			want := []struct{ typ, id string }{{"Station", st[0]}, {"Earthquake", eq[0]}, {"Observation", ob[0]}, {}, {"Station", st[1]}, {"Earthquake", eq[1]}}
			for i, w := range want {
				got, _ := dig(r.Data, "_entities", i).(map[string]any)
				if w.id == "" {
					if got != nil {
						t.Errorf("entity %d (unknown id): %v", i, got)
					}
					continue
				}
				if got["__typename"] != w.typ || got["id"] != w.id {
					t.Errorf("entity %d: %v, want %s %s", i, got, w.typ, w.id)
				}
			}
			if dig(r.Data, "_entities", 1, "magnitude") == nil || dig(r.Data, "_entities", 0, "name") == nil {
				t.Errorf("entities' fields: %s", r.Raw)
			}
			if len(r.Errors) != 1 || r.code(0) != "NOT_FOUND" || fmt.Sprint(r.Errors[0].Path) != "[_entities 3]" {
				t.Errorf("unknown id: want one NOT_FOUND at _entities[3]: %s", r.Raw)
			}

			// As a router sends them: in a variable. A representation no
			// router could send refuses the request, naming it.
			const byVariable = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Earthquake { id } } }`
			rep := func(typ, id string) map[string]any { return map[string]any{"__typename": typ, "id": id} }
			if r := postAs(t, srv.URL, c.full, byVariable, map[string]any{"r": []any{rep("Earthquake", eq[2])}}); dig(r.Data, "_entities", 0, "id") != eq[2] {
				t.Errorf("representations in a variable: %s", r.Raw)
			}
			for _, bad := range []any{rep("Account", eq[0]), map[string]any{"__typename": "Earthquake"}, "Earthquake"} {
				r := postAs(t, srv.URL, c.full, byVariable, map[string]any{"r": []any{rep("Earthquake", eq[0]), bad}})
				if r.Data != nil || r.code(0) != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "representations[1]" {
					t.Errorf("representation %v: %s", bad, r.Raw)
				}
			}

			// One batch per type: eight entities of three types cost what one
			// entity of each type costs alone (a station batch reads the
			// stations and their identifiers, as node(id:) does).
			mustData(t, postAs(t, srv.URL, c.full, `{ viewer { anonymous } }`, nil)) // the key is then cached
			var one, mixed int64
			for range 3 {
				one = statements(t, a, srv, c.full, entitiesQuery(st[0])) +
					statements(t, a, srv, c.full, entitiesQuery(eq[0])) + statements(t, a, srv, c.full, entitiesQuery(ob[0]))
				mixed = statements(t, a, srv, c.full, entitiesQuery(st[0], eq[0], ob[0], st[1], eq[1], ob[1], st[2], eq[2]))
				if one == mixed {
					break
				}
			}
			if one != mixed || mixed > 4 {
				t.Errorf("_entities: %d statements for 8 entities of 3 types, %d for one of each type alone; want the same, at most 4", mixed, one)
			} else {
				t.Logf("_entities: %d statements for 8 entities of 3 types", mixed)
			}

			// Access rights, entity by entity, as node(id:) has them.
			anon := post(t, srv.URL, entitiesQuery(st[0], ob[0], eq[0]), nil)
			if dig(anon.Data, "_entities", 0, "id") != st[0] || dig(anon.Data, "_entities", 2, "id") != eq[0] ||
				dig(anon.Data, "_entities", 1) != nil || len(anon.Errors) != 1 || anon.code(0) != "UNAUTHENTICATED" ||
				fmt.Sprint(anon.Errors[0].Path) != "[_entities 1]" {
				t.Errorf("anonymous, an observation among open entities: %s", anon.Raw)
			}
			if _, err := a.Store.SetClassification(context.Background(), testActor, mkg.DatasetSynopL2, mkg.Restricted); err != nil {
				t.Fatal(err)
			}
			var denied *gqlResponse
			withinASecond(t, "SYNOP_L2 restricted", func() bool {
				denied = postAs(t, srv.URL, c.none, entitiesQuery(ob[0], st[0]), nil)
				return denied.code(0) == "FORBIDDEN"
			})
			if dig(denied.Data, "_entities", 0) != nil || dig(denied.Data, "_entities", 1, "id") != st[0] ||
				len(denied.Errors) != 1 || fmt.Sprint(denied.Errors[0].Path) != "[_entities 0]" {
				t.Errorf("an account without the grant, a restricted observation: %s", denied.Raw)
			}
			if r := postAs(t, srv.URL, c.full, entitiesQuery(ob[0]), nil); len(r.Errors) > 0 || dig(r.Data, "_entities", 0, "id") != ob[0] {
				t.Errorf("an account with the grant, the same observation: %s", r.Raw)
			}

			sdl, _ := dig(mustData(t, post(t, srv.URL, `{ _service { sdl } }`, nil)), "_service", "sdl").(string)
			for _, typ := range []string{"Station", "Earthquake", "Observation"} {
				if !strings.Contains(sdl, "type "+typ+" implements Node") || !regexpKey(typ).MatchString(sdl) {
					t.Errorf("_service.sdl: no @key(fields: \"id\") on %s", typ)
				}
			}
			if !strings.Contains(sdl, `@link(url: "https://specs.apollo.dev/federation/v2.3"`) {
				t.Errorf("_service.sdl: no federation v2 @link")
			}
			shown := mustData(t, post(t, srv.URL, `{ __type(name: "_Entity") { possibleTypes { name } } }`, nil))
			if fmt.Sprint(shown) != "map[__type:map[possibleTypes:[map[name:Earthquake] map[name:Observation] map[name:Station]]]]" {
				t.Errorf("introspection of a subgraph: %v", shown)
			}
		})
	}
}

// TestFederationOff: without -federation (the default) the API is no
// subgraph: _service and _entities are refused as unknown fields, and
// introspection shows neither them nor the federation types.
func TestFederationOff(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		for _, q := range []string{`{ _service { sdl } }`,
			`{ _entities(representations: [{__typename: "Station", id: "x"}]) { __typename } }`} {
			r := post(t, srv.URL, q, nil)
			if r.Data != nil || r.code(0) != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(r.Errors[0].Message, "Cannot query field") {
				t.Errorf("%s: %d %s", q, r.Status, r.Raw)
			}
		}
		d := mustData(t, post(t, srv.URL, `{ __schema { queryType { fields { name } } types { name } directives { name } }
			entity: __type(name: "_Entity") { name } }`, nil))
		shown := fmt.Sprint(d)
		for _, name := range []string{"_service", "_entities", "_Entity", "_Service", "_Any", "FieldSet", "link__Import", "federation__Scope", "key", "shareable"} {
			if strings.Contains(shown, "map[name:"+name+"]") {
				t.Errorf("introspection shows %s", name)
			}
		}
		if d["entity"] != nil || !strings.Contains(shown, "map[name:Station]") || !strings.Contains(shown, "map[name:node]") {
			t.Errorf("introspection: %v", d)
		}
	})
}

// regexpKey matches the declaration of typ with @key(fields: "id").
func regexpKey(typ string) *regexp.Regexp {
	return regexp.MustCompile(`type ` + typ + ` implements Node[^{]*@key\(fields: "id"\)`)
}

// TestFederationSettingIsChecked: -federation is true or false.
func TestFederationSettingIsChecked(t *testing.T) {
	cfg := defaultConfig()
	if cfg.Federation != "false" {
		t.Errorf("default: %q, want false", cfg.Federation)
	}
	cfg.Federation = "yes"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "federation must be true or false") {
		t.Errorf("federation=yes: %v", err)
	}
}
