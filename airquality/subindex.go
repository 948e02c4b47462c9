package airquality

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// SubIndex converts a concentration of p in µg/m³, averaged over the
// table's period for p, into its ISPU sub-index with the regulations'
// linear interpolation
//
//	I = (Ia − Ib) / (Xa − Xb) · (Xx − Xb) + Ib
//
// where Xx is the concentration, Xa and Xb the breakpoints above and below
// it and Ia, Ib their index values. The result is rounded to the nearest
// integer (halves up); at a breakpoint it is the breakpoint's index.
//
// Breakpoints the regulation leaves empty (ISPU1997's NO2 below 200) are
// skipped, so NO2 interpolates from 0 straight to 1130 µg/m³ at 200; the
// DKI Jakarta data report NO2 sub-indices below 200 in 2010–2020, which
// suggests the same practice. Above the last breakpoint the last segment is
// extended: the regulations set no upper limit and smoke episodes have been
// reported far above 500.
//
// It returns an error for a pollutant the table lacks, a negative or
// non-finite concentration, or a result too large for an int32.
func SubIndex(p Pollutant, concentration float64, table Table) (int, error) {
	row, ok := table.Breakpoints(p)
	if !ok {
		return 0, fmt.Errorf("airquality: %s has no %s breakpoints", table.Name, p)
	}
	if math.IsNaN(concentration) || math.IsInf(concentration, 0) || concentration < 0 {
		return 0, fmt.Errorf("airquality: invalid %s concentration %v", p, concentration)
	}
	xs, is := defined(row, table.Index)
	if len(xs) < 2 {
		return 0, fmt.Errorf("airquality: %s %s row has fewer than two breakpoints", table.Name, p)
	}
	k := 1
	for k < len(xs)-1 && concentration > xs[k] {
		k++
	}
	xb, xa, ib, ia := xs[k-1], xs[k], is[k-1], is[k]
	v := math.Round((ia-ib)/(xa-xb)*(concentration-xb) + ib)
	if v > math.MaxInt32 {
		return 0, fmt.Errorf("airquality: %s concentration %v is beyond any index", p, concentration)
	}
	return int(v), nil
}

// defined returns the (concentration, index) pairs of row that have a value.
func defined(row Breakpoints, index []int) (xs, is []float64) {
	for i, x := range row.Conc {
		if i < len(index) && !math.IsNaN(x) {
			xs = append(xs, x)
			is = append(is, float64(index[i]))
		}
	}
	return xs, is
}

// ErrNoSubIndex is returned by Daily when it is given no sub-index.
var ErrNoSubIndex = errors.New("airquality: no sub-index")

// Daily combines a day's sub-indices as both regulations do: the ISPU is
// the largest sub-index and its pollutant is the critical one. When several
// pollutants share the largest value all of them are critical, in the order
// of Pollutants. The category is the ISPU2020 one (see CategoryOf).
//
// It returns ErrNoSubIndex for an empty map, and an error for an unknown
// pollutant or a negative sub-index.
func Daily(sub map[Pollutant]int) (ispu int, critical []Pollutant, cat Category, err error) {
	if len(sub) == 0 {
		return 0, nil, Category{}, ErrNoSubIndex
	}
	ispu = -1
	for p, v := range sub {
		if !slices.Contains(Pollutants, p) {
			return 0, nil, Category{}, fmt.Errorf("airquality: unknown pollutant %q", p)
		}
		if v < 0 {
			return 0, nil, Category{}, fmt.Errorf("airquality: negative %s sub-index %d", p, v)
		}
		ispu = max(ispu, v)
	}
	for _, p := range Pollutants {
		if v, ok := sub[p]; ok && v == ispu {
			critical = append(critical, p)
		}
	}
	cat, err = CategoryOf(ispu)
	return ispu, critical, cat, err
}
