package cfradial

import "strings"

// byStandardName maps CF/Radial standard names to ODIM-H5 quantities.
var byStandardName = map[string]string{
	"equivalent_reflectivity_factor":                     "DBZH",
	"equivalent_reflectivity_factor_h":                   "DBZH",
	"radial_velocity_of_scatterers_away_from_instrument": "VRADH",
	"doppler_spectrum_width":                             "WRADH",
	"log_differential_reflectivity_hv":                   "ZDR",
	"specific_differential_phase_hv":                     "KDP",
	"differential_phase_hv":                              "PHIDP",
	"cross_correlation_ratio_hv":                         "RHOHV",
}

// byName maps field names common in CfRadial files (CfRadial's own
// short names, Py-ART's long ones) to ODIM-H5 quantities.
var byName = map[string]string{
	"dbz": "DBZH", "dbzh": "DBZH", "reflectivity": "DBZH", "reflectivity_horizontal": "DBZH",
	"corrected_reflectivity": "DBZH",
	"dbt":                    "TH", "dbth": "TH", "th": "TH", "total_power": "TH",
	"vel": "VRADH", "velh": "VRADH", "vradh": "VRADH", "velocity": "VRADH",
	"mean_doppler_velocity": "VRADH",
	"width":                 "WRADH", "wradh": "WRADH", "spectrum_width": "WRADH",
	"zdr": "ZDR", "differential_reflectivity": "ZDR",
	"kdp": "KDP", "specific_differential_phase": "KDP",
	"phidp": "PHIDP", "differential_phase": "PHIDP",
	"rhohv": "RHOHV", "cross_correlation_ratio": "RHOHV",
}

// quantity is the ODIM-H5 quantity of a field, "" when neither its
// standard name nor its name is known.
func quantity(standardName, name string) string {
	if q, ok := byStandardName[strings.TrimSpace(standardName)]; ok {
		return q
	}
	return byName[strings.ToLower(name)]
}
