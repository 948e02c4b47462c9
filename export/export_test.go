package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

// storeWithQuakes returns a SQLite store holding n distinct earthquakes,
// an hour and a degree apart so that none merges with another.
func storeWithQuakes(tb testing.TB, n int) *sqlstore.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, "sqlite:"+filepath.Join(tb.TempDir(), "t.db"), sqlstore.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	var reps []mkg.EarthquakeReport
	for i := range n {
		m := 3 + float64(i%40)/10
		reps = append(reps, mkg.EarthquakeReport{Feed: mkg.FeedQuakeML, SourceEventID: fmt.Sprint("e", i), EarthquakeValues: mkg.EarthquakeValues{
			OriginTime: t0.Add(time.Duration(i) * time.Hour), Latitude: -10 + float64(i%20),
			Longitude: 95 + float64(i%45), Magnitude: &m, Region: fmt.Sprintf("Region, with comma %d", i),
		}})
		if len(reps) == 500 || i == n-1 {
			if _, err := s.UpsertEarthquakes(ctx, reps); err != nil {
				tb.Fatal(err)
			}
			reps = reps[:0]
		}
	}
	return s
}

// TestExportCoversEveryPage: an export longer than one store page holds
// every row once, in list order, as valid CSV and GeoJSON.
func TestExportCoversEveryPage(t *testing.T) {
	const n = 1234 // more than two pages
	s := storeWithQuakes(t, n)
	e := &export.Exporter{Observations: s, Stations: s, Earthquakes: s}
	var buf bytes.Buffer
	if err := e.Write(context.Background(), &buf, mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportCSV}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != n+1 {
		t.Fatalf("CSV: %v, %d rows, want %d and a header", err, len(rows), n)
	}
	seen := map[string]bool{}
	for i, r := range rows[1:] {
		if seen[r[1]] {
			t.Fatalf("row %d repeats origin time %s", i, r[1])
		}
		seen[r[1]] = true
		if i > 0 && r[1] > rows[i][1] {
			t.Fatalf("row %d (%s) is newer than the row before (%s): not newest first", i, r[1], rows[i][1])
		}
	}
	if rows[1][7] != fmt.Sprintf("Region, with comma %d", n-1) {
		t.Fatalf("quoted field came out as %q", rows[1][7])
	}
	buf.Reset()
	from := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	spec := mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportGeoJSON, Earthquakes: &mkg.EarthquakeFilter{From: &from}}
	if err := e.Write(context.Background(), &buf, spec); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates []float64
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil || len(fc.Features) != n-24 {
		t.Fatalf("GeoJSON: %v, %d features, want %d (filter from day 2)", err, len(fc.Features), n-24)
	}
	f := fc.Features[0]
	if f.Geometry.Type != "Point" || f.Geometry.Coordinates[0] != f.Properties["longitude"] {
		t.Fatalf("feature %+v: coordinates must be [longitude, latitude]", f)
	}
}

// TestExportMemoryIsBoundedByPage: the heap an export holds does not grow
// with the number of rows (the rows go to the writer page by page).
func TestExportMemoryIsBoundedByPage(t *testing.T) {
	peak := func(n int) *peakWriter {
		s := storeWithQuakes(t, n)
		e := &export.Exporter{Observations: s, Stations: s, Earthquakes: s}
		w := &peakWriter{}
		if err := e.Write(context.Background(), w, mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportCSV}); err != nil {
			t.Fatal(err)
		}
		return w
	}
	small, large := peak(1000), peak(6000)
	// Six times the rows, six times the output; the live heap must not
	// follow (holding 6000 events and their rows would add megabytes).
	if large.bytes < 5*small.bytes || large.peak > small.peak+1<<20 {
		t.Fatalf("1000 rows: %d bytes out, heap peak %d; 6000 rows: %d bytes out, heap peak %d",
			small.bytes, small.peak, large.bytes, large.peak)
	}
	t.Logf("1000 rows: %d bytes out, heap peak %d; 6000 rows: %d bytes out, heap peak %d", small.bytes, small.peak, large.bytes, large.peak)
}

// peakWriter discards what it is given and samples the live heap every
// 64 writes.
type peakWriter struct {
	bytes, peak uint64
	n           int
}

func (w *peakWriter) Write(p []byte) (int, error) {
	w.bytes += uint64(len(p))
	if w.n++; w.n%64 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapAlloc)
	}
	return len(p), nil
}

func BenchmarkExportEarthquakesCSV(b *testing.B) {
	s := storeWithQuakes(b, 5000)
	e := &export.Exporter{Observations: s, Stations: s, Earthquakes: s}
	spec := mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportCSV}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.Write(context.Background(), io.Discard, spec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(5000, "rows/op")
}

// TestFileNames: every export is named after its kind and selection.
func TestFileNames(t *testing.T) {
	at := time.Date(2026, 11, 23, 4, 22, 19, 0, time.UTC)
	for _, c := range []struct {
		spec mkg.ExportSpec
		want string
	}{
		{mkg.ExportSpec{Kind: mkg.ExportClimateL2, Format: mkg.ExportCSV, Station: "96733", Period: mkg.PeriodMonth}, "climate-monthly-96733-20261123T042219Z.csv"},
		{mkg.ExportSpec{Kind: mkg.ExportClimateL2, Format: mkg.ExportCSV, Station: "96733", Period: mkg.PeriodYear}, "climate-yearly-96733-20261123T042219Z.csv"},
		{mkg.ExportSpec{Kind: mkg.ExportEarthquakes, Format: mkg.ExportGeoJSON}, "earthquakes-20261123T042219Z.geojson"},
		{mkg.ExportSpec{Kind: "SOMETHING_NEW", Format: mkg.ExportCSV}, "something-new-20261123T042219Z.csv"},
	} {
		if got := export.FileName(c.spec, at); got != c.want {
			t.Errorf("FileName(%s) = %q, want %q", c.spec.Kind, got, c.want)
		}
	}
}
