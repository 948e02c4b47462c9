package synop

import (
	"testing"
	"time"
)

func TestResolveTime(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		day, hour, minute int
		ref, want         string
	}{
		{21, 12, 0, "2022-03-21T12:05:00Z", "2022-03-21T12:00:00Z"},
		{31, 0, 0, "2023-06-01T00:20:00Z", "2023-05-31T00:00:00Z"},  // day 31 received on the 1st
		{31, 18, 0, "2023-07-01T00:00:00Z", "2023-05-31T18:00:00Z"}, // June has no 31st
		{1, 0, 0, "2023-06-30T23:50:00Z", "2023-07-01T00:00:00Z"},   // stamped a little ahead
		{29, 6, 30, "2023-03-02T00:00:00Z", "2023-01-29T06:30:00Z"}, // no 29 February in 2023
		{29, 6, 0, "2024-03-02T00:00:00Z", "2024-02-29T06:00:00Z"},
		{15, 12, 0, "2024-01-10T00:00:00+07:00", "2023-12-15T12:00:00Z"},
	} {
		got, err := ResolveTime(c.day, c.hour, c.minute, at(c.ref))
		if err != nil || !got.Equal(at(c.want)) {
			t.Errorf("ResolveTime(%d, %d, %d, %s) = %s, %v; want %s", c.day, c.hour, c.minute, c.ref, got, err, c.want)
		}
	}
	for _, bad := range [][3]int{{0, 0, 0}, {32, 0, 0}, {1, 24, 0}, {1, 0, 60}, {-1, 0, 0}} {
		if _, err := ResolveTime(bad[0], bad[1], bad[2], time.Now()); err == nil {
			t.Errorf("ResolveTime%v: no error", bad)
		}
	}
}

func TestReferenceFromFilename(t *testing.T) {
	got, ok := ReferenceFromFilename("/data/in/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt")
	if !ok || !got.Equal(time.Date(2022, 3, 21, 12, 5, 0, 0, time.UTC)) {
		t.Errorf("got %s %v", got, ok)
	}
	if got, ok := ReferenceFromFilename("A_SMID20WIII010000CCA_C_WIIX_20240101001512.txt"); !ok || got.Day() != 1 {
		t.Errorf("with BBB: %s %v", got, ok)
	}
	for _, name := range []string{"cuba-SMCU20-MUHV-310000.WX.00.txt", "A_SMRO01YRBK211200_C_EDZW_20221399120500.txt", "synop.txt"} {
		if _, ok := ReferenceFromFilename(name); ok {
			t.Errorf("%s: want no reference time", name)
		}
	}
}

func TestReportTime(t *testing.T) {
	f := parseSample(t, "A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt")
	ref, _ := ReferenceFromFilename("A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt")
	got, err := f.Bulletins[0].Reports[0].Time(ref)
	if err != nil || !got.Equal(time.Date(2022, 3, 21, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("got %s, %v", got, err)
	}
}
