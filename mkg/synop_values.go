package mkg

// SynopValues is the Level 2 content of a SYNOP report: what the server's
// FM-12 decoder got from the text. Every value is optional (nil when the
// report does not carry it or carries it as missing, "/"). Units are SI-ish
// and named: °C, hPa, m/s, m, mm, oktas, hours. It is stored as JSON; the
// tags are that storage format, so renaming one needs a migration.
type SynopValues struct {
	// Station type and indicators (section 1, iRiXhVV; section 0, iw).
	StationOperation   string `json:"stationOperation,omitempty"` // MANNED or AUTOMATIC (iX)
	WindSpeedUnit      string `json:"windSpeedUnit,omitempty"`    // METRES_PER_SECOND or KNOTS (iw)
	WindSpeedEstimated *bool  `json:"windSpeedEstimated,omitempty"`

	AirTemperatureC          *float64 `json:"airTemperatureC,omitempty"`
	DewPointC                *float64 `json:"dewPointC,omitempty"`
	RelativeHumidityPct      *float64 `json:"relativeHumidityPct,omitempty"`
	RelativeHumidityComputed bool     `json:"relativeHumidityComputed,omitempty"`

	StationPressureHPa   *float64          `json:"stationPressureHPa,omitempty"`
	SeaLevelPressureHPa  *float64          `json:"seaLevelPressureHPa,omitempty"`
	IsobaricSurface      *IsobaricSurface  `json:"isobaricSurface,omitempty"`
	PressureTendency     *PressureTendency `json:"pressureTendency,omitempty"`
	PressureChange24hHPa *float64          `json:"pressureChange24hHPa,omitempty"`

	Wind  *Wind      `json:"wind,omitempty"`
	Gusts []WindGust `json:"gusts,omitempty"`

	VisibilityM     *float64     `json:"visibilityM,omitempty"`
	VisibilityCode  *int         `json:"visibilityCode,omitempty"`
	CloudCover      *CloudCover  `json:"cloudCover,omitempty"`
	CloudBaseHeight *HeightRange `json:"cloudBaseHeight,omitempty"`
	Clouds          *CloudTypes  `json:"clouds,omitempty"`
	CloudLayers     []CloudLayer `json:"cloudLayers,omitempty"`

	PresentWeather         *WeatherCode `json:"presentWeather,omitempty"`
	PastWeather1           *WeatherCode `json:"pastWeather1,omitempty"`
	PastWeather2           *WeatherCode `json:"pastWeather2,omitempty"`
	PastWeatherPeriodHours *int         `json:"pastWeatherPeriodHours,omitempty"`
	WeatherOmittedReason   *string      `json:"weatherOmittedReason,omitempty"`

	Precipitation  []Precipitation    `json:"precipitation,omitempty"`
	MaxTemperature *TemperaturePeriod `json:"maxTemperature,omitempty"`
	MinTemperature *TemperaturePeriod `json:"minTemperature,omitempty"`

	GroundState            *CodeValue  `json:"groundState,omitempty"`
	SnowDepthCm            *float64    `json:"snowDepthCm,omitempty"`
	SnowDepthNote          string      `json:"snowDepthNote,omitempty"`
	Sunshine               []Sunshine  `json:"sunshine,omitempty"`
	Radiation              []Radiation `json:"radiation,omitempty"`
	SeaSurfaceTemperatureC *float64    `json:"seaSurfaceTemperatureC,omitempty"`

	// ExactObservationTime is set from 9GGgg when the report gives one (hhmm UTC).
	ExactObservationTime *string `json:"exactObservationTime,omitempty"`

	// UninterpretedGroups are groups kept but not decoded (national
	// section 5, regional groups, unknown 9-groups), as "section: group".
	UninterpretedGroups []string `json:"uninterpretedGroups,omitempty"`
}

// IsobaricSurface is 4a3hhh: the geopotential of a standard pressure level,
// reported instead of sea-level pressure by high stations.
type IsobaricSurface struct {
	PressureHPa         float64 `json:"pressureHPa"`
	GeopotentialHeightM float64 `json:"geopotentialHeightM"`
}

// PressureTendency is 5appp: the 3-hour pressure change.
type PressureTendency struct {
	Characteristic int      `json:"characteristic"` // code table 0200
	Description    string   `json:"description"`
	ChangeHPa      *float64 `json:"changeHPa,omitempty"` // signed
}

// Wind is the surface wind of section 1.
type Wind struct {
	DirectionDeg  *int     `json:"directionDeg,omitempty"`
	Calm          bool     `json:"calm,omitempty"`
	Variable      bool     `json:"variable,omitempty"`
	SpeedMS       *float64 `json:"speedMS,omitempty"`
	ReportedSpeed *float64 `json:"reportedSpeed,omitempty"` // in WindSpeedUnit
}

// WindGust is a gust or mean-wind group of section 3 (910ff, 911ff …).
type WindGust struct {
	Kind          string  `json:"kind"` // e.g. "highest gust"
	SpeedMS       float64 `json:"speedMS"`
	ReportedSpeed float64 `json:"reportedSpeed"`
	PeriodMinutes *int    `json:"periodMinutes,omitempty"`
	Group         string  `json:"group"`
}

// CloudCover is N: total cloud cover.
type CloudCover struct {
	Oktas       *int `json:"oktas,omitempty"` // 0..8; nil when the sky is obscured
	SkyObscured bool `json:"skyObscured,omitempty"`
}

// HeightRange is a class of a height code (e.g. cloud base h): [MinM, MaxM),
// MaxM nil for the open top class.
type HeightRange struct {
	Code int      `json:"code"`
	MinM float64  `json:"minM"`
	MaxM *float64 `json:"maxM,omitempty"`
}

// CloudTypes is 8NhCLCMCH.
type CloudTypes struct {
	AmountOktas *int       `json:"amountOktas,omitempty"` // Nh: low (or middle when no low) cloud amount
	SkyObscured bool       `json:"skyObscured,omitempty"`
	Low         *CodeValue `json:"low,omitempty"`
	Middle      *CodeValue `json:"middle,omitempty"`
	High        *CodeValue `json:"high,omitempty"`
}

// CloudLayer is 8NsChshs of section 3.
type CloudLayer struct {
	AmountOktas *int       `json:"amountOktas,omitempty"`
	SkyObscured bool       `json:"skyObscured,omitempty"`
	Genus       *CodeValue `json:"genus,omitempty"`
	HeightM     *float64   `json:"heightM,omitempty"`
}

// CodeValue is a coded value with its meaning.
type CodeValue struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// WeatherCode is a present or past weather code. Automatic stations use
// their own tables (4680, 4531); Automatic says which table applies.
type WeatherCode struct {
	Code        int    `json:"code"`
	Automatic   bool   `json:"automatic,omitempty"`
	Description string `json:"description"`
}

// Precipitation is a 6RRRtR or 7R24R24R24R24 group.
type Precipitation struct {
	AmountMM    float64 `json:"amountMM"`
	Trace       bool    `json:"trace,omitempty"`
	PeriodHours *int    `json:"periodHours,omitempty"`
	Section     string  `json:"section"` // "1" or "3"
}

// TemperaturePeriod is an extreme temperature and the period it covers.
type TemperaturePeriod struct {
	ValueC      float64 `json:"valueC"`
	PeriodHours *int    `json:"periodHours,omitempty"`
	PeriodNote  *string `json:"periodNote,omitempty"`
}

// Sunshine is a 55SSS or 553SS group.
type Sunshine struct {
	Hours       float64 `json:"hours"`
	PeriodHours int     `json:"periodHours"`
}

// Radiation is one of the 0FFFF…6FFFF groups after 55SSS/553SS.
type Radiation struct {
	Kind        string  `json:"kind"` // e.g. "global solar"
	JPerM2      float64 `json:"jPerM2"`
	PeriodHours int     `json:"periodHours"`
}
