package nealightning

import (
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

// FuzzParse checks that no input makes Parse panic, and that whatever it
// accepts is within the ranges it promises.
func FuzzParse(f *testing.F) {
	for _, s := range samples {
		f.Add(fixture.Read(f, s.name))
	}
	f.Add([]byte(header + "\n" + row("2025-04-18T22:46:15.389+08:00", "1.1637", "103.3198", "C", "Cloud to Cloud") + "\n"))
	f.Add([]byte("\n" + row("2025-04-18T22:46:15.389+08:00", "1.1637", "103.3198", "C", "Cloud to Cloud") + "\n" + header + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect(data)
		strikes, rejects, dups, err := Parse(data)
		if err != nil && (len(strikes) > 0 || len(rejects) > 0 || dups > 0) {
			t.Fatalf("error %v returned with results", err)
		}
		latest := time.Now().Add(futureSlack)
		seen := map[key]bool{}
		for _, s := range strikes {
			if s.Latitude < -90 || s.Latitude > 90 || s.Longitude < -180 || s.Longitude > 180 {
				t.Fatalf("accepted position %v, %v", s.Latitude, s.Longitude)
			}
			if s.Type != CloudToGround && s.Type != IntraCloud {
				t.Fatalf("accepted type %q", s.Type)
			}
			if s.Time.Location() != time.UTC || s.Time.After(latest) {
				t.Fatalf("accepted time %v", s.Time)
			}
			k := key{s.Time.Unix(), s.Time.Nanosecond(), s.Latitude, s.Longitude, s.Type}
			if seen[k] {
				t.Fatalf("row %d repeats an earlier strike", s.Row)
			}
			seen[k] = true
		}
		for _, r := range rejects {
			if r.Reason == "" || r.Record < 2 {
				t.Fatalf("reject %+v", r)
			}
		}
	})
}
