package netcdf

import "testing"

// A float attribute means the decimal its writer stored, not the binary
// expansion of the nearest float32.
func TestFloatAttributeReadsAsItsDecimal(t *testing.T) {
	a := Attr{Name: "Latitude", Type: Float, Value: []float32{14.142}}
	if v, ok := a.Float64(); !ok || v != 14.142 {
		t.Fatalf("Float64() = %v, %v; want 14.142", v, ok)
	}
}
