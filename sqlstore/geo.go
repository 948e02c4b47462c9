package sqlstore

import (
	"fmt"
	"strconv"

	"github.com/bmkg/mkggraph/mkg"
)

// haversineH is the haversine term of the distance between two positions
// given as SQL expressions in degrees; distanceFromH turns it into km. Both
// databases have the math functions, so distances are computed (and
// filtered and sorted) in SQL, with the same formula as mkg.DistanceKm.
func haversineH(lat1, lon1, lat2, lon2 string) string {
	return fmt.Sprintf("(power(sin(radians(%[3]s - %[1]s) / 2), 2) + cos(radians(%[1]s)) * cos(radians(%[3]s)) * power(sin(radians(%[4]s - %[2]s) / 2), 2))",
		lat1, lon1, lat2, lon2)
}

// distanceFromH clamps h (rounding can push it past 1 for antipodes, and
// asin would fail) and converts it to km.
func distanceFromH(h string) string {
	return fmt.Sprintf("(2 * %s * asin(sqrt(CASE WHEN %[2]s > 1 THEN 1 ELSE %[2]s END)))",
		strconv.FormatFloat(mkg.EarthRadiusKm, 'f', -1, 64), h)
}

// where accumulates AND-ed conditions and their arguments.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "1 = 1"
	}
	s := "(" + w.conds[0] + ")"
	for _, c := range w.conds[1:] {
		s += " AND (" + c + ")"
	}
	return s
}

// bbox adds a box condition on the given columns, handling boxes that cross
// the antimeridian.
func (w *where) bbox(b mkg.BBox, latCol, lonCol string) {
	w.add(latCol+" BETWEEN ? AND ?", b.South, b.North)
	if b.CrossesAntimeridian() {
		w.add(lonCol+" >= ? OR "+lonCol+" <= ?", b.West, b.East)
	} else {
		w.add(lonCol+" BETWEEN ? AND ?", b.West, b.East)
	}
}
