package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"path/filepath"
	"testing"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/sqlstore"
)

// benchQuery measures one GraphQL query over real HTTP against the demo
// data on SQLite (the zero-setup default), as a partner granted every
// dataset (so authentication is part of the cost). The query is run every
// time ("Cache-Control: no-cache" passes the response cache by); the data
// caches answer what they hold.
func benchQuery(b *testing.B, query string) { benchRequest(b, query, true) }

// benchCached measures a repeated query answered by the response cache.
func benchCached(b *testing.B, query string) { benchRequest(b, query, false) }

func benchRequest(b *testing.B, query string, run bool) {
	s := shared["sqlite"]
	s.once.Do(func() { s.start("sqlite") })
	if s.err != nil {
		b.Fatal(s.err)
	}
	key := callersOf(b, s.app).full
	body, _ := json.Marshal(map[string]string{"query": query})
	client := s.srv.Client()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		if run {
			req.Header.Set("Cache-Control", "no-cache")
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

func BenchmarkStationsPage(b *testing.B) {
	benchQuery(b, `{ stations(first: 50) { totalCount edges { node { id wmoIndex name latitude longitude identifiers { value } } } } }`)
}

func BenchmarkStationsNearWithLatestObservation(b *testing.B) {
	benchQuery(b, `{ stations(first: 100, filter: {near: {latitude: 45, longitude: 25}, radiusKm: 1000}) { edges { distanceKm node {
		name latestObservation { observedAt decoded { airTemperature stationPressure wind { speed } } } } } } }`)
}

func BenchmarkEarthquakesWithNearestStations(b *testing.B) {
	benchQuery(b, `{ earthquakes(first: 50) { edges { node { originTime magnitude sources { feed }
		nearestStations(first: 3) { distanceKm station { name } } } } } }`)
}

func BenchmarkLatestEarthquake(b *testing.B) {
	benchQuery(b, `{ latestEarthquake { originTime magnitude region felt { intensity place } } }`)
}

func BenchmarkLatestEarthquakeResponseCached(b *testing.B) {
	benchCached(b, `{ latestEarthquake { originTime magnitude region felt { intensity place } } }`)
}

func BenchmarkStationsNearWithLatestObservationResponseCached(b *testing.B) {
	benchCached(b, `{ stations(first: 100, filter: {near: {latitude: 45, longitude: 25}, radiusKm: 1000}) { edges { distanceKm node {
		name latestObservation { observedAt decoded { airTemperature stationPressure wind { speed } } } } } } }`)
}

// BenchmarkDemoIngest loads every bundled sample into a fresh SQLite file.
func BenchmarkDemoIngest(b *testing.B) {
	files := map[string][]byte{}
	for _, name := range demo.Files {
		data, err := fs.ReadFile(demo.FS(), name)
		if err != nil {
			b.Fatal(err)
		}
		files[name] = data
	}
	quiet := slog.New(slog.DiscardHandler)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		in := ingest.New(s, quiet)
		b.StartTimer()
		for _, name := range demo.Files {
			if _, err := in.File(context.Background(), path.Base(name), files[name], ingest.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
