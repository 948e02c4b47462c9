package synop

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/format/internal/fixture"
	"github.com/bmkg/mkggraph/internal/golden"
)

// samples are the real bulletins the package is tested on.
var samples = []string{
	"A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt",
	"cuba-SMCU20-MUHV-310000.WX.00.txt",
}

func parseSample(t testing.TB, name string) *File {
	t.Helper()
	f, err := Parse(fixture.Read(t, name))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

// TestGolden compares the full parse of each sample, as indented JSON, with
// testdata/golden/<sample without .txt>.json. Run with -update after an intended change
// and review the diff.
func TestGolden(t *testing.T) {
	for _, name := range samples {
		t.Run(name, func(t *testing.T) {
			golden.JSON(t, filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".txt")+".json"), parseSample(t, name))
		})
	}
}
