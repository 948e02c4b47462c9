package netcdf

import "math"

// defaultFills are the netCDF default fill values by type (NC_FILL_BYTE
// and so on): what the netCDF library leaves in values a writer never
// wrote, when the variable has no _FillValue attribute. The float fill is
// the float32 value, widened exactly as ReadFloat64 widens data.
var defaultFills = [...]float64{
	Byte: -127, Short: -32767, Int: -2147483647,
	Float:  float64(float32(9.9692099683868690e+36)),
	Double: 9.9692099683868690e+36,
	UByte:  255, UShort: 65535, UInt: 4294967295,
	Int64: -9223372036854775806, UInt64: 18446744073709551614,
}

// FillValue returns the value that marks v's unwritten elements, as
// ReadFloat64 returns it: the _FillValue attribute when v has a numeric one
// of a single value, else the default fill of v's type. ok is false for
// Char variables, which ReadFloat64 does not read.
func (v *Var) FillValue() (fill float64, ok bool) {
	if v.Type == Char || !v.Type.known() {
		return 0, false
	}
	if a, found := v.Attr("_FillValue"); found {
		if x, isNum := exactFloat64(a); isNum {
			return x, true
		}
	}
	return defaultFills[v.Type], true
}

// exactFloat64 is Attr.Float64 without the decimal rounding of float32
// values, so that the result compares equal to data read as float64.
func exactFloat64(a Attr) (float64, bool) {
	if x, ok := a.Value.([]float32); ok {
		if len(x) != 1 {
			return 0, false
		}
		return float64(x[0]), !math.IsNaN(float64(x[0]))
	}
	return a.Float64()
}
