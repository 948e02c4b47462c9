package synop

// Decoded is the Level 2 content of one land-station report: every group of
// sections 1 and 3 turned into values in API units (°C, hPa, m/s, m, mm,
// oktas, minutes or hours, J/m²), with code-table values kept as code plus
// description. A nil pointer or an empty list means the group was absent,
// reported as missing ("/") or could not be decoded (then the report has a
// Problem). Nothing here comes from a station list.
type Decoded struct {
	// Region is the WMO Regional Association of the station, derived from
	// its index number (I … VI, Antarctic); it selects regional rules such
	// as the period of the extreme temperatures.
	Region string `json:"region,omitempty"`

	// Section 0: iw.
	WindUnit     string `json:"windUnit,omitempty"`     // "m/s" or "kt"; empty when iw is missing
	WindMeasured *bool  `json:"windMeasured,omitempty"` // true: anemometer, false: estimated

	// iRixhVV.
	PrecipitationIndicator *Code `json:"precipitationIndicator,omitempty"` // iR, code table 1819
	StationOperation       *Code `json:"stationOperation,omitempty"`       // ix, code table 1860
	Automatic              *bool `json:"automatic,omitempty"`              // from ix: 1-3 manned, 4-7 automatic
	// NoPrecipitation is set when iR = 3: the precipitation groups are
	// omitted because nothing fell.
	NoPrecipitation bool   `json:"noPrecipitation,omitempty"`
	CloudBase       *Range `json:"cloudBase,omitempty"`  // h, code table 1600: base of the lowest cloud above ground, m
	Visibility      *Range `json:"visibility,omitempty"` // VV, code table 4377: horizontal visibility, m

	// Nddff and 00fff.
	TotalCloud *TotalCloud `json:"totalCloud,omitempty"`
	Wind       *Wind       `json:"wind,omitempty"`

	AirTemperatureC *float64 `json:"airTemperatureC,omitempty"` // 1SnTTT
	DewPointC       *float64 `json:"dewPointC,omitempty"`       // 2SnTdTdTd
	// RelativeHumidityPct is 29UUU, or computed from air temperature and
	// dew point (RelativeHumidityComputed) when the report gives both.
	RelativeHumidityPct      *int              `json:"relativeHumidityPct,omitempty"`
	RelativeHumidityComputed bool              `json:"relativeHumidityComputed,omitempty"`
	StationPressureHPa       *float64          `json:"stationPressureHPa,omitempty"`  // 3P0P0P0P0
	SeaLevelPressureHPa      *float64          `json:"seaLevelPressureHPa,omitempty"` // 4PPPP
	Geopotential             *Geopotential     `json:"geopotential,omitempty"`        // 4a3hhh
	PressureTendency         *PressureTendency `json:"pressureTendency,omitempty"`    // 5appp
	// Precipitation holds 6RRRtR of sections 1 and 3 and 7R24R24R24R24.
	Precipitation []Precipitation `json:"precipitation,omitempty"`
	// PresentWeather, PastWeather1 and PastWeather2 are 7wwW1W2 (code
	// tables 4677/4561) or 7wawaWa1Wa2 (4680/4531, when ix = 7).
	PresentWeather *Weather `json:"presentWeather,omitempty"`
	PastWeather1   *Weather `json:"pastWeather1,omitempty"`
	PastWeather2   *Weather `json:"pastWeather2,omitempty"`
	// PastWeatherPeriodH is the period covered by W1W2 (6 h at 00, 06, 12,
	// 18 UTC, 3 h at 03, 09, 15, 21 UTC; null at other hours, where it
	// depends on the station's schedule).
	PastWeatherPeriodH *int       `json:"pastWeatherPeriodH,omitempty"`
	Clouds             *Clouds    `json:"clouds,omitempty"`    // 8NhCLCMCH
	ExactTime          *ExactTime `json:"exactTime,omitempty"` // 9GGgg

	// Section 2: only the sea-surface temperature is decoded.
	SeaSurfaceTemperatureC *float64 `json:"seaSurfaceTemperatureC,omitempty"` // 0SsTwTwTw
	Section2               []string `json:"section2,omitempty"`               // all groups, 222Dsvs first, uninterpreted

	// Section 3.
	Regional              []string           `json:"regional,omitempty"`              // 0xxxx, regionally defined, uninterpreted
	MaxTemperature        *Extreme           `json:"maxTemperature,omitempty"`        // 1SnTxTxTx
	MinTemperature        *Extreme           `json:"minTemperature,omitempty"`        // 2SnTnTnTn
	GroundState           *Code              `json:"groundState,omitempty"`           // E of 3EsnTgTg, code table 0901
	GroundMinTemperatureC *int               `json:"groundMinTemperatureC,omitempty"` // TgTg of 3EsnTgTg, whole °C
	SnowGroundState       *Code              `json:"snowGroundState,omitempty"`       // E' of 4E'sss, code table 0975
	SnowDepth             *SnowDepth         `json:"snowDepth,omitempty"`             // sss of 4E'sss, code table 3889
	Evaporation           *Evaporation       `json:"evaporation,omitempty"`           // 5EEEiE
	TemperatureChange     *TemperatureChange `json:"temperatureChange,omitempty"`     // 54g0sndT
	Sunshine              []Sunshine         `json:"sunshine,omitempty"`              // 55SSS, 553SS
	Radiation             []Radiation        `json:"radiation,omitempty"`             // 0FFFF … 6FFFF after 55SSS, 553SS, 5540x, 5550x
	CloudDrift            *CloudDrift        `json:"cloudDrift,omitempty"`            // 56DLDMDH
	CloudDirection        *CloudDirection    `json:"cloudDirection,omitempty"`        // 57CDaeC
	PressureChange24hHPa  *float64           `json:"pressureChange24hHPa,omitempty"`  // 58p24p24p24 / 59p24p24p24
	CloudLayers           []CloudLayer       `json:"cloudLayers,omitempty"`           // 8NsChshs
	WindSpeeds            []WindSpeed        `json:"windSpeeds,omitempty"`            // 910ff, 911ff, 912ff, 913ff
	Supplementary         []Supplementary    `json:"supplementary,omitempty"`         // other 9SpSpspsp groups

	// Sections 4 and 5 and national sections, uninterpreted.
	Section4      []string     `json:"section4,omitempty"`
	Section5      []string     `json:"section5,omitempty"`
	OtherSections []RawSection `json:"otherSections,omitempty"`

	// Notes explain choices made while decoding that a reader of the values
	// should know about; they are not problems.
	Notes []string `json:"notes,omitempty"`
}

// Code is a code-table value with its meaning.
type Code struct {
	Code        int    `json:"code"`
	Description string `json:"description"`
}

// Range is a distance or height that a code table gives as a class. MinM and
// MaxM are equal for an exact value; MaxM is nil for "or more" classes and
// MinM is 0 for "less than" classes. Metres.
type Range struct {
	MinM int  `json:"minM"`
	MaxM *int `json:"maxM"`
}

// TotalCloud is N of Nddff, code table 2700.
type TotalCloud struct {
	Oktas       *int `json:"oktas,omitempty"`       // 0-8
	SkyObscured bool `json:"skyObscured,omitempty"` // N = 9: sky obscured or cloud amount not estimable
}

// Wind is ddff (and 00fff) of section 1: the mean over the 10 minutes before
// the observation.
type Wind struct {
	DirectionDeg *int     `json:"directionDeg,omitempty"` // true direction from which the wind blows, 10-360
	Calm         bool     `json:"calm,omitempty"`         // dd = 00
	Variable     bool     `json:"variable,omitempty"`     // dd = 99: variable, all directions or unknown
	SpeedMS      *float64 `json:"speedMS,omitempty"`      // m/s, converted from knots when iw = 3 or 4
	// ReportedSpeed is ff (or fff) in ReportedUnit, as written.
	ReportedSpeed *int   `json:"reportedSpeed,omitempty"`
	ReportedUnit  string `json:"reportedUnit,omitempty"`
}

// Geopotential is 4a3hhh: the geopotential height of a standard isobaric
// surface, reported instead of sea-level pressure by high stations.
type Geopotential struct {
	SurfaceHPa int `json:"surfaceHPa"` // a3, code table 0264
	HeightGpm  int `json:"heightGpm"`  // hhh with its thousands restored, geopotential metres
}

// PressureTendency is 5appp.
type PressureTendency struct {
	Characteristic *Code    `json:"characteristic,omitempty"` // a, code table 0200
	ChangeHPa      *float64 `json:"changeHPa,omitempty"`      // signed change over the last 3 h
}

// Precipitation is 6RRRtR (section 1 or 3) or 7R24R24R24R24 (section 3).
type Precipitation struct {
	Section  int      `json:"section"`
	Group    string   `json:"group"`
	AmountMM *float64 `json:"amountMM,omitempty"` // nil when RRR is missing
	Trace    bool     `json:"trace,omitempty"`    // a trace, AmountMM is 0
	AtLeast  bool     `json:"atLeast,omitempty"`  // RRR = 989: 989 mm or more
	PeriodH  *int     `json:"periodH,omitempty"`  // tR, code table 4019, ending at the observation
}

// Weather is a present- or past-weather code.
type Weather struct {
	Code int `json:"code"`
	// Automatic is true for the automatic-station tables 4680 and 4531.
	Automatic   bool   `json:"automatic,omitempty"`
	Description string `json:"description"`
}

// Clouds is 8NhCLCMCH.
type Clouds struct {
	// AmountOktas is Nh: the amount of all CL clouds, or of all CM clouds
	// when there are no CL clouds.
	AmountOktas *int      `json:"amountOktas,omitempty"`
	Obscured    bool      `json:"obscured,omitempty"` // Nh = 9
	Low         CloudType `json:"low"`                // CL, code table 0513
	Middle      CloudType `json:"middle"`             // CM, code table 0515
	High        CloudType `json:"high"`               // CH, code table 0509
}

// CloudType is a cloud code figure; Code is nil when the clouds were not
// visible (reported as "/").
type CloudType struct {
	Code        *int   `json:"code"`
	Description string `json:"description"`
}

// ExactTime is 9GGgg, the actual time of the observation.
type ExactTime struct {
	Hour   int `json:"hour"`
	Minute int `json:"minute"`
}

// Extreme is a maximum or minimum air temperature of section 3.
type Extreme struct {
	ValueC float64 `json:"valueC"`
	// PeriodH is the length of the period ending at the observation, as the
	// regional regulations define it for this hour; nil with Note otherwise.
	PeriodH *int   `json:"periodH,omitempty"`
	Note    string `json:"note,omitempty"`
}

// SnowDepth is sss of 4E'sss.
type SnowDepth struct {
	// DepthM is the depth in metres; 0 for "less than 0.5 cm", nil for
	// "not continuous" and "measurement impossible".
	DepthM      *float64 `json:"depthM,omitempty"`
	Description string   `json:"description,omitempty"` // set for the special codes 997-999
}

// Evaporation is 5EEEiE.
type Evaporation struct {
	AmountMM   float64 `json:"amountMM"`             // over the preceding 24 h
	Instrument *Code   `json:"instrument,omitempty"` // iE, code table 1806
}

// TemperatureChange is 54g0sndT.
type TemperatureChange struct {
	ChangeC int `json:"changeC"` // signed, whole °C (code table 0822)
	// HoursBefore is g0: the whole hours before the observation at which
	// the change began.
	HoursBefore int `json:"hoursBefore"`
}

// Sunshine is 55SSS (previous day) or 553SS (previous hour).
type Sunshine struct {
	PeriodH     int  `json:"periodH"`
	DurationMin *int `json:"durationMin,omitempty"`
}

// Radiation is one radiation group, in J/m² over PeriodH (1 or 24) hours.
// Kind is "net" (signed: 0FFFF positive, 1FFFF negative), "globalSolar",
// "diffuseSolar", "downwardLongWave", "upwardLongWave", "shortWave",
// "netShortWave" or "directSolar".
type Radiation struct {
	Group   string  `json:"group"`
	Kind    string  `json:"kind"`
	PeriodH int     `json:"periodH"`
	JPerM2  float64 `json:"jPerM2"`
}

// Direction is a one-figure direction, code table 0700.
type Direction struct {
	Code        int    `json:"code"`
	Degrees     *int   `json:"degrees,omitempty"` // 45-360; nil for stationary, all or unknown
	Description string `json:"description"`
}

// CloudDrift is 56DLDMDH: the directions from which low, middle and high
// clouds move.
type CloudDrift struct {
	Low    *Direction `json:"low,omitempty"`
	Middle *Direction `json:"middle,omitempty"`
	High   *Direction `json:"high,omitempty"`
}

// CloudDirection is 57CDaeC: direction and elevation of a cloud.
type CloudDirection struct {
	Genus     *CloudType `json:"genus,omitempty"`     // C, code table 0500
	Direction *Direction `json:"direction,omitempty"` // Da, code table 0700
	Elevation *Code      `json:"elevation,omitempty"` // eC, code table 1004
}

// CloudLayer is 8NsChshs.
type CloudLayer struct {
	Group       string     `json:"group"`
	AmountOktas *int       `json:"amountOktas,omitempty"`
	Obscured    bool       `json:"obscured,omitempty"` // Ns = 9: hshs is then a vertical visibility
	Genus       *CloudType `json:"genus,omitempty"`    // C, code table 0500
	Base        *Range     `json:"base,omitempty"`     // hshs, code table 1677
}

// WindSpeed is a 910ff … 913ff group of section 3.
type WindSpeed struct {
	Group string `json:"group"`
	// Kind is "highestGust" (910, 911), "highestMeanSpeed" (912) or
	// "meanSpeed" (913).
	Kind          string   `json:"kind"`
	SpeedMS       *float64 `json:"speedMS,omitempty"`
	ReportedSpeed int      `json:"reportedSpeed"`
	// PeriodMin is the period ending at the observation: 10 min for 910;
	// for the others the one given by a preceding 907tt, else the period of
	// W1W2.
	PeriodMin *int `json:"periodMin,omitempty"`
}

// Supplementary is a 9SpSpspsp group (code table 3778) other than the wind
// speeds. Interpreted tells whether Description gives its value or only
// what kind of group it is.
type Supplementary struct {
	Group       string `json:"group"`
	Description string `json:"description"`
	Interpreted bool   `json:"interpreted,omitempty"`
}

// RawSection is a national section (666 … 999) kept as received.
type RawSection struct {
	Marker string   `json:"marker"`
	Groups []string `json:"groups"`
}
