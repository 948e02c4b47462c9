package himawari

import (
	"fmt"
	"time"
)

// Format values of Product.Format.
const (
	FormatHSD    = "HSD"
	FormatNetCDF = "NETCDF"
)

// Product is what a file name says about the file.
type Product struct {
	Satellite    string    // "Himawari-8" or "Himawari-9"
	Sensor       string    // "AHI"
	Band         int       // 1..16; 0 when the product is not a single band
	WavelengthUM float64   // nominal central wavelength; 0 when not a single band
	Channel      string    // "visible", "near-infrared", "infrared"; "" when not a single band
	Product      string    // "L1 HSD", "L1 gridded", "L2 cloud property", ...
	Code         string    // netCDF product code as written in the name ("R21", "L2CLP", "1H_RFL"); "" for HSD
	Version      string    // netCDF algorithm version ("010", "bet"); "" when the name has none
	Area         string    // "FLDK", "JP01".."JP04", "R301".."R304"; always "FLDK" for netCDF, whose grids are cut from the full disk
	Start        time.Time // timeline (nominal observation start), UTC
	ResolutionKm float64   // at the sub-satellite point (HSD) or grid spacing (netCDF)
	Pixels       int       // netCDF grid width; 0 for HSD
	Lines        int       // netCDF grid height; 0 for HSD
	Segment      int       // HSD only
	Segments     int       // HSD only
	Format       string    // FormatHSD or FormatNetCDF
	Compressed   string    // "" or "bz2"
}

// Name writes the file name back from a Product that ParseName returned, so
// that ParseName(p.Name()) == p. It returns "" when Format is neither HSD
// nor NETCDF.
func (p Product) Name() string {
	sat := satelliteCode(p.Satellite)
	when := p.Start.UTC().Format("20060102_1504")
	switch p.Format {
	case FormatHSD:
		name := fmt.Sprintf("HS_%s_%s_B%02d_%s_R%s_S%02d%02d.DAT",
			sat, when, p.Band, p.Area, resolutionCode(p.ResolutionKm), p.Segment, p.Segments)
		if p.Compressed == "bz2" {
			name += ".bz2"
		}
		return name
	case FormatNetCDF:
		prefix := ""
		if k, ok := kindByCode(p.Code); ok && k.nc {
			prefix = "NC_"
		}
		return fmt.Sprintf("%s%s_%s_%s%s_FLDK.%05d_%05d.nc", prefix, sat, when, p.Code, p.Version, p.Pixels, p.Lines)
	}
	return ""
}

// satellites maps the name's satellite code to the satellite and the launch
// date before which no observation can exist.
var satellites = map[string]struct {
	name   string
	launch time.Time
}{
	"H08": {"Himawari-8", time.Date(2014, 10, 7, 0, 0, 0, 0, time.UTC)},
	"H09": {"Himawari-9", time.Date(2016, 11, 2, 0, 0, 0, 0, time.UTC)},
}

func satelliteCode(name string) string {
	for code, s := range satellites {
		if s.name == name {
			return code
		}
	}
	return ""
}

// parseSatelliteTime reads the satellite and timeline parts, in name order,
// and checks that the satellite was in orbit by then.
func parseSatelliteTime(code, date, hm string) (string, time.Time, error) {
	s, ok := satellites[code]
	if !ok {
		return "", time.Time{}, &NameError{"satellite", code, "is not H08 or H09"}
	}
	start, err := parseTimeline(date, hm)
	if err != nil {
		return "", time.Time{}, err
	}
	if start.Before(s.launch) {
		return "", time.Time{}, &NameError{"date", date,
			fmt.Sprintf("is before %s was launched (%s)", s.name, s.launch.Format("2006-01-02"))}
	}
	return s.name, start, nil
}
