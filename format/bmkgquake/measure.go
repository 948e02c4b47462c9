package bmkgquake

//lint:file-ignore ST1005 error messages begin with the field names of the source format, capitalised as the files spell them (Tanggal, Jam, Magnitude, Kedalaman)

import (
	"fmt"
	"strings"
	"unicode"
)

// magnitudeTypes are the labels that name a magnitude scale. "SR" (skala
// Richter) and a bare "M" are BMKG's generic labels and name none.
var magnitudeTypes = map[string]bool{
	"mw": true, "mww": true, "mwp": true, "mwc": true, "mwb": true, "mwr": true,
	"mb": true, "mb_lg": true, "mlv": true, "ml": true, "ms": true, "md": true, "mc": true,
}

// parseMagnitude reads "4.5", "5.0 SR", "M 5.0", "5,2" or "5.1 Mw". An
// empty value or "-" means the file does not state one.
func parseMagnitude(s string) (*float64, string, error) {
	num, unit, ok := splitUnit(s)
	if !ok {
		return nil, "", nil
	}
	v, err := parseDecimal(num)
	if err != nil {
		return nil, "", fmt.Errorf("Magnitude %q is not a number", s)
	}
	switch {
	case unit == "" || strings.EqualFold(unit, "SR") || strings.EqualFold(unit, "M"):
		return ptr(v.v), "", nil
	case magnitudeTypes[strings.ToLower(unit)]:
		return ptr(v.v), unit, nil
	}
	return nil, "", fmt.Errorf("Magnitude %q has an unknown unit %q", s, unit)
}

// parseDepth reads "20 km", "24 Km" or "10". An empty value or "-" means
// the file does not state one.
func parseDepth(s string) (*float64, error) {
	num, unit, ok := splitUnit(s)
	if !ok {
		return nil, nil
	}
	if unit != "" && !strings.EqualFold(unit, "km") {
		return nil, fmt.Errorf("Kedalaman %q is not in km", s)
	}
	v, err := parseDecimal(num)
	if err != nil {
		return nil, fmt.Errorf("Kedalaman %q is not a number", s)
	}
	return ptr(v.v), nil
}

// splitUnit separates "5.0 SR" into "5.0" and "SR", and "M5.0" into "5.0"
// and "M". ok is false when the value is absent.
func splitUnit(s string) (num, unit string, ok bool) {
	s = collapse(s)
	if s == "" || s == "-" {
		return "", "", false
	}
	start := strings.IndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) || r == '-' || r == '+' || r == '.' })
	if start < 0 {
		return s, "", true // no digits: parseDecimal names the bad value
	}
	prefix := strings.TrimSpace(s[:start])
	rest := s[start:]
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsDigit(r) && !strings.ContainsRune("-+.,", r) })
	if end < 0 {
		end = len(rest)
	}
	num, unit = rest[:end], strings.TrimSpace(rest[end:])
	if prefix != "" {
		if unit != "" {
			return s, "", true // both a prefix and a suffix: not a value this feed writes
		}
		unit = prefix
	}
	return num, unit, true
}

// trimSpace trims white space but keeps inner tabs, for text given "as is".
func trimSpace(s string) string { return strings.TrimSpace(s) }
