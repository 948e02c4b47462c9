package cfradial

import (
	"bytes"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

var samples = []string{
	"example_cfradial_ppi.nc",
	"Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc",
}

func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			data := fixture.Read(t, name)
			v, err := Parse(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			golden.JSON(t, golden.PathOf(name), v)
		})
	}
}
