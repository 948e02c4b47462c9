package cache

import (
	"context"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// Options configure the cached readers.
type Options struct {
	// StationTTL bounds how long a station list is served from the cache
	// (default 10 minutes); ingest invalidates it sooner.
	StationTTL time.Duration
	// EarthquakeTTL bounds the latest-earthquake read (default 30 s): it is
	// the read dashboards poll, and the feeds change every few minutes.
	EarthquakeTTL time.Duration
	// Generations tell the current generation of each namespace; without
	// them nothing is cached.
	Generations mkg.Generations
	// Scope returns what distinguishes callers who may see different data
	// (a fingerprint of their rights); every key includes it, so a cached
	// result is only ever served to callers of the same scope.
	Scope func(ctx context.Context) string
}

func (o Options) ttl(ns string) time.Duration {
	switch {
	case ns == Stations && o.StationTTL > 0:
		return o.StationTTL
	case ns == Stations, ns == Observations:
		return 10 * time.Minute
	case o.EarthquakeTTL > 0:
		return o.EarthquakeTTL
	}
	return 30 * time.Second
}

func (o Options) scope(ctx context.Context) string {
	if o.Scope == nil {
		return "public"
	}
	return o.Scope(ctx)
}

// StationReader serves the station catalogue reads from the cache.
type StationReader struct {
	mkg.StationReader
	cache mkg.Cache
	opt   Options
}

// NewStationReader wraps r.
func NewStationReader(r mkg.StationReader, c mkg.Cache, o Options) *StationReader {
	return &StationReader{StationReader: r, cache: c, opt: o}
}

// Stations implements mkg.StationReader.
func (r *StationReader) Stations(ctx context.Context, f mkg.StationFilter, p mkg.Page) (*mkg.StationPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	req := struct {
		Op     string
		Filter mkg.StationFilter
		Page   mkg.Page
	}{"stations", f, p}
	return load(ctx, r.cache, r.opt, Stations, req, func() (*mkg.StationPage, error) { return r.StationReader.Stations(ctx, f, p) })
}

// CountStations implements mkg.StationReader.
func (r *StationReader) CountStations(ctx context.Context, f mkg.StationFilter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	req := struct {
		Op     string
		Filter mkg.StationFilter
	}{"count", f}
	return load(ctx, r.cache, r.opt, Stations, req, func() (int, error) { return r.StationReader.CountStations(ctx, f) })
}

// StationByWMO implements mkg.StationReader.
func (r *StationReader) StationByWMO(ctx context.Context, wmo string) (*mkg.Station, error) {
	req := struct{ Op, WMO string }{"wmo", wmo}
	return load(ctx, r.cache, r.opt, Stations, req, func() (*mkg.Station, error) { return r.StationReader.StationByWMO(ctx, wmo) })
}

// EarthquakeReader serves the latest-earthquake read from the cache.
type EarthquakeReader struct {
	mkg.EarthquakeReader
	cache mkg.Cache
	opt   Options
}

// NewEarthquakeReader wraps r.
func NewEarthquakeReader(r mkg.EarthquakeReader, c mkg.Cache, o Options) *EarthquakeReader {
	return &EarthquakeReader{EarthquakeReader: r, cache: c, opt: o}
}

// LatestEarthquake implements mkg.EarthquakeReader.
func (r *EarthquakeReader) LatestEarthquake(ctx context.Context) (*mkg.Earthquake, error) {
	return load(ctx, r.cache, r.opt, Earthquakes, struct{ Op string }{"latest"}, func() (*mkg.Earthquake, error) {
		return r.EarthquakeReader.LatestEarthquake(ctx)
	})
}

// ObservationReader serves each station's latest observation from the cache:
// the read every dashboard starts with. Any stored observation change
// advances the observations generation, which retires every entry.
type ObservationReader struct {
	mkg.ObservationReader
	cache mkg.Cache
	opt   Options
}

// NewObservationReader wraps r.
func NewObservationReader(r mkg.ObservationReader, c mkg.Cache, o Options) *ObservationReader {
	return &ObservationReader{ObservationReader: r, cache: c, opt: o}
}

// LatestObservations implements mkg.ObservationReader.
func (r *ObservationReader) LatestObservations(ctx context.Context, wmos []string) ([]*mkg.Observation, error) {
	req := struct {
		Op   string
		WMOs []string
	}{"latest", wmos}
	return load(ctx, r.cache, r.opt, Observations, req, func() ([]*mkg.Observation, error) {
		return r.ObservationReader.LatestObservations(ctx, wmos)
	})
}
