package mkg

// SynopValues is the Level 2 content of a SYNOP report: what the server's
// FM-12 decoder got from the text, group by group. Every value is optional
// (nil or empty when the report omits it, reports it missing with "/", or
// it could not be decoded: then the observation lists the problem). Units
// are in the names: °C, hPa, m/s, m, mm, oktas, minutes, hours, J/m².
//
// It mirrors the decoder's output field for field (format/synop.Decoded,
// converted by ingest through its JSON form, with a test that nothing is
// lost) and is stored as that JSON: renaming a tag needs a migration.
type SynopValues struct {
	Region string `json:"region,omitempty"` // WMO Regional Association of the station (I … VI, Antarctic)

	WindUnit               string     `json:"windUnit,omitempty"` // "m/s" or "kt" (iw)
	WindMeasured           *bool      `json:"windMeasured,omitempty"`
	PrecipitationIndicator *CodeValue `json:"precipitationIndicator,omitempty"` // iR, code table 1819
	StationOperation       *CodeValue `json:"stationOperation,omitempty"`       // ix, code table 1860
	Automatic              *bool      `json:"automatic,omitempty"`
	NoPrecipitation        bool       `json:"noPrecipitation,omitempty"` // iR = 3
	CloudBase              *Range     `json:"cloudBase,omitempty"`       // h, code table 1600
	Visibility             *Range     `json:"visibility,omitempty"`      // VV, code table 4377

	TotalCloud *TotalCloud `json:"totalCloud,omitempty"`
	Wind       *Wind       `json:"wind,omitempty"`

	AirTemperatureC          *float64          `json:"airTemperatureC,omitempty"`
	DewPointC                *float64          `json:"dewPointC,omitempty"`
	RelativeHumidityPct      *int              `json:"relativeHumidityPct,omitempty"`
	RelativeHumidityComputed bool              `json:"relativeHumidityComputed,omitempty"`
	StationPressureHPa       *float64          `json:"stationPressureHPa,omitempty"`
	SeaLevelPressureHPa      *float64          `json:"seaLevelPressureHPa,omitempty"`
	Geopotential             *Geopotential     `json:"geopotential,omitempty"`
	PressureTendency         *PressureTendency `json:"pressureTendency,omitempty"`
	Precipitation            []Precipitation   `json:"precipitation,omitempty"`
	PresentWeather           *WeatherCode      `json:"presentWeather,omitempty"`
	PastWeather1             *WeatherCode      `json:"pastWeather1,omitempty"`
	PastWeather2             *WeatherCode      `json:"pastWeather2,omitempty"`
	PastWeatherPeriodH       *int              `json:"pastWeatherPeriodH,omitempty"`
	Clouds                   *Clouds           `json:"clouds,omitempty"`
	ExactTime                *ExactTime        `json:"exactTime,omitempty"`

	SeaSurfaceTemperatureC *float64 `json:"seaSurfaceTemperatureC,omitempty"`
	Section2               []string `json:"section2,omitempty"`

	Regional              []string             `json:"regional,omitempty"`
	MaxTemperature        *TemperatureExtreme  `json:"maxTemperature,omitempty"`
	MinTemperature        *TemperatureExtreme  `json:"minTemperature,omitempty"`
	GroundState           *CodeValue           `json:"groundState,omitempty"`
	GroundMinTemperatureC *int                 `json:"groundMinTemperatureC,omitempty"`
	SnowGroundState       *CodeValue           `json:"snowGroundState,omitempty"`
	SnowDepth             *SnowDepth           `json:"snowDepth,omitempty"`
	Evaporation           *Evaporation         `json:"evaporation,omitempty"`
	TemperatureChange     *TemperatureChange   `json:"temperatureChange,omitempty"`
	Sunshine              []Sunshine           `json:"sunshine,omitempty"`
	Radiation             []Radiation          `json:"radiation,omitempty"`
	CloudDrift            *CloudDrift          `json:"cloudDrift,omitempty"`
	CloudDirection        *CloudDirection      `json:"cloudDirection,omitempty"`
	PressureChange24hHPa  *float64             `json:"pressureChange24hHPa,omitempty"`
	CloudLayers           []CloudLayer         `json:"cloudLayers,omitempty"`
	WindSpeeds            []WindSpeed          `json:"windSpeeds,omitempty"`
	Supplementary         []SupplementaryGroup `json:"supplementary,omitempty"`

	Section4      []string     `json:"section4,omitempty"`
	Section5      []string     `json:"section5,omitempty"`
	OtherSections []RawSection `json:"otherSections,omitempty"`
	Notes         []string     `json:"notes,omitempty"`
}

// CodeValue is a code-table value with its meaning.
type CodeValue struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// Range is a distance or height given as a class, metres: MaxM nil for an
// open "or more" class, MinM 0 for "less than".
type Range struct {
	MinM int  `json:"minM"`
	MaxM *int `json:"maxM"`
}

// TotalCloud is N.
type TotalCloud struct {
	Oktas       *int `json:"oktas,omitempty"`
	SkyObscured bool `json:"skyObscured,omitempty"`
}

// Wind is the 10-minute mean surface wind (ddff, 00fff).
type Wind struct {
	DirectionDeg  *int     `json:"directionDeg,omitempty"`
	Calm          bool     `json:"calm,omitempty"`
	Variable      bool     `json:"variable,omitempty"`
	SpeedMS       *float64 `json:"speedMS,omitempty"`
	ReportedSpeed *int     `json:"reportedSpeed,omitempty"`
	ReportedUnit  string   `json:"reportedUnit,omitempty"`
}

// Geopotential is 4a3hhh.
type Geopotential struct {
	SurfaceHPa int `json:"surfaceHPa"`
	HeightGpm  int `json:"heightGpm"`
}

// PressureTendency is 5appp.
type PressureTendency struct {
	Characteristic *CodeValue `json:"characteristic,omitempty"`
	ChangeHPa      *float64   `json:"changeHPa,omitempty"`
}

// Precipitation is 6RRRtR (sections 1, 3) or 7R24R24R24R24.
type Precipitation struct {
	Section  int      `json:"section"`
	Group    string   `json:"group"`
	AmountMM *float64 `json:"amountMM,omitempty"`
	Trace    bool     `json:"trace,omitempty"`
	AtLeast  bool     `json:"atLeast,omitempty"`
	PeriodH  *int     `json:"periodH,omitempty"`
}

// WeatherCode is a present or past weather code; Automatic says the
// automatic-station tables (4680, 4531) apply.
type WeatherCode struct {
	Code        int    `json:"code"`
	Automatic   bool   `json:"automatic,omitempty"`
	Description string `json:"description"`
}

// Clouds is 8NhCLCMCH.
type Clouds struct {
	AmountOktas *int      `json:"amountOktas,omitempty"`
	Obscured    bool      `json:"obscured,omitempty"`
	Low         CloudType `json:"low"`
	Middle      CloudType `json:"middle"`
	High        CloudType `json:"high"`
}

// CloudType is a cloud code figure; Code nil when not visible.
type CloudType struct {
	Code        *int   `json:"code"`
	Description string `json:"description"`
}

// ExactTime is 9GGgg.
type ExactTime struct {
	Hour   int `json:"hour"`
	Minute int `json:"minute"`
}

// TemperatureExtreme is 1SnTxTxTx or 2SnTnTnTn of section 3.
type TemperatureExtreme struct {
	ValueC  float64 `json:"valueC"`
	PeriodH *int    `json:"periodH,omitempty"`
	Note    string  `json:"note,omitempty"`
}

// SnowDepth is sss of 4E'sss.
type SnowDepth struct {
	DepthM      *float64 `json:"depthM,omitempty"`
	Description string   `json:"description,omitempty"`
}

// Evaporation is 5EEEiE.
type Evaporation struct {
	AmountMM   float64    `json:"amountMM"`
	Instrument *CodeValue `json:"instrument,omitempty"`
}

// TemperatureChange is 54g0sndT.
type TemperatureChange struct {
	ChangeC     int `json:"changeC"`
	HoursBefore int `json:"hoursBefore"`
}

// Sunshine is 55SSS or 553SS.
type Sunshine struct {
	PeriodH     int  `json:"periodH"`
	DurationMin *int `json:"durationMin,omitempty"`
}

// Radiation is one radiation group after 55SSS/553SS.
type Radiation struct {
	Group   string  `json:"group"`
	Kind    string  `json:"kind"`
	PeriodH int     `json:"periodH"`
	JPerM2  float64 `json:"jPerM2"`
}

// Direction is a one-figure compass direction (code table 0700).
type Direction struct {
	Code        int    `json:"code"`
	Degrees     *int   `json:"degrees,omitempty"`
	Description string `json:"description"`
}

// CloudDrift is 56DLDMDH.
type CloudDrift struct {
	Low    *Direction `json:"low,omitempty"`
	Middle *Direction `json:"middle,omitempty"`
	High   *Direction `json:"high,omitempty"`
}

// CloudDirection is 57CDaeC.
type CloudDirection struct {
	Genus     *CloudType `json:"genus,omitempty"`
	Direction *Direction `json:"direction,omitempty"`
	Elevation *CodeValue `json:"elevation,omitempty"`
}

// CloudLayer is 8NsChshs.
type CloudLayer struct {
	Group       string     `json:"group"`
	AmountOktas *int       `json:"amountOktas,omitempty"`
	Obscured    bool       `json:"obscured,omitempty"`
	Genus       *CloudType `json:"genus,omitempty"`
	Base        *Range     `json:"base,omitempty"`
}

// WindSpeed is a 910ff … 913ff group.
type WindSpeed struct {
	Group         string   `json:"group"`
	Kind          string   `json:"kind"`
	SpeedMS       *float64 `json:"speedMS,omitempty"`
	ReportedSpeed int      `json:"reportedSpeed"`
	PeriodMin     *int     `json:"periodMin,omitempty"`
}

// SupplementaryGroup is another 9SpSpspsp group.
type SupplementaryGroup struct {
	Group       string `json:"group"`
	Description string `json:"description"`
	Interpreted bool   `json:"interpreted,omitempty"`
}

// RawSection is a national section kept as received.
type RawSection struct {
	Marker string   `json:"marker"`
	Groups []string `json:"groups"`
}
