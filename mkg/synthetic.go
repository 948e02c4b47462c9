package mkg

import "strings"

// SyntheticPrefix marks data made by a program rather than received from
// an observing system (mkggraph generate-volume): every synthetic row
// carries it at the start of its provenance — an observation's source, an
// earthquake report's feed, a lightning strike's network, a climate day's
// and an air-quality value's source, an air-quality station's operator —
// so that synthetic rows can always be told from real ones and never pass
// for them.
const SyntheticPrefix = "synthetic-"

// Synthetic marks a provenance value as synthetic.
func Synthetic(provenance string) string {
	if IsSynthetic(provenance) {
		return provenance
	}
	return SyntheticPrefix + provenance
}

// IsSynthetic reports whether a provenance value is marked synthetic.
func IsSynthetic(provenance string) bool { return strings.HasPrefix(provenance, SyntheticPrefix) }
