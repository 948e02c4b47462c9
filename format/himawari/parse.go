package himawari

import (
	"strings"
)

// ParseName reads a Himawari file name: a base name, without directory,
// following one of the patterns in the package documentation. Any other
// name is refused with a *NameError that wraps ErrName.
func ParseName(name string) (Product, error) {
	switch {
	case strings.ContainsAny(name, `/\`):
		return Product{}, &NameError{"name", name, "has a directory; pass the base name"}
	case strings.HasPrefix(name, "HS_"):
		return parseHSD(name)
	case strings.HasPrefix(name, "NC_H"), strings.HasPrefix(name, "H0"):
		return parseNetCDF(name)
	case strings.Contains(name, "GHRSST"):
		return Product{}, &NameError{"name", name, "is a GHRSST SST name, which is not supported"}
	}
	return Product{}, &NameError{"name", name, "is not a Himawari Standard Data (HS_...) or P-Tree netCDF (NC_H..., H0...) name"}
}
