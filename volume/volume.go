// Package volume fills a database with a realistic volume of synthetic
// data through the real write paths: it writes files in the formats the
// ingester reads — FM-12 SYNOP bulletins from format/synop's encoder,
// BMKG realtime GeoJSON and QuakeML earthquake catalogues, NEA lightning
// CSV, Data Online climate CSV and DKI ISPU CSV — and hands each to
// ingest.Ingester.File marked synthetic (mkg.SyntheticPrefix on every
// row's provenance). It refuses to write into a database that holds real
// data unless told to, and then never replaces a real row.
//
// The data are deterministic: a function of the seed and of what is drawn
// (a station and an hour, a day of earthquakes), so a second run with the
// same seed stores nothing new.
package volume

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// The kinds of data the generator makes.
const (
	KindSynop       = "synop"
	KindEarthquakes = "earthquakes"
	KindLightning   = "lightning"
	KindClimate     = "climate"
	KindAirQuality  = "air-quality"
)

// AllKinds lists the kinds in the order they are generated.
var AllKinds = []string{KindSynop, KindEarthquakes, KindLightning, KindClimate, KindAirQuality}

// Config says what to generate.
type Config struct {
	// Start is the first day (00 UTC) of the window of hourly SYNOP
	// reports, earthquakes and lightning; Days its length. The window must
	// end by now.
	Start time.Time
	Days  int
	// Stations is how many synoptic stations of the catalogue report
	// (Indonesian ones first, in WMO index order); 0 means all.
	Stations int
	// EarthquakesPerYear is the mean rate of events (BMKG's catalogue has
	// about 10,000 a year).
	EarthquakesPerYear int
	// LightningStrikes is the number of strikes over the whole window;
	// negative means 5 million a year, pro rata.
	LightningStrikes int
	// ClimateStations stations get daily climate records for ClimateYears
	// years ending on the window's last day.
	ClimateStations, ClimateYears int
	// AQStations synthetic air-quality stations get daily ISPU for AQYears
	// years ending on the window's last day.
	AQStations, AQYears int
	Seed                uint64
	// AllowRealData lets the generator write into a database that holds
	// real data; synthetic rows then skip every key a real row holds.
	AllowRealData bool
	// Kinds limits what is generated; nil means AllKinds.
	Kinds []string
}

// DefaultConfig is one year ending today (UTC) at the rates of issue 10.
func DefaultConfig(now time.Time) Config {
	today := now.UTC().Truncate(24 * time.Hour)
	return Config{Start: today.AddDate(0, 0, -365), Days: 365, EarthquakesPerYear: 10_000, LightningStrikes: -1,
		ClimateStations: 20, ClimateYears: 30, AQStations: 5, AQYears: 10, Seed: 1}
}

// StrikesPerYear is the default lightning volume.
const StrikesPerYear = 5_000_000

// End is the day after the window's last day (00 UTC).
func (c Config) End() time.Time { return c.Start.AddDate(0, 0, c.Days) }

// Validate checks the configuration against now; errors name the flag.
func (c Config) Validate(now time.Time) error {
	switch {
	case c.Days < 1 || c.Days > 366*50:
		return fmt.Errorf("-days %d: must be 1 to %d", c.Days, 366*50)
	case !c.Start.Equal(c.Start.UTC().Truncate(24 * time.Hour)):
		return fmt.Errorf("-start %s: must be a date (00 UTC)", c.Start.Format(time.RFC3339))
	case c.End().After(now):
		return fmt.Errorf("-start %s with -days %d ends after now: synthetic data are of the past", c.Start.Format("2006-01-02"), c.Days)
	case c.Start.Year() < 1990:
		return fmt.Errorf("-start %s: must be 1990 or later", c.Start.Format("2006-01-02"))
	case c.Stations < 0, c.EarthquakesPerYear < 0, c.ClimateStations < 0, c.AQStations < 0:
		return errors.New("-stations, -earthquakes-per-year, -climate-stations and -aq-stations must not be negative")
	case c.ClimateYears < 0 || c.ClimateYears > 100, c.AQYears < 0 || c.AQYears > 25:
		return errors.New("-climate-years must be 0 to 100 and -aq-years 0 to 25")
	case c.End().AddDate(-c.AQYears, 0, 0).Year() < 1998:
		return errors.New("-aq-years reaches before 1998 (ISPU files start in 1997)")
	}
	for _, k := range c.Kinds {
		if !slices.Contains(AllKinds, k) {
			return fmt.Errorf("-kinds: %q is not one of %s", k, strings.Join(AllKinds, ", "))
		}
	}
	return nil
}

func (c Config) wants(kind string) bool { return c.Kinds == nil || slices.Contains(c.Kinds, kind) }

func (c Config) strikes() int {
	if c.LightningStrikes >= 0 {
		return c.LightningStrikes
	}
	return int(int64(StrikesPerYear) * int64(c.Days) / 365)
}

// Store is what the generator reads besides what the ingester writes.
type Store interface {
	ingest.Store
	Stations(ctx context.Context, f mkg.StationFilter, p mkg.Page) (*mkg.StationPage, error)
	// RealData names the kinds the database holds non-synthetic rows of.
	RealData(ctx context.Context) ([]string, error)
	RealObservationKeys(ctx context.Context, from, to time.Time) (map[string]bool, error)
	RealClimateKeys(ctx context.Context, from, to time.Time) (map[string]bool, error)
	RealEarthquakeTimes(ctx context.Context, from, to time.Time) ([]time.Time, error)
}

// ErrRealData is returned, before anything is written, when the database
// holds real data and Config.AllowRealData is not set.
var ErrRealData = errors.New("the database holds real (non-synthetic) data")

// KindReport is what one kind stored, summed over its files.
type KindReport struct {
	Kind                           string
	Files, Read, Inserted, Updated int
	Unchanged, Rejected            int
	Skipped                        int // records left out because a real row holds their key
	FirstRejection                 string
	Elapsed                        time.Duration
}

// Report is what a run did.
type Report struct {
	Stations       int  // synoptic stations that reported
	StationsLoaded bool // the catalogue was empty and the bundled lists were loaded
	Kinds          []*KindReport
}

// generator is one run.
type generator struct {
	cfg   Config
	store Store
	in    *ingest.Ingester
	log   *slog.Logger
	sites []site
	real  realKeys
}

// Generate checks the database, loads the station catalogue when it is
// empty, and generates every kind cfg asks for.
func Generate(ctx context.Context, store Store, in *ingest.Ingester, cfg Config, now time.Time, log *slog.Logger) (*Report, error) {
	if err := cfg.Validate(now); err != nil {
		return nil, err
	}
	kinds, err := store.RealData(ctx)
	if err != nil {
		return nil, err
	}
	if len(kinds) > 0 && !cfg.AllowRealData {
		return nil, fmt.Errorf("%w (%s); nothing was written: generate into an empty database, or pass -allow-real-data to write beside it (real rows are never replaced)",
			ErrRealData, strings.Join(kinds, ", "))
	}
	g := &generator{cfg: cfg, store: store, in: in, log: log}
	rep := &Report{}
	if rep.StationsLoaded, err = g.loadSites(ctx); err != nil {
		return nil, err
	}
	rep.Stations = len(g.sites)
	if len(kinds) > 0 {
		if g.real, err = readRealKeys(ctx, store, cfg); err != nil {
			return nil, err
		}
	}
	steps := map[string]func(context.Context, *KindReport) error{
		KindSynop: g.synop, KindEarthquakes: g.earthquakes, KindLightning: g.lightning,
		KindClimate: g.climate, KindAirQuality: g.airQuality,
	}
	for _, k := range AllKinds {
		if !cfg.wants(k) {
			continue
		}
		kr := &KindReport{Kind: k}
		rep.Kinds = append(rep.Kinds, kr)
		start := time.Now()
		err := steps[k](ctx, kr)
		kr.Elapsed = time.Since(start)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", k, err)
		}
		log.Info("generated", "kind", k, "files", kr.Files, "inserted", kr.Inserted, "unchanged", kr.Unchanged,
			"rejected", kr.Rejected, "skipped", kr.Skipped, "elapsed", kr.Elapsed.Round(time.Millisecond))
	}
	return rep, nil
}

// ingest stores one generated file, marked synthetic.
func (g *generator) ingest(ctx context.Context, kr *KindReport, name string, data []byte, opt ingest.Options) error {
	opt.Synthetic = true
	s, err := g.in.File(ctx, name, data, opt)
	if err != nil {
		return err
	}
	kr.Files++
	kr.Read += s.Read
	kr.Inserted += s.Inserted
	kr.Updated += s.Updated
	kr.Unchanged += s.Unchanged
	kr.Rejected += len(s.Rejected)
	if len(s.Rejected) > 0 && kr.FirstRejection == "" {
		kr.FirstRejection = name + ": " + s.Rejected[0].Position + ": " + s.Rejected[0].Reason
	}
	if kr.Files%30 == 0 {
		g.log.Info("generating", "kind", kr.Kind, "files", kr.Files, "inserted", kr.Inserted)
	}
	return nil
}

// realKeys are the keys of real rows in the window (AllowRealData).
type realKeys struct {
	observations, climate map[string]bool
	quakes                []time.Time
}

func readRealKeys(ctx context.Context, store Store, cfg Config) (realKeys, error) {
	var r realKeys
	var err error
	if r.observations, err = store.RealObservationKeys(ctx, cfg.Start, cfg.End()); err != nil {
		return r, err
	}
	from := cfg.End().AddDate(-cfg.ClimateYears, 0, 0)
	if r.climate, err = store.RealClimateKeys(ctx, from, cfg.End()); err != nil {
		return r, err
	}
	r.quakes, err = store.RealEarthquakeTimes(ctx, cfg.Start.Add(-time.Minute), cfg.End().Add(time.Minute))
	return r, err
}
