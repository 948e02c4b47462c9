package decimal

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]float64{
		"-8.15": -8.15, "+095.340": 95.34, ".5": 0.5, "5.": 5, "0": 0, "1.5E+3": 1500, "2e-1": 0.2, "-0999.9": -999.9,
	} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "NaN", "nan", "Inf", "-inf", "0x10", "1_000", "1e999", "1e", "+-1", "--1", "1e3e4", "1.2.3", ".", "-", "1 2", "5,0", strings.Repeat("1", 65)} {
		if got, ok := Parse(in); ok {
			t.Errorf("Parse(%q) = %v, want refused", in, got)
		}
	}
}

func TestParsePlain(t *testing.T) {
	if got, ok := ParsePlain("+0010.4"); !ok || got != 10.4 {
		t.Errorf("ParsePlain(+0010.4) = %v, %v", got, ok)
	}
	for _, in := range []string{"1e5", "1E5", "NaN", ""} {
		if got, ok := ParsePlain(in); ok {
			t.Errorf("ParsePlain(%q) = %v, want refused", in, got)
		}
	}
}

func TestPointForComma(t *testing.T) {
	for in, want := range map[string]string{"27,5": "27.5", "-0,2": "-0.2", "1,000,5": "1,000,5", "1.5": "1.5", "2,5e3": "2,5e3", "7": "7"} {
		if got := PointForComma(in); got != want {
			t.Errorf("PointForComma(%q) = %q, want %q", in, got, want)
		}
	}
}
