package netcdf

import "strconv"

// Type is an external data type, nc_type in the specification.
type Type int32

// The classic types, then the types CDF-5 adds.
const (
	Byte   Type = 1
	Char   Type = 2
	Short  Type = 3
	Int    Type = 4
	Float  Type = 5
	Double Type = 6
	UByte  Type = 7
	UShort Type = 8
	UInt   Type = 9
	Int64  Type = 10
	UInt64 Type = 11
)

var typeNames = [...]string{"", "byte", "char", "short", "int", "float", "double", "ubyte", "ushort", "uint", "int64", "uint64"}

var typeSizes = [...]int64{0, 1, 1, 2, 4, 4, 8, 1, 2, 4, 8, 8}

// String returns the CDL name of the type.
func (t Type) String() string {
	if t.known() {
		return typeNames[t]
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// MarshalText makes JSON show the CDL name rather than the code.
func (t Type) MarshalText() ([]byte, error) {
	return []byte(t.String()), nil
}

// Size returns the bytes one value occupies in the file.
func (t Type) Size() int64 {
	if t.known() {
		return typeSizes[t]
	}
	return 0
}

func (t Type) known() bool { return t >= Byte && t <= UInt64 }

// validIn reports whether a file of the given version may use t: the
// unsigned and 64-bit types exist only in CDF-5.
func (t Type) validIn(version int) bool {
	if version == 5 {
		return t.known()
	}
	return t >= Byte && t <= Double
}
