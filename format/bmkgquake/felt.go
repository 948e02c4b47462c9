package bmkgquake

import (
	"strings"

	"github.com/bmkg/mkggraph/format/quake"
)

// romans maps the MMI numerals I..XII to their values.
var romans = map[string]int{
	"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
	"VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

// parseFelt splits a Dirasakan text into places. Segments are separated by
// commas; each starts with an intensity ("II", "II-III", "II - III") followed
// by a space or a tab and the place. A segment without an intensity belongs
// to the place before it, since the feed gives it no intensity of its own.
func parseFelt(s string) []quake.Felt {
	s = stripFeltPrefix(s)
	var out []quake.Felt
	var places [][]string // the comma-separated parts of each item's place
	for _, seg := range strings.Split(s, ",") {
		seg = collapse(seg)
		if seg == "" || seg == "-" {
			continue
		}
		f, ok := parseFeltSegment(seg)
		switch {
		case ok:
			out = append(out, f)
			places = append(places, []string{f.Place})
		case len(out) > 0:
			places[len(places)-1] = append(places[len(places)-1], seg)
		}
	}
	// Joined once at the end: appending to a string per segment would be
	// quadratic in a hostile text of many commas.
	for i := range out {
		out[i].Place = strings.Join(places[i], ", ")
	}
	return out
}

// stripFeltPrefix removes the "Dirasakan (Skala MMI):" label that some
// copies of the text carry.
func stripFeltPrefix(s string) string {
	for i := 0; i+4 <= len(s); i++ {
		if strings.EqualFold(s[i:i+4], "MMI)") {
			return strings.TrimLeft(s[i+4:], " :")
		}
	}
	return s
}

// parseFeltSegment reads "II-III Bengkulu Utara" or "III\tSarmi".
func parseFeltSegment(seg string) (quake.Felt, bool) {
	lo, hi, rest, ok := leadingIntensity(seg)
	if !ok {
		return quake.Felt{}, false
	}
	place := collapse(rest)
	if len(place) >= 3 && strings.EqualFold(place[:3], "MMI") && (len(place) == 3 || place[3] == ' ') {
		place = strings.TrimSpace(place[3:])
	}
	if place == "" {
		return quake.Felt{}, false
	}
	f := quake.Felt{MinMMI: romans[lo], MaxMMI: romans[hi], Place: place, Intensity: lo}
	if hi != lo {
		f.Intensity = lo + "-" + hi
	}
	return f, true
}

// leadingIntensity reads a numeral or a numeral range at the start of s.
// The numeral must be followed by white space or a dash, so that a place
// such as "Ile Ape" is not read as intensity I.
func leadingIntensity(s string) (lo, hi, rest string, ok bool) {
	lo, rest = leadingNumeral(s)
	if lo == "" {
		return "", "", "", false
	}
	hi = lo
	after := strings.TrimLeft(rest, " \t")
	if strings.HasPrefix(after, "-") || strings.HasPrefix(after, "–") {
		after = strings.TrimLeft(strings.TrimLeft(strings.TrimPrefix(after, "-"), "–"), " \t")
		var r2 string
		hi, r2 = leadingNumeral(after)
		if hi == "" || romans[hi] < romans[lo] {
			return "", "", "", false
		}
		rest = r2
	} else if rest == after { // numeral glued to a word
		return "", "", "", false
	}
	return lo, hi, rest, true
}

// leadingNumeral returns the roman numeral that s starts with, if it is
// one of I..XII and is followed by a separator or the end.
func leadingNumeral(s string) (string, string) {
	n := 0
	for n < len(s) && (s[n] == 'I' || s[n] == 'V' || s[n] == 'X') {
		n++
	}
	if n == 0 || romans[s[:n]] == 0 {
		return "", s
	}
	if r := s[n:]; r != "" && r[0] != ' ' && r[0] != '\t' && r[0] != '-' && !strings.HasPrefix(r, "–") {
		return "", s
	}
	return s[:n], s[n:]
}
