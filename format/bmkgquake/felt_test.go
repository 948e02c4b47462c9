package bmkgquake

import (
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/quake"
)

func TestParseFelt(t *testing.T) {
	tests := []struct {
		in   string
		want []quake.Felt
	}{
		{"II Dompu", []quake.Felt{fl("II", 2, 2, "Dompu")}},
		{"II - III Tomata", []quake.Felt{fl("II-III", 2, 3, "Tomata")}},
		{"II-III Bengkulu Utara, II-III Bengkulu Selatan", []quake.Felt{fl("II-III", 2, 3, "Bengkulu Utara"), fl("II-III", 2, 3, "Bengkulu Selatan")}},
		{"III Tomohon , II-III Ternate", []quake.Felt{fl("III", 3, 3, "Tomohon"), fl("II-III", 2, 3, "Ternate")}},
		{"IV - V Cianjur, III -IV Sukabumi", []quake.Felt{fl("IV-V", 4, 5, "Cianjur"), fl("III-IV", 3, 4, "Sukabumi")}},
		{"III\tSarmi,", []quake.Felt{fl("III", 3, 3, "Sarmi")}},
		{"II-III \tMorotai,", []quake.Felt{fl("II-III", 2, 3, "Morotai")}},
		{" II\tPangandaran, I-II\tGarut,", []quake.Felt{fl("II", 2, 2, "Pangandaran"), fl("I-II", 1, 2, "Garut")}},
		{"II-III Kab. Gorontalo, II Kab. Gorontalo Utara", []quake.Felt{fl("II-III", 2, 3, "Kab. Gorontalo"), fl("II", 2, 2, "Kab. Gorontalo Utara")}},
		{"II-III Lombok Utara, Lombok Barat", []quake.Felt{fl("II-III", 2, 3, "Lombok Utara, Lombok Barat")}},
		{"Dirasakan (Skala MMI): II - III Kota Jayapura", []quake.Felt{fl("II-III", 2, 3, "Kota Jayapura")}},
		{"III MMI Bima", []quake.Felt{fl("III", 3, 3, "Bima")}},
		{"II–III Palu", []quake.Felt{fl("II-III", 2, 3, "Palu")}},
		{"XII Everywhere", []quake.Felt{fl("XII", 12, 12, "Everywhere")}},
		{"Ile Ape", nil},     // a place, not intensity I
		{"III-II Bima", nil}, // range backwards
		{"XIII Bima", nil},   // not an MMI degree
		{"IIIBima", nil},     // numeral glued to the word
		{"III", nil},         // no place
		{"-", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := parseFelt(tt.in)
		if !equalFelt(got, tt.want) {
			t.Errorf("parseFelt(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

// A text of many commas must not cost time quadratic in its length.
func TestParseFeltManySegments(t *testing.T) {
	in := "II Bima" + strings.Repeat(", x", 200000)
	got := parseFelt(in)
	if len(got) != 1 || len(got[0].Place) != len("Bima")+200000*len(", x") {
		t.Fatalf("got %d items", len(got))
	}
}

// fl is a felt place, for tables of them.
func fl(intensity string, minMMI, maxMMI int, place string) quake.Felt {
	return quake.Felt{Intensity: intensity, MinMMI: minMMI, MaxMMI: maxMMI, Place: place}
}
