package volume

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/format/synop"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

var quiet = slog.New(slog.DiscardHandler)

// now is after every window the tests generate.
var now = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// small is 3 stations × 2 days and a little of everything else.
func small() Config {
	return Config{Start: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Days: 2, Stations: 3, EarthquakesPerYear: 3650,
		LightningStrikes: 3000, ClimateStations: 1, ClimateYears: 1, AQStations: 1, AQYears: 1, Seed: 7}
}

func forEachStore(t *testing.T, fn func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester)) {
	t.Run("sqlite", func(t *testing.T) {
		s, in := open(t, "sqlite:"+filepath.Join(t.TempDir(), "v.db"))
		fn(t, s, in)
	})
	t.Run("postgres", func(t *testing.T) {
		s, in := open(t, testenv.PostgresURL(t))
		fn(t, s, in)
	})
}

func open(t *testing.T, url string) (*sqlstore.Store, *ingest.Ingester) {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url, sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, ingest.New(s, quiet)
}

func kind(t *testing.T, rep *Report, k string) *KindReport {
	t.Helper()
	for _, r := range rep.Kinds {
		if r.Kind == k {
			return r
		}
	}
	t.Fatalf("no report for %s", k)
	return nil
}

func TestGenerateSmallVolume(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		cfg := small()
		rep, err := Generate(ctx, s, in, cfg, now, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.StationsLoaded || rep.Stations != 3 {
			t.Errorf("stations: %d, loaded %v; want 3 from the bundled lists", rep.Stations, rep.StationsLoaded)
		}
		for _, k := range rep.Kinds {
			if k.Rejected > 0 || k.Updated > 0 && k.Kind != KindEarthquakes {
				t.Errorf("%s: %+v", k.Kind, k)
			}
		}
		checkSynop(t, s, cfg, kind(t, rep, KindSynop))
		checkEarthquakes(t, s, cfg, kind(t, rep, KindEarthquakes))
		checkCounts(t, s, cfg, rep)

		again, err := Generate(ctx, s, in, cfg, now, quiet)
		if err != nil {
			t.Fatal(err)
		}
		for i, k := range again.Kinds {
			if k.Inserted != 0 || k.Updated != 0 || k.Unchanged != rep.Kinds[i].Read {
				t.Errorf("second run, %s: %+v; want everything unchanged", k.Kind, k)
			}
		}
	})
}

// checkSynop: one report per station and hour, every one marked synthetic
// and from the agency's own stations; the stored values are what the
// stored text decodes to, and what the weather model made.
func checkSynop(t *testing.T, s *sqlstore.Store, cfg Config, kr *KindReport) {
	ctx := context.Background()
	if want := 3 * 24 * cfg.Days; kr.Read != want || kr.Inserted != want {
		t.Errorf("synop: read %d, inserted %d; want %d", kr.Read, kr.Inserted, want)
	}
	from, to := cfg.Start, cfg.End()
	page, err := s.Observations(ctx, mkg.ObservationFilter{From: &from, To: &to}, mkg.Page{Limit: mkg.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Edges) != 3*24*cfg.Days {
		t.Fatalf("%d observations stored", len(page.Edges))
	}
	for _, e := range page.Edges {
		o := e.Observation
		if !mkg.IsSynthetic(o.Source) || len(o.Problems) > 0 || o.StationWMO[:2] != "96" {
			t.Fatalf("observation %s %s: source %q, problems %v", o.StationWMO, o.ObservedAt, o.Source, o.Problems)
		}
		text := fmt.Sprintf("AAXX %02d%02d4\n%s", o.ObservedAt.Day(), o.ObservedAt.Hour(), o.Text)
		f, err := synop.Parse([]byte(text))
		if err != nil || len(f.Bulletins[0].Reports) != 1 {
			t.Fatalf("%s does not decode: %v", o.Text, err)
		}
		decoded, _ := json.Marshal(f.Bulletins[0].Reports[0].Decoded)
		stored, _ := json.Marshal(o.Values)
		if string(decoded) != string(stored) {
			t.Fatalf("Level 2 is not what the Level 1 text decodes to\ntext   %s\nstored %s\ntext's %s", o.Text, stored, decoded)
		}
	}
	o := page.Edges[0].Observation
	st, _ := s.StationByWMO(ctx, o.StationWMO)
	w := weatherAt(cfg.Seed, siteOf(cfg.Seed, st), o.ObservedAt)
	if v := o.Values; v.AirTemperatureC == nil || math.Abs(*v.AirTemperatureC-w.t) > 0.05 || math.Abs(*v.StationPressureHPa-w.p0) > 0.05 {
		t.Errorf("%s %s: stored %v °C %v hPa, the model made %.2f °C %.2f hPa", o.StationWMO, o.ObservedAt, *v.AirTemperatureC, *v.StationPressureHPa, w.t, w.p0)
	}
}

func checkEarthquakes(t *testing.T, s *sqlstore.Store, cfg Config, kr *KindReport) {
	page, err := s.Earthquakes(context.Background(), mkg.EarthquakeFilter{}, mkg.OrderTimeAsc, mkg.Page{Limit: mkg.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	expected := float64(cfg.EarthquakesPerYear) * float64(cfg.Days) / 365.25
	if n := len(page.Edges); n != kr.Inserted || math.Abs(float64(n)-expected) > 4*math.Sqrt(expected) {
		t.Fatalf("%d events stored, %d inserted; about %.0f expected", n, kr.Inserted, expected)
	}
	reviewed := 0
	for _, e := range page.Edges {
		q := e.Earthquake
		if !mkg.IsSynthetic(q.SolutionFeed) || q.Latitude < -12 || q.Latitude > 7 || q.Longitude < 93 || q.Longitude > 142 ||
			*q.Magnitude < minMagnitude-0.3 || *q.DepthKm <= 0 {
			t.Errorf("event %+v", q)
		}
		if q.SolutionFeed == mkg.Synthetic(mkg.FeedQuakeML) {
			reviewed++
		}
	}
	if reviewed != kr.Updated {
		t.Errorf("%d events with a reviewed solution, %d updated by the catalogue", reviewed, kr.Updated)
	}
}

// checkCounts: exactly the strikes asked for, a climate and an
// air-quality day per day of the year, all marked synthetic.
func checkCounts(t *testing.T, s *sqlstore.Store, cfg Config, rep *Report) {
	ctx := context.Background()
	if k := kind(t, rep, KindLightning); k.Inserted != cfg.LightningStrikes {
		t.Errorf("lightning: %d inserted, %d asked", k.Inserted, cfg.LightningStrikes)
	}
	box := mkg.BBox{South: -90, West: -180, North: 90, East: 180}
	strikes, err := s.LightningStrikes(ctx, mkg.LightningFilter{BBox: box, From: cfg.Start, To: cfg.End()}, mkg.Page{Limit: 1})
	if err != nil || len(strikes.Strikes) != 1 || !mkg.IsSynthetic(strikes.Strikes[0].Network) {
		t.Errorf("lightning: %v %+v", err, strikes)
	}
	last := cfg.End().AddDate(0, 0, -1)
	first := cfg.End().AddDate(-1, 0, 0)
	days := int(last.Sub(first).Hours()/24) + 1
	sites, _ := s.Stations(ctx, mkg.StationFilter{Kinds: []mkg.StationKind{mkg.KindSynoptic}, WMOIndex: "96001"}, mkg.Page{Limit: 1})
	climate, err := s.ClimateDays(ctx, sites.Edges[0].Station.WMOIndex, first, last)
	if err != nil || len(climate) != days || kind(t, rep, KindClimate).Inserted != days || !mkg.IsSynthetic(climate[0].Source) {
		t.Errorf("climate: %d days (%v), want %d", len(climate), err, days)
	}
	aq, err := s.AQDays(ctx, "SYN1", first, last)
	if err != nil || len(aq) != days || aq[0].ISPU == nil {
		t.Errorf("air quality: %d days (%v), want %d", len(aq), err, days)
	}
}

// TestGenerateRefusesRealData: with one real file loaded the generator
// writes nothing; told to, it writes beside the real rows and replaces
// none of them.
func TestGenerateRefusesRealData(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		name := "lightning/nea-sg-lightning_2025-04-18.csv"
		data, err := fs.ReadFile(demo.FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		real, err := in.File(ctx, name, data, ingest.Options{})
		if err != nil || real.Inserted == 0 {
			t.Fatal(err, real)
		}
		cfg := small()
		_, err = Generate(ctx, s, in, cfg, now, quiet)
		if !errors.Is(err, ErrRealData) {
			t.Fatalf("generated into a database with real data: %v", err)
		}
		if n, _ := s.CountStations(ctx, mkg.StationFilter{}); n != 0 {
			t.Errorf("refused, yet %d stations were loaded", n)
		}

		// A real report at a station and hour the generator makes.
		at := cfg.Start.Add(5 * time.Hour)
		if _, err := s.UpsertObservations(ctx, []mkg.Observation{{StationWMO: "96001", ObservedAt: at, Text: "96001 NIL=", Nil: true, Source: "real.txt"}}); err != nil {
			t.Fatal(err)
		}
		cfg.AllowRealData = true
		rep, err := Generate(ctx, s, in, cfg, now, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if k := kind(t, rep, KindSynop); k.Skipped != 1 || k.Inserted != 3*48-1 {
			t.Errorf("synop beside a real report: %+v", k)
		}
		kept, err := s.Observations(ctx, mkg.ObservationFilter{StationWMOs: []string{"96001"}, From: &at, To: &at, IncludeNil: true}, mkg.Page{Limit: 5})
		if err != nil || len(kept.Edges) != 1 || kept.Edges[0].Observation.Source != "real.txt" {
			t.Errorf("the real report was not kept: %v %+v", err, kept)
		}
		box := mkg.BBox{South: -90, West: -180, North: 90, East: 180}
		from := time.Date(2025, 4, 18, 0, 0, 0, 0, time.UTC)
		strikes, _ := s.LightningStrikes(ctx, mkg.LightningFilter{BBox: box, From: from.Add(-24 * time.Hour), To: from.Add(24 * time.Hour)}, mkg.Page{Limit: 500})
		for _, st := range strikes.Strikes {
			if mkg.IsSynthetic(st.Network) {
				t.Fatalf("a synthetic strike among the real day's: %+v", st)
			}
		}
		if len(strikes.Strikes) != real.Inserted {
			t.Errorf("%d real strikes, %d loaded", len(strikes.Strikes), real.Inserted)
		}
	})
}

func TestConfigValidate(t *testing.T) {
	ok := small()
	for _, c := range []struct {
		name, want string
		edit       func(*Config)
	}{
		{"days", "-days", func(c *Config) { c.Days = 0 }},
		{"future", "ends after now", func(c *Config) { c.Start = now.Add(-24 * time.Hour) }},
		{"not a date", "-start", func(c *Config) { c.Start = c.Start.Add(time.Hour) }},
		{"kinds", "-kinds", func(c *Config) { c.Kinds = []string{"radar"} }},
		{"aq", "-aq-years", func(c *Config) { c.AQYears = 40 }},
	} {
		cfg := ok
		c.edit(&cfg)
		if err := cfg.Validate(now); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error naming %s", c.name, err, c.want)
		}
	}
	if err := ok.Validate(now); err != nil {
		t.Error(err)
	}
}
