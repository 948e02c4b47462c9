package isotime

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	want := time.Date(2021, 10, 5, 11, 0, 27, 0, time.UTC)
	for _, s := range []string{
		"2021-10-05T11:00:27Z",
		"2021-10-05T18:00:27+07:00",
		"2021-10-05T11:00:27",
		"2021-10-05 18:00:27+07:00",
		"2021-10-05 11:00:27",
		"2021-10-05 11:00:27.000",
	} {
		got, ok := Parse(s)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Parse(%q) = %v, %v; want %v in UTC", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "05 Okt 2021", "2021-10-05", "2021/10/05 11:00:27"} {
		if got, ok := Parse(s); ok {
			t.Errorf("Parse(%q) = %v, want not ok", s, got)
		}
	}
}
