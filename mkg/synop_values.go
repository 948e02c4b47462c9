package mkg

import "github.com/bmkg/mkggraph/format/synop"

// SynopValues is the Level 2 content of a SYNOP report: what the server's
// FM-12 decoder got from the text, group by group (format/synop.Decoded,
// the one definition of that shape). Every value is optional (nil or empty
// when the report omits it, reports it missing with "/", or it could not
// be decoded: then the observation lists the problem). Units are in the
// names: °C, hPa, m/s, m, mm, oktas, minutes, hours, J/m². It is stored as
// its JSON: renaming a tag needs a migration.
type SynopValues = synop.Decoded

// The parts of SynopValues, under the names the API gives them.
type (
	CodeValue          = synop.Code
	Range              = synop.Range
	TotalCloud         = synop.TotalCloud
	Wind               = synop.Wind
	Geopotential       = synop.Geopotential
	PressureTendency   = synop.PressureTendency
	Precipitation      = synop.Precipitation
	WeatherCode        = synop.Weather
	Clouds             = synop.Clouds
	CloudType          = synop.CloudType
	ExactTime          = synop.ExactTime
	TemperatureExtreme = synop.Extreme
	SnowDepth          = synop.SnowDepth
	Evaporation        = synop.Evaporation
	TemperatureChange  = synop.TemperatureChange
	Sunshine           = synop.Sunshine
	Radiation          = synop.Radiation
	Direction          = synop.Direction
	CloudDrift         = synop.CloudDrift
	CloudDirection     = synop.CloudDirection
	CloudLayer         = synop.CloudLayer
	WindSpeed          = synop.WindSpeed
	SupplementaryGroup = synop.Supplementary
	RawSection         = synop.RawSection
)
