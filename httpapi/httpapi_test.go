package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/authn"
	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/resolvers"
	"github.com/bmkg/mkggraph/shakemaps"
	"github.com/bmkg/mkggraph/sqlstore"
)

// faultyStations is a station reader that fails the way real bugs and real
// outages do: a panic, and a database error carrying SQL.
type faultyStations struct{ mkg.StationReader }

func (faultyStations) StationByWMO(_ context.Context, wmo string) (*mkg.Station, error) {
	if wmo == "66666" {
		panic("nil map write in a resolver")
	}
	return nil, &leakyError{}
}

func (faultyStations) CountStations(context.Context, mkg.StationFilter) (int, error) { return 7, nil }

func (faultyStations) Stations(context.Context, mkg.StationFilter, mkg.Page) (*mkg.StationPage, error) {
	return &mkg.StationPage{}, nil
}

type leakyError struct{}

func (*leakyError) Error() string {
	return `pq: relation "stations" does not exist at /srv/mkggraph/sqlstore/stations.go:42 (SELECT wmo_index FROM stations)`
}

func server(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(newServer(t).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// loaderReads is what the loaders read: the store, and the ShakeMap grids
// sampled at points.
type loaderReads struct {
	*sqlstore.Store
	shakemaps.Reader
}

func newServer(t *testing.T) *httpapi.Server {
	t.Helper()
	gql := executor(t, &resolvers.Resolver{StationData: faultyStations{}}, slog.New(slog.DiscardHandler))
	st := store(t)
	s := &httpapi.Server{
		GraphQL:     gql,
		Auth:        authn.NewAuthenticator(st, nil, slog.New(slog.DiscardHandler), nil),
		Loaders:     loaderReads{st, shakemaps.Reader{Grids: st}},
		Readiness:   httpapi.Readiness{Database: func(context.Context) error { return nil }, Cache: func(context.Context) mkg.CacheStatus { return mkg.CacheStatus{OK: true} }},
		Limits:      httpapi.DefaultLimits,
		CORSOrigins: []string{"*"},
		Log:         slog.New(slog.DiscardHandler),
	}
	return s
}

func query(t *testing.T, srv *httptest.Server, q string) (int, map[string]any, string) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":`+strconvQuote(q)+`}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out map[string]any
	json.Unmarshal(body, &out)
	return resp.StatusCode, out, string(body)
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestPanicIsAnInternalErrorForThatRequestOnly: the panicking field is
// null with an INTERNAL error carrying the request id; the other fields of
// the same request are delivered, and the server answers the next request.
func TestPanicIsAnInternalErrorForThatRequestOnly(t *testing.T) {
	srv := server(t)
	code, out, raw := query(t, srv, `{ bad: stationByWmo(wmoIndex: "66666") { name } stations { totalCount } }`)
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, raw)
	}
	errs := out["errors"].([]any)
	e := errs[0].(map[string]any)
	ext := e["extensions"].(map[string]any)
	if ext["code"] != "INTERNAL" || ext["requestId"] == "" || e["message"] != "internal error" {
		t.Errorf("panic error = %v", e)
	}
	if strings.Contains(raw, "nil map") {
		t.Errorf("the panic's text reached the client: %s", raw)
	}
	data := out["data"].(map[string]any)
	if data["bad"] != nil || data["stations"].(map[string]any)["totalCount"] != float64(7) {
		t.Errorf("data = %v: want the panicking field null and the rest delivered", data)
	}
	if code, _, _ := query(t, srv, `{ stations { totalCount } }`); code != http.StatusOK {
		t.Errorf("next request: %d", code)
	}
}

// TestInternalErrorsDoNotLeak: an error with SQL and a file path in it is
// logged, and the client sees only "internal error" and the request id.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	srv := server(t)
	_, out, raw := query(t, srv, `{ stationByWmo(wmoIndex: "96749") { name } }`)
	for _, leak := range []string{"SELECT", "/srv/", ".go", "pq:", "relation"} {
		if strings.Contains(raw, leak) {
			t.Errorf("response leaks %q: %s", leak, raw)
		}
	}
	e := out["errors"].([]any)[0].(map[string]any)
	if e["extensions"].(map[string]any)["code"] != "INTERNAL" {
		t.Errorf("error = %v", e)
	}
}

func TestGETMutationIs405(t *testing.T) {
	srv := server(t)
	resp, err := http.Get(srv.URL + "/graphql?query=" + "mutation%7B__typename%7D")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// The schema has no mutations yet, so this one fails validation before
	// the method check; the method check is exercised once mutations exist.
	if resp.StatusCode == http.StatusOK {
		t.Errorf("a mutation over GET was answered 200")
	}
}

func TestCORS(t *testing.T) {
	srv := server(t)
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/graphql", nil)
	req.Header.Set("Origin", "https://dashboard.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type, authorization")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || !strings.Contains(resp.Header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}

// executor assembles the API over res as the server does.
func executor(t *testing.T, res *resolvers.Resolver, log *slog.Logger) graphql.GraphExecutor {
	t.Helper()
	authz, err := graph.SchemaAuthorizer()
	if err != nil {
		t.Fatal(err)
	}
	res.Types = authz
	return graph.NewExecutor(res, authz, httpapi.DefaultLimits.GraphQL(), graph.Documents{}, false, log)
}

// store is an empty SQLite store for the request loaders.
func store(t *testing.T) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
