package airquality

import "math"

// Pollutant names a parameter of the index, spelled as the DKI Jakarta data
// spell the critical pollutant.
type Pollutant string

// The parameters of ISPU. PM25 and HC exist only in ISPU2020.
const (
	PM10 Pollutant = "PM10"
	PM25 Pollutant = "PM25"
	SO2  Pollutant = "SO2"
	CO   Pollutant = "CO"
	O3   Pollutant = "O3"
	NO2  Pollutant = "NO2"
	HC   Pollutant = "HC"
)

// Pollutants lists every parameter, in the order used to report several
// critical pollutants.
var Pollutants = []Pollutant{PM10, PM25, SO2, CO, O3, NO2, HC}

// Breakpoints is one pollutant's row of a table.
type Breakpoints struct {
	Pollutant Pollutant
	// Averaging is the averaging period the regulation states for the
	// concentration, e.g. "24 h".
	Averaging string
	// Conc[i] is the concentration in µg/m³ at index Table.Index[i]; NaN
	// where the regulation gives no value. Conc[0] is 0 at index 0.
	Conc []float64
}

// Table is one regulation's conversion from concentrations to ISPU.
type Table struct {
	Name       string // "ISPU2020", "ISPU1997"
	Regulation string // the legal instrument
	// Index holds the ISPU values the breakpoints are given at, ascending
	// from 0.
	Index      []int
	Rows       []Breakpoints
	Categories []Category
}

// Breakpoints returns p's row, and false if the table has no row for p.
func (t Table) Breakpoints(p Pollutant) (Breakpoints, bool) {
	for _, r := range t.Rows {
		if r.Pollutant == p {
			return r, true
		}
	}
	return Breakpoints{}, false
}

// ISPU2020 is the table of Lampiran I of Peraturan Menteri LHK
// No. P.14/MENLHK/SETJEN/KUM.1/7/2020, all concentrations in µg/m³.
//
//	ISPU   PM10  PM2.5   SO2     CO    O3   NO2   HC
//	   0      0      0     0      0     0     0    0
//	  50     50   15.5    52   4000   120    80   45
//	 100    150   55.4   180   8000   235   200  100
//	 200    350  150.4   400  15000   400  1130  215
//	 300    420  250.4   800  30000   800  2260  432
//	 500    500    500  1200  45000  1000  3000  648
//
// The annex labels its last row ">300" rather than a number; like the
// ministry's own ISPU publications and most calculators, the row is taken
// as the concentration at ISPU 500.
//
// Averaging periods are less certain. The 2020 annex is reproduced with
// every column as a 24-hour mean (Pasal 6: ISPU is computed hourly from
// 24 hours of continuous monitoring), and that is what Averaging says here.
// Guidance derived from the 1997 rules instead gives CO 8 h, O3 1 h,
// NO2 1 h and HC 3 h; check the gazetted text before relying on it.
var ISPU2020 = Table{
	Name:       "ISPU2020",
	Regulation: "Peraturan Menteri LHK No. P.14/MENLHK/SETJEN/KUM.1/7/2020 tentang Indeks Standar Pencemar Udara",
	Index:      []int{0, 50, 100, 200, 300, 500},
	Rows: []Breakpoints{
		{PM10, "24 h", []float64{0, 50, 150, 350, 420, 500}},
		{PM25, "24 h", []float64{0, 15.5, 55.4, 150.4, 250.4, 500}},
		{SO2, "24 h", []float64{0, 52, 180, 400, 800, 1200}},
		{CO, "24 h", []float64{0, 4000, 8000, 15000, 30000, 45000}},
		{O3, "24 h", []float64{0, 120, 235, 400, 800, 1000}},
		{NO2, "24 h", []float64{0, 80, 200, 1130, 2260, 3000}},
		{HC, "24 h", []float64{0, 45, 100, 215, 432, 648}},
	},
	Categories: categories2020,
}

// none marks a breakpoint the regulation leaves empty.
var none = math.NaN()

// ISPU1997 is the table of the annex of Keputusan Menteri Negara LH
// No. KEP-45/MENLH/10/1997 ("Batas Indeks Standar Pencemar Udara dalam
// satuan SI"), with the averaging periods of KEP-107/KABAPEDAL/11/1997.
// The annex gives CO in mg/m³; it is converted to µg/m³ here.
//
//	ISPU  PM10 24h  SO2 24h  CO 8h (mg/m³)  O3 1h  NO2 1h
//	  50        50       80             5     120       –
//	 100       150      365            10     235       –
//	 200       350      800            17     400    1130
//	 300       420     1600            34     800    2260
//	 400       500     2100            46    1000    3000
//	 500       600     2620          57.5    1200    3750
//
// The table follows the US Pollutant Standards Index it was adapted from,
// which also has no NO2 value below index 200. The annex starts at 50; the
// 0 row is the usual convention. Values were checked against secondary
// copies only.
var ISPU1997 = Table{
	Name:       "ISPU1997",
	Regulation: "Keputusan Menteri Negara LH No. KEP-45/MENLH/10/1997 tentang Indeks Standar Pencemar Udara (calculation: KEP-107/KABAPEDAL/11/1997)",
	Index:      []int{0, 50, 100, 200, 300, 400, 500},
	Rows: []Breakpoints{
		{PM10, "24 h", []float64{0, 50, 150, 350, 420, 500, 600}},
		{SO2, "24 h", []float64{0, 80, 365, 800, 1600, 2100, 2620}},
		{CO, "8 h", []float64{0, 5000, 10000, 17000, 34000, 46000, 57500}},
		{O3, "1 h", []float64{0, 120, 235, 400, 800, 1000, 1200}},
		{NO2, "1 h", []float64{0, none, none, 1130, 2260, 3000, 3750}},
	},
	Categories: categories1997,
}
