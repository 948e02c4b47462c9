package ispu

import (
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/format/reject"
	"github.com/bmkg/mkggraph/internal/golden"
)

func TestGolden(t *testing.T) {
	fixNow(t)
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			days, rejects, err := Parse(fixture.Read(t, s.name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeGolden(days, rejects)
			if err != nil {
				t.Fatal(err)
			}
			path := golden.PathOf(s.name)
			golden.Check(t, path, got)
		})
	}
}

// encodeGolden writes the complete result of Parse, a day or reject per
// line.
func encodeGolden(days []Day, rejects []reject.Reject) ([]byte, error) {
	return golden.Lines(golden.List{Name: "days", Items: golden.Items(days)}, golden.List{Name: "rejects", Items: golden.Items(rejects)})
}
