package mkg

import (
	"errors"
	"testing"
	"time"
)

// TestExportSpecValidate: every kind's own requirements, each refusal
// naming the argument at fault.
func TestExportSpecValidate(t *testing.T) {
	from := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	box := BBox{South: 0.5, West: 103, North: 2, East: 104.5}
	for _, c := range []struct {
		name  string
		spec  ExportSpec
		field string // "" when valid
	}{
		{"earthquakes", ExportSpec{Kind: ExportEarthquakes, Format: ExportGeoJSON}, ""},
		{"unknown kind", ExportSpec{Kind: "RADAR", Format: ExportCSV}, "kind"},
		{"unknown format", ExportSpec{Kind: ExportEarthquakes, Format: "XLSX"}, "format"},
		{"L1 observations as GeoJSON", ExportSpec{Kind: ExportObservationsL1, Format: ExportGeoJSON}, "format"},
		{"L2 observations as GeoJSON", ExportSpec{Kind: ExportObservationsL2, Format: ExportGeoJSON}, ""},
		{"lightning without a box", ExportSpec{Kind: ExportLightning, Format: ExportCSV}, "bbox"},
		{"lightning", ExportSpec{Kind: ExportLightning, Format: ExportGeoJSON, Lightning: &LightningFilter{BBox: box, From: from, To: from.Add(time.Hour)}}, ""},
		{"ground motions without an earthquake", ExportSpec{Kind: ExportGroundMotions, Format: ExportCSV}, "earthquake"},
		{"climate L1", ExportSpec{Kind: ExportClimateL1, Format: ExportCSV, Station: "96733", From: from, To: to}, ""},
		{"climate L1 without a station", ExportSpec{Kind: ExportClimateL1, Format: ExportCSV, From: from, To: to}, "station"},
		{"climate L1 backwards", ExportSpec{Kind: ExportClimateL1, Format: ExportCSV, Station: "96733", From: to, To: from}, "from"},
		{"climate L1 as GeoJSON", ExportSpec{Kind: ExportClimateL1, Format: ExportGeoJSON, Station: "96733", From: from, To: to}, "format"},
		{"climate L2 per month", ExportSpec{Kind: ExportClimateL2, Format: ExportCSV, Station: "96733", Period: PeriodMonth, From: from, To: to}, ""},
		{"climate L2 per year", ExportSpec{Kind: ExportClimateL2, Format: ExportCSV, Station: "96733", Period: PeriodYear, From: from, To: to}, ""},
		{"climate L2 without a period", ExportSpec{Kind: ExportClimateL2, Format: ExportCSV, Station: "96733", From: from, To: to}, "period"},
		{"climate L2 over 50 years", ExportSpec{Kind: ExportClimateL2, Format: ExportCSV, Station: "96733", Period: PeriodYear, From: from.AddDate(-60, 0, 0), To: to}, "from"},
		{"air quality L2", ExportSpec{Kind: ExportAirQualityL2, Format: ExportCSV, Station: "DKI1", From: from, To: to}, ""},
	} {
		err := c.spec.Validate()
		var e *Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v, want valid", c.name, err)
		case c.field != "" && (!errors.As(err, &e) || e.Code != EINVALID || e.Field != c.field):
			t.Errorf("%s: %v, want INVALID on %q", c.name, err, c.field)
		}
	}
	if ExportClimateL2.Dataset() != DatasetClimateL2 || ExportClimateL1.Dataset() != DatasetClimateL1 {
		t.Error("climate exports need their level's right")
	}
}
