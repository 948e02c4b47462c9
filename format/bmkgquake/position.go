package bmkgquake

//lint:file-ignore ST1005 error messages begin with the field names of the source format, capitalised as the files spell them (Tanggal, Jam, Magnitude, Kedalaman)

import (
	"fmt"
	"regexp"
	"strings"
)

// order is how a layout writes point/coordinates when nothing else in the
// record says otherwise.
type order int

const (
	latLon order = iota // current feeds and legacy gempadirasakan
	lonLat              // legacy autogempa and gempaterkini (KML order)
)

// hemiValue matches a number with its hemisphere: "8.15 LS", "3.90 LU",
// "118.10 BT", "1.55LS", "7.2 S". LU/LS/BT/BB are Indonesian (lintang
// utara/selatan, bujur timur/barat); N/S/E/W appear in derived feeds.
var hemiValue = regexp.MustCompile(`(?i)([-+]?\d+(?:[.,]\d+)?)\s*(LU|LS|BT|BB|N|S|E|W)\b`)

// ref is a position stated by Lintang/Bujur or Posisi, used to check the
// order of Coordinates. Either half may be missing.
type ref struct {
	lat, lon       decimal
	hasLat, hasLon bool
}

// position works out latitude and longitude from a record's coordinates and
// its hemisphere fields, and refuses a record where they disagree.
func position(r record, def order) (lat, lon float64, err error) {
	rf, err := refPosition(r)
	if err != nil {
		return 0, 0, err
	}
	coords := r.get("coordinates")
	if strings.TrimSpace(coords) == "" {
		if !rf.hasLat || !rf.hasLon {
			return 0, 0, fmt.Errorf("no position: Coordinates, Lintang/Bujur and Posisi are all missing or incomplete")
		}
		return rf.lat.v, rf.lon.v, nil
	}
	a, b, err := parsePair(coords)
	if err != nil {
		return 0, 0, err
	}
	return pickOrder(coords, a, b, rf, def, r)
}

// pickOrder returns the reading of the pair (a, b) that agrees with the
// reference; with no reference it trusts the layout's order.
func pickOrder(coords string, a, b decimal, rf ref, def order, r record) (float64, float64, error) {
	asLatLon := agrees(a, b, rf)
	asLonLat := agrees(b, a, rf)
	switch {
	case asLatLon && (def == latLon || !asLonLat):
		return a.v, b.v, nil
	case asLonLat:
		return b.v, a.v, nil
	}
	return 0, 0, fmt.Errorf("Coordinates %q agree with neither order of %s", coords, refText(r))
}

// agrees reports whether (lat, lon) is consistent with every half of the
// reference that is present.
func agrees(lat, lon decimal, rf ref) bool {
	if rf.hasLat && abs(lat.v-rf.lat.v) > tolerance(lat, rf.lat) {
		return false
	}
	if rf.hasLon && abs(lon.v-rf.lon.v) > tolerance(lon, rf.lon) {
		return false
	}
	return true
}

func refText(r record) string {
	if p := r.get("posisi"); p != "" {
		return fmt.Sprintf("Posisi %q", p)
	}
	return fmt.Sprintf("Lintang %q / Bujur %q", r.get("lintang"), r.get("bujur"))
}

// parsePair reads "lat,lon", "lon,lat", "-1.55, 138.83" or a KML triple
// "lon,lat,alt" whose third value is ignored.
func parsePair(s string) (decimal, decimal, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == ';' })
	if len(parts) != 2 && len(parts) != 3 {
		return decimal{}, decimal{}, fmt.Errorf("Coordinates %q is not a pair of numbers", s)
	}
	a, err1 := parseDecimal(parts[0])
	b, err2 := parseDecimal(parts[1])
	if err1 != nil || err2 != nil {
		return decimal{}, decimal{}, fmt.Errorf("Coordinates %q is not a pair of numbers", s)
	}
	return a, b, nil
}

// refPosition reads Lintang and Bujur, or Posisi, into a reference.
func refPosition(r record) (ref, error) {
	var rf ref
	if s := r.get("lintang"); strings.TrimSpace(s) != "" {
		v, kind, err := hemisphere(s, "Lintang")
		if err != nil || kind != 'y' {
			return rf, fmt.Errorf("Lintang %q is not a latitude with LU/LS", s)
		}
		rf.lat, rf.hasLat = v, true
	}
	if s := r.get("bujur"); strings.TrimSpace(s) != "" {
		v, kind, err := hemisphere(s, "Bujur")
		if err != nil || kind != 'x' {
			return rf, fmt.Errorf("Bujur %q is not a longitude with BT/BB", s)
		}
		rf.lon, rf.hasLon = v, true
	}
	if s := r.get("posisi"); strings.TrimSpace(s) != "" && !rf.hasLat && !rf.hasLon {
		return posisi(s)
	}
	return rf, nil
}

// posisi reads the legacy "1.55 LS 138.83 BT".
func posisi(s string) (ref, error) {
	var rf ref
	for _, m := range hemiValue.FindAllStringSubmatch(s, 4) {
		v, kind, err := hemisphere(m[0], "Posisi")
		if err != nil {
			return rf, err
		}
		if kind == 'y' && !rf.hasLat {
			rf.lat, rf.hasLat = v, true
		} else if kind == 'x' && !rf.hasLon {
			rf.lon, rf.hasLon = v, true
		}
	}
	if !rf.hasLat || !rf.hasLon {
		return rf, fmt.Errorf("Posisi %q is not \"<lat> LU|LS <lon> BT|BB\"", s)
	}
	return rf, nil
}

// hemisphere reads one signed value; kind is 'y' for a latitude, 'x' for a
// longitude. A bare signed number counts as the kind its field implies.
func hemisphere(s, field string) (decimal, byte, error) {
	m := hemiValue.FindStringSubmatch(s)
	if m == nil {
		v, err := parseDecimal(s)
		if err != nil {
			return decimal{}, 0, fmt.Errorf("%s %q is not a position", field, s)
		}
		kind := byte('x')
		if field == "Lintang" {
			kind = 'y'
		}
		return v, kind, nil
	}
	v, err := parseDecimal(m[1])
	if err != nil || v.v < 0 {
		return decimal{}, 0, fmt.Errorf("%s %q is not a position", field, s)
	}
	switch strings.ToUpper(m[2]) {
	case "LU", "N":
		return v, 'y', nil
	case "LS", "S":
		v.v = -v.v
		return v, 'y', nil
	case "BT", "E":
		return v, 'x', nil
	default: // BB, W
		v.v = -v.v
		return v, 'x', nil
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
