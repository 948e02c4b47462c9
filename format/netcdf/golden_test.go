package netcdf

import (
	"bytes"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			data := fixture.Read(t, name)
			f, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(name), f)
		})
	}
}
