package mkg

import (
	"context"
	"time"
)

// What an air-quality value is: the Level 1 record keeps it as received.
const (
	AQSubIndex      = "ISPU_SUB_INDEX" // an ISPU sub-index, computed by the station's operator
	AQUSAQI         = "US_AQI"         // a US-EPA Air Quality Index value
	AQConcentration = "CONCENTRATION"  // a concentration, with its unit
)

// AQStation is an air-quality monitoring station.
type AQStation struct {
	ID        int64
	Code      string // e.g. "DKI1"
	Name      string
	Latitude  *float64
	Longitude *float64
	Operator  string
}

// AQMeasurement is one Level 1 value: a pollutant's value at a station on
// a day, as received.
type AQMeasurement struct {
	StationCode string
	Date        time.Time // 00:00 UTC of the calendar date
	Pollutant   string    // PM10, PM25, SO2, CO, O3, NO2, HC
	Kind        string    // AQSubIndex, AQUSAQI or AQConcentration
	Value       float64
	Unit        string // µg/m³ for concentrations; "" for index values
	Source      string
}

// AQDay is a station's day: the index as the operator reported it (Level
// 1) and as this server computed it (Level 2).
type AQDay struct {
	StationCode string
	Date        time.Time
	// As reported (Level 1); nil/"" when the source gives none.
	ReportedISPU     *int
	ReportedCritical string
	ReportedCategory string
	Notes            []string // disagreements found in the reported figures
	// Computed (Level 2): ISPU is the largest sub-index; nil when the day
	// has no sub-index.
	ISPU     *int
	Critical []string
	Category string // BAIK … BERBAHAYA
	Table    string // the regulation whose categories apply
}

// AQStore keeps air-quality data.
type AQStore interface {
	// PutAQStation creates or updates a station by code.
	PutAQStation(ctx context.Context, st AQStation) error
	// UpsertAQMeasurements stores values keyed by station, day, pollutant
	// and kind: the same value again is unchanged.
	UpsertAQMeasurements(ctx context.Context, ms []AQMeasurement) ([]WriteResult, error)
	// UpsertAQDays stores days keyed by station and day.
	UpsertAQDays(ctx context.Context, days []AQDay) ([]WriteResult, error)
	AQStations(ctx context.Context) ([]*AQStation, error)
	// AQMeasurements and AQDays list a station's records in [from, to],
	// oldest first.
	AQMeasurements(ctx context.Context, code string, from, to time.Time) ([]*AQMeasurement, error)
	AQDays(ctx context.Context, code string, from, to time.Time) ([]*AQDay, error)
	// AQMeasurementsOfStations and AQDaysOfStations are the same for
	// several stations in one statement, results in codes order.
	AQMeasurementsOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*AQMeasurement, error)
	AQDaysOfStations(ctx context.Context, codes []string, from, to time.Time) ([][]*AQDay, error)
}
