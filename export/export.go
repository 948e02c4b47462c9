// Package export writes list query results as files (the 2015 regulation's
// "export" and "extract"): observations at Level 1 or 2 and earthquakes, as
// CSV with a header row naming each column's unit, or as GeoJSON where the
// rows have positions. Rows are read from the store a page at a time and
// written as they come, so an export of any size holds one page in memory.
package export

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

// pageSize is how many rows are read per store call.
const pageSize = 500

// Exporter produces exports from the store.
type Exporter struct {
	Observations mkg.ObservationReader
	Stations     mkg.StationReader
	Earthquakes  mkg.EarthquakeReader
	Lightning    mkg.LightningReader
	Climate      mkg.ClimateStore
	AirQuality   mkg.AQStore
	GroundMotion mkg.GroundMotionStore
	Usage        mkg.UsageStore
	// AccountID writes an account's id as the API shows it (its global
	// id), in usage exports.
	AccountID func(int64) string
}

// ContentType is the media type of an export.
func ContentType(f mkg.ExportFormat) string {
	if f == mkg.ExportGeoJSON {
		return "application/geo+json"
	}
	return "text/csv; charset=utf-8"
}

// FileName names an export for Content-Disposition.
func FileName(s mkg.ExportSpec, at time.Time) string {
	base := map[mkg.ExportKind]string{
		mkg.ExportObservationsL1: "observations-l1",
		mkg.ExportObservationsL2: "observations-l2",
		mkg.ExportEarthquakes:    "earthquakes",
		mkg.ExportLightning:      "lightning",
		mkg.ExportClimateL1:      "climate-" + s.Station,
		mkg.ExportClimateL2:      "climate-" + strings.ToLower(string(s.Period)) + "ly-" + s.Station,
		mkg.ExportAirQualityL1:   "air-quality-l1-" + s.Station,
		mkg.ExportAirQualityL2:   "air-quality-ispu-" + s.Station,
		mkg.ExportGroundMotions:  "ground-motions",
		mkg.ExportUsage:          "usage",
	}[s.Kind]
	if base == "" {
		base = strings.ReplaceAll(strings.ToLower(string(s.Kind)), "_", "-")
	}
	base = safeName(base)
	ext := ".csv"
	if s.Format == mkg.ExportGeoJSON {
		ext = ".geojson"
	}
	return base + "-" + at.UTC().Format("20060102T150405Z") + ext
}

// Write writes the export of s to w. The caller has checked the caller's
// right to the spec's dataset. An error after the first bytes leaves the
// file truncated: the caller logs it and ends the response, and a client
// sees a CSV without its final line or a GeoJSON that does not parse.
func (e *Exporter) Write(ctx context.Context, w io.Writer, s mkg.ExportSpec) error {
	if err := s.Validate(); err != nil {
		return err
	}
	switch s.Kind {
	case mkg.ExportEarthquakes:
		return e.earthquakes(ctx, w, s)
	case mkg.ExportLightning:
		return e.lightning(ctx, w, s)
	case mkg.ExportClimateL1:
		return e.climate(ctx, w, s)
	case mkg.ExportClimateL2:
		return e.climateSummary(ctx, w, s)
	case mkg.ExportAirQualityL1, mkg.ExportAirQualityL2:
		return e.airQuality(ctx, w, s)
	case mkg.ExportGroundMotions:
		return e.groundMotions(ctx, w, s)
	case mkg.ExportUsage:
		return WriteUsage(ctx, w, e.Usage, *s.Usage, nil, e.AccountID)
	default:
		return e.observations(ctx, w, s)
	}
}

// rowWriter is one output format: a header, rows, an ending.
type rowWriter interface {
	header() error
	row(values []any, lat, lon *float64) error
	end() error
}

// column is one exported field: its CSV heading (with the unit) and its
// GeoJSON property name.
type column struct {
	csv, property string
}

// safeName keeps letters, digits and dashes of a file name.
func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
