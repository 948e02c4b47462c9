package download

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/authn"
	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

// anonymous rebuilds the caller of a link under the default
// classifications (earthquakes are open).
type anonymous struct{}

func (anonymous) PrincipalByKeyPrefix(context.Context, string) (*mkg.Principal, error) {
	return nil, errors.New("no keys here")
}

func (anonymous) Anonymous(context.Context) (*mkg.Principal, error) {
	return mkg.NewPrincipal(nil, 0, "", mkg.DefaultClassifications, time.Now()), nil
}

// failingAfter passes the first n pages of earthquakes through from the
// real store, then fails as a lost database connection would.
type failingAfter struct {
	mkg.EarthquakeReader
	n     int32
	calls atomic.Int32
}

func (f *failingAfter) Earthquakes(ctx context.Context, fl mkg.EarthquakeFilter, o mkg.EarthquakeOrder, p mkg.Page) (*mkg.EarthquakePage, error) {
	if f.calls.Add(1) > f.n {
		return nil, errors.New(`pq: SELECT … FROM earthquakes: connection reset by peer`)
	}
	return f.EarthquakeReader.Earthquakes(ctx, fl, o, p)
}

// TestExportFailingMidStreamAborts: when the store fails after the first
// page has been sent, the client sees a broken download (the chunked body
// never ends), not a short CSV that looks complete; the error is logged and
// never sent to the client.
func TestExportFailingMidStreamAborts(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var reps []mkg.EarthquakeReport
	for i := range 600 { // more than one export page
		m := 4.5
		reps = append(reps, mkg.EarthquakeReport{Feed: mkg.FeedQuakeML, SourceEventID: fmt.Sprint("e", i), EarthquakeValues: mkg.EarthquakeValues{
			OriginTime: t0.Add(time.Duration(i) * time.Hour), Latitude: -10 + float64(i%20),
			Longitude: 95 + float64(i%45), Magnitude: &m,
		}})
	}
	if _, err := s.UpsertEarthquakes(ctx, reps); err != nil {
		t.Fatal(err)
	}
	signer, err := NewSigner([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	quakes := &failingAfter{EarthquakeReader: s}
	svc := New(Options{Signer: signer, Principals: anonymous{}, Log: slog.New(slog.NewTextHandler(&logged, nil)),
		Exporter: &export.Exporter{Observations: s, Stations: s, Earthquakes: quakes}})
	mux := http.NewServeMux()
	mux.Handle("GET "+Path+"{token}", svc)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	p, _ := anonymous{}.Anonymous(ctx)
	d, err := svc.Export(mkg.WithPrincipal(ctx, p), mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportCSV})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func() (int, string, error) {
		res, err := http.Get(srv.URL + d.URL)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res.StatusCode, string(body), err
	}

	// The whole export, as a control: the link and the store work.
	quakes.n = 100
	status, body, err := fetch()
	if err != nil || status != http.StatusOK || strings.Count(body, "\n") != 601 {
		t.Fatalf("whole export: %d, %d lines, %v; want 200 with a header and 600 rows", status, strings.Count(body, "\n"), err)
	}

	quakes.n, quakes.calls = 1, atomic.Int32{}
	status, body, err = fetch()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("export failing after the first page: status %d, %d bytes, read error %v; want io.ErrUnexpectedEOF", status, len(body), err)
	}
	if status != http.StatusOK || !strings.HasPrefix(body, "event_id") {
		t.Errorf("the first page should have started the file: status %d, body starts %.30q", status, body)
	}
	if strings.Contains(body, "pq:") || strings.Contains(body, "earthquakes:") {
		t.Errorf("the store's error reached the client: %q", body[max(0, len(body)-200):])
	}
	if !strings.Contains(logged.String(), "export failed mid-stream") || !strings.Contains(logged.String(), "connection reset") {
		t.Errorf("the failure was not logged: %q", logged.String())
	}
}

// TestDatabaseDownIs503: a link fetched while the database is gone is 503
// with Retry-After (not a 500), and an outage is logged once, not once per
// fetch.
func TestDatabaseDownIs503(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "t.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := NewSigner([]byte(strings.Repeat("k", 32)))
	var logged bytes.Buffer
	svc := New(Options{Signer: signer, Principals: authn.NewAuthenticator(s, nil, slog.New(slog.DiscardHandler), nil),
		Log: slog.New(slog.NewTextHandler(&logged, nil)), Exporter: &export.Exporter{Observations: s, Stations: s, Earthquakes: s}})
	p, _ := anonymous{}.Anonymous(ctx)
	d, err := svc.Export(mkg.WithPrincipal(ctx, p), mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportCSV})
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // the database goes away
	mux := http.NewServeMux()
	mux.Handle("GET "+Path+"{token}", svc)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for range 10 {
		res, err := http.Get(srv.URL + d.URL)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
			t.Fatalf("fetch with the database gone: %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	if n := strings.Count(logged.String(), "\n"); n != 1 {
		t.Errorf("%d log lines for 10 fetches during an outage, want 1:\n%s", n, logged.String())
	}
}
