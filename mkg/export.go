package mkg

import "time"

// ExportKind is the list an export takes away.
type ExportKind string

const (
	ExportObservationsL1 ExportKind = "OBSERVATIONS_L1" // SYNOP reports as received
	ExportObservationsL2 ExportKind = "OBSERVATIONS_L2" // decoded SYNOP values
	ExportEarthquakes    ExportKind = "EARTHQUAKES"
	ExportLightning      ExportKind = "LIGHTNING"
	ExportClimateL1      ExportKind = "CLIMATE_L1"     // daily records as received
	ExportClimateL2      ExportKind = "CLIMATE_L2"     // monthly or annual statistics
	ExportAirQualityL1   ExportKind = "AIR_QUALITY_L1" // values as received
	ExportAirQualityL2   ExportKind = "AIR_QUALITY_L2" // the daily ISPU
	ExportGroundMotions  ExportKind = "GROUND_MOTIONS" // an earthquake's strong-motion records
	ExportUsage          ExportKind = "USAGE"          // an account's usage, or every account's
)

// Dataset is the right an export of this kind needs, when issued and again
// when fetched.
func (k ExportKind) Dataset() Dataset {
	switch k {
	case ExportObservationsL1:
		return DatasetSynopL1
	case ExportObservationsL2:
		return DatasetSynopL2
	case ExportLightning:
		return DatasetLightning
	case ExportClimateL1:
		return DatasetClimateL1
	case ExportClimateL2:
		return DatasetClimateL2
	case ExportAirQualityL1:
		return DatasetAirQualityL1
	case ExportAirQualityL2:
		return DatasetAirQualityL2
	case ExportGroundMotions:
		return DatasetGroundAcceleration
	case ExportUsage:
		return "" // not a dataset: see ExportSpec.Allowed
	}
	return DatasetEarthquake
}

// ExportFormat is the file format of an export.
type ExportFormat string

const (
	ExportCSV     ExportFormat = "CSV"
	ExportGeoJSON ExportFormat = "GEOJSON"
)

// ExportSpec is a list query to take away as a file: the same filter the
// list query takes. It travels inside the signed download link, so the
// file is produced when fetched, under the rights the caller has then.
type ExportSpec struct {
	Kind         ExportKind         `json:"k"`
	Format       ExportFormat       `json:"f"`
	Observations *ObservationFilter `json:"o,omitempty"`
	Earthquakes  *EarthquakeFilter  `json:"e,omitempty"`
	Order        EarthquakeOrder    `json:"r,omitempty"`
	Lightning    *LightningFilter   `json:"l,omitempty"`
	// Station and the window select climate (WMO index) and air-quality
	// (monitor code) exports.
	Station    string        `json:"s,omitempty"`
	Period     ClimatePeriod `json:"p,omitempty"` // of a climate L2 export
	Earthquake int64         `json:"q,omitempty"` // ground motions of this earthquake
	From       time.Time     `json:"a"`
	To         time.Time     `json:"b"`
	// Usage selects the lines of a usage export.
	Usage *UsageFilter `json:"g,omitempty"`
}

// Allowed checks that p may take this export away, when its link is issued
// and again when it is fetched: the kind's dataset; for usage, an
// account's own lines, and any account's (or every account's) to admins.
func (s ExportSpec) Allowed(p *Principal) error {
	if s.Kind != ExportUsage {
		return p.Access(s.Kind.Dataset())
	}
	if p.Anonymous() {
		return Errorf(EUNAUTHENTICATED, "usage is an account's: send your API key as Authorization: Bearer <key>")
	}
	if s.Usage != nil && s.Usage.AccountID == p.Account.ID {
		return nil
	}
	return p.RequireRole(RoleAdmin)
}

// Validate checks the spec: the kind's filter, and that the format suits the
// kind (GeoJSON needs positions: earthquakes have them, and decoded
// observations take their station's).
func (s ExportSpec) Validate() error {
	switch s.Kind {
	case ExportObservationsL1, ExportObservationsL2:
		if s.Observations == nil {
			s.Observations = &ObservationFilter{}
		}
		if err := s.Observations.Validate("filter"); err != nil {
			return err
		}
		if s.Kind == ExportObservationsL1 && s.Format == ExportGeoJSON {
			return Invalid("format", "GeoJSON is offered for decoded (Level 2) observations and earthquakes; Level 1 reports are exported as CSV")
		}
	case ExportEarthquakes:
		f := EarthquakeFilter{}
		if s.Earthquakes != nil {
			f = *s.Earthquakes
		}
		order := s.Order
		if order == "" {
			order = OrderTimeDesc
		}
		if err := f.Validate(order); err != nil {
			return err
		}
	case ExportLightning:
		if s.Lightning == nil {
			return Invalid("bbox", "a box and a window are required")
		}
		if err := s.Lightning.Validate(); err != nil {
			return err
		}
	case ExportGroundMotions:
		if s.Earthquake <= 0 {
			return Invalid("earthquake", "the earthquake is required")
		}
	case ExportClimateL1, ExportClimateL2, ExportAirQualityL1, ExportAirQualityL2:
		if s.Kind == ExportClimateL2 && s.Period != PeriodMonth && s.Period != PeriodYear {
			return Invalid("period", "the period is MONTH or YEAR")
		}
		if s.Station == "" {
			return Invalid("station", "the station is required")
		}
		if s.From.After(s.To) || s.To.Sub(s.From) > MaxClimateWindow {
			return Invalid("from", "from must not be after to, and the window at most 50 years")
		}
		if s.Format == ExportGeoJSON {
			return Invalid("format", "%s is exported as CSV (the records have no position of their own)", s.Kind)
		}
	case ExportUsage:
		if s.Usage == nil {
			return Invalid("from", "the period is required")
		}
		if err := s.Usage.Validate(); err != nil {
			return err
		}
		if s.Format == ExportGeoJSON {
			return Invalid("format", "usage is exported as CSV (it has no position)")
		}
	default:
		return Invalid("kind", "unknown export kind %q", s.Kind)
	}
	if s.Format != ExportCSV && s.Format != ExportGeoJSON {
		return Invalid("format", "unknown export format %q; formats are CSV and GEOJSON", s.Format)
	}
	return nil
}
