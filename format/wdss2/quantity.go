package wdss2

import "strings"

// quantities maps WDSS-II and EDGE TypeNames, lower-cased with
// underscores, hyphens and spaces removed, to ODIM-H5 quantities. EDGE's
// Corrected_Intensity is clutter-filtered reflectivity (DBZH); its
// Uncorrected_Intensity is total power (TH).
var quantities = map[string]string{
	"reflectivity":              "DBZH",
	"correctedintensity":        "DBZH",
	"correctedreflectivity":     "DBZH",
	"reflectivityqc":            "DBZH",
	"reflectivityqced":          "DBZH",
	"uncorrectedintensity":      "TH",
	"uncorrectedreflectivity":   "TH",
	"totalpower":                "TH",
	"velocity":                  "VRADH",
	"aliasedvelocity":           "VRADH",
	"radialvelocity":            "VRADH",
	"spectrumwidth":             "WRADH",
	"width":                     "WRADH",
	"zdr":                       "ZDR",
	"differentialreflectivity":  "ZDR",
	"kdp":                       "KDP",
	"specificdifferentialphase": "KDP",
	"phidp":                     "PHIDP",
	"differentialphase":         "PHIDP",
	"rhohv":                     "RHOHV",
	"crosscorrelation":          "RHOHV",
	"correlationcoefficient":    "RHOHV",
	"copolarcorrelation":        "RHOHV",
}

// Quantity returns the ODIM-H5 quantity of a WDSS-II TypeName, or "" when
// it has none this package knows.
func Quantity(typeName string) string {
	key := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToLower(typeName))
	return quantities[key]
}
