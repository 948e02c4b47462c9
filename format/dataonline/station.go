package dataonline

import (
	"fmt"
	"strings"

	"github.com/bmkg/mkggraph/format/reject"
)

// stationLabels maps the labels of the block above the header to fields.
var stationLabels = map[string]string{"id wmo": "wmo", "nama stasiun": "name", "lintang": "lat", "bujur": "lon", "elevasi": "elev"}

// readStation reads the station block: in each row a label cell, then the
// value ":  96733" in the next non-empty cell. A bad coordinate is
// rejected with its row and left nil, rather than failing the file.
func readStation(recs []record, rejects *[]reject.Reject) Station {
	var st Station
	for _, rec := range recs {
		label, value, ok := labelled(rec)
		if !ok {
			continue
		}
		switch stationLabels[label] {
		case "wmo":
			st.WMO = value
		case "name":
			st.Name = value
		case "lat":
			st.Latitude = coordinate(rec.row, "Lintang", value, 90, rejects)
		case "lon":
			st.Longitude = coordinate(rec.row, "Bujur", value, 180, rejects)
		case "elev":
			st.ElevationM = coordinate(rec.row, "Elevasi", value, 9000, rejects)
		}
	}
	return st
}

// labelled finds a station label in rec and the value after it, with the
// ":" Data Online puts in front of every value removed. The label may
// carry the colon ("ID WMO :") or the whole line ("ID WMO : 96733"), as
// when an export is retyped or saved by another tool, and a unit
// ("Elevasi (m)").
func labelled(rec record) (label, value string, ok bool) {
	for i, c := range rec.cells {
		label, rest, _ := strings.Cut(c.text, ":")
		label, _ = headerName(label)
		label = strings.ToLower(strings.Join(strings.Fields(label), " "))
		if stationLabels[label] == "" {
			continue
		}
		if rest = strings.TrimSpace(rest); rest != "" {
			return label, rest, true
		}
		for _, v := range rec.cells[i+1:] {
			if v := strings.TrimSpace(v.text); v != "" {
				return label, strings.TrimSpace(strings.TrimPrefix(v, ":")), true
			}
		}
		return label, "", true
	}
	return "", "", false
}

// hemispheres are the suffixes a coordinate may carry instead of a sign:
// Indonesian (LU/LS north/south, BT/BB east/west) and English.
var hemispheres = map[string]float64{"LU": 1, "LS": -1, "BT": 1, "BB": -1, "N": 1, "S": -1, "E": 1, "W": -1}

func coordinate(row int, label, value string, limit float64, rejects *[]reject.Reject) *float64 {
	if value == "" {
		return nil
	}
	v, ok := number(value)
	if f := strings.Fields(value); !ok && len(f) == 2 && hemispheres[strings.ToUpper(f[1])] != 0 && !strings.HasPrefix(f[0], "-") {
		v, ok = number(f[0])
		v *= hemispheres[strings.ToUpper(f[1])]
	}
	if !ok || v < -limit || v > limit {
		*rejects = append(*rejects, reject.Reject{Record: row, Reason: fmt.Sprintf("%s %q is not a number within ±%g", label, value, limit)})
		return nil
	}
	return &v
}

// hasStationBlock reports whether the rows open with the "ID WMO" line of
// a Data Online station block.
func hasStationBlock(recs []record) bool {
	for _, rec := range recs[:min(len(recs), 10)] {
		if label, _, ok := labelled(rec); ok && label == "id wmo" {
			return true
		}
	}
	return false
}
