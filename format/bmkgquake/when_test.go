package bmkgquake

import (
	"testing"
	"time"
)

func TestParseLocal(t *testing.T) {
	tests := []struct {
		tanggal, jam string
		want         string // RFC 3339 UTC, "" for an error
	}{
		{"05 Okt 2021", "18:00:27 WIB", "2021-10-05T11:00:27Z"},
		{"05 Oct 2021", "18:00:27 WIB", "2021-10-05T11:00:27Z"},
		{"22 Agu 2022", "19:08:45 WIB", "2022-08-22T12:08:45Z"},
		{"22 Agt 2022", "19:08:45 WIB", "2022-08-22T12:08:45Z"},
		{"22 Aug 2022", "19:08:45 WIB", "2022-08-22T12:08:45Z"},
		{"22 Agustus 2022", "19:08:45 WIB", "2022-08-22T12:08:45Z"},
		{"01 Mei 2023", "10:20:12 WIB", "2023-05-01T03:20:12Z"},
		{"01 May 2023", "10:20:12 WITA", "2023-05-01T02:20:12Z"},
		{"01 Jan 2024", "05:00:00 WIT", "2023-12-31T20:00:00Z"},
		{"24 Des 2025", "12:30:34 WIB", "2025-12-24T05:30:34Z"},
		{"24 Dec 2025", "12:30:34 UTC", "2025-12-24T12:30:34Z"},
		{"08-Nov-13", "01:38:53 WIB", "2013-11-07T18:38:53Z"},
		{"31-Oct-13", "07:34:00 WIB", "2013-10-31T00:34:00Z"},
		{"07/11/2013-17:47:32 WIB", "", "2013-11-07T10:47:32Z"},
		{"2021-10-05", "18:00:27 WIB", "2021-10-05T11:00:27Z"},
		{"05 Okt 2021", "18.00.27 WIB", "2021-10-05T11:00:27Z"},
		{"05 Okt 2021", "18:00:27WIB", "2021-10-05T11:00:27Z"},
		{"05 Okt 2021", "18:00 wib", "2021-10-05T11:00:00Z"},
		{"05 Okt 2021", "18:00:27.25 WIB", "2021-10-05T11:00:27.25Z"},
		{"29 Feb 2024", "00:00:00 WIB", "2024-02-28T17:00:00Z"},
		{"29 Feb 2023", "00:00:00 WIB", ""}, // not a leap year
		{"32 Jan 2023", "00:00:00 WIB", ""},
		{"05 Xyz 2021", "18:00:27 WIB", ""},
		{"05 Okt 2021", "18:00:27", ""},     // no zone: not assumed
		{"05 Okt 2021", "18:00:27 CET", ""}, // not an Indonesian zone
		{"05 Okt 2021", "25:00:00 WIB", ""},
		{"05 Okt 2021", "", ""},
		{"Okt 2021", "18:00:27 WIB", ""},
	}
	for _, tt := range tests {
		got, err := parseLocal(tt.tanggal, tt.jam)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("parseLocal(%q, %q) = %v, want an error", tt.tanggal, tt.jam, got)
		case tt.want != "" && err != nil:
			t.Errorf("parseLocal(%q, %q): %v", tt.tanggal, tt.jam, err)
		case tt.want != "" && got.Format(time.RFC3339Nano) != tt.want:
			t.Errorf("parseLocal(%q, %q) = %s, want %s", tt.tanggal, tt.jam, got.Format(time.RFC3339Nano), tt.want)
		}
	}
}

func TestParseISO(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2021-10-05T11:00:27+00:00", "2021-10-05T11:00:27Z"},
		{"2021-10-05T11:00:27Z", "2021-10-05T11:00:27Z"},
		{"2024-01-27T14:30:15+07:00", "2024-01-27T07:30:15Z"},
		{"2021-10-05T11:00:27", "2021-10-05T11:00:27Z"},
		{"2021-10-05 11:00:27.5", "2021-10-05T11:00:27.5Z"},
		{"05 Okt 2021", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := parseISO(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseISO(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339Nano) != tt.want {
			t.Errorf("parseISO(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}
