package rainbow

// quantities maps Rainbow data type names to ODIM-H5 quantities and units.
// A leading "u" in Rainbow means uncorrected (unfiltered), a trailing "v"
// the vertical channel; ODIM writes these as a U prefix and a V suffix.
// Names not listed keep an empty quantity rather than a guess.
var quantities = map[string]struct{ odim, units string }{
	"dBZ":    {"DBZH", "dBZ"},
	"dBZv":   {"DBZV", "dBZ"},
	"dBuZ":   {"TH", "dBZ"},
	"dBuZv":  {"TV", "dBZ"},
	"V":      {"VRADH", "m/s"},
	"Vv":     {"VRADV", "m/s"},
	"W":      {"WRADH", "m/s"},
	"Wv":     {"WRADV", "m/s"},
	"ZDR":    {"ZDR", "dB"},
	"uZDR":   {"UZDR", "dB"},
	"LDR":    {"LDR", "dB"},
	"uLDR":   {"ULDR", "dB"},
	"KDP":    {"KDP", "deg/km"},
	"uKDP":   {"UKDP", "deg/km"},
	"PhiDP":  {"PHIDP", "deg"},
	"uPhiDP": {"UPHIDP", "deg"},
	"RhoHV":  {"RHOHV", ""},
	"uRhoHV": {"URHOHV", ""},
	"SQI":    {"SQIH", ""},
	"SQIv":   {"SQIV", ""},
	"SNR":    {"SNRH", "dB"},
	"SNRv":   {"SNRV", "dB"},
	"CCOR":   {"CCORH", "dB"},
	"CCORv":  {"CCORV", "dB"},
}

func quantity(name string) (odim, units string) {
	q := quantities[name]
	return q.odim, q.units
}
