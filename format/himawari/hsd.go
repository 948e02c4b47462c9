package himawari

import (
	"fmt"
	"strings"
)

// bands lists, per AHI band, its nominal central wavelength (HSD User's
// Guide Table 1), its channel and the resolution code of its native grid.
var bands = [17]struct {
	um         float64
	channel    string
	resolution string
}{
	1: {0.47, "visible", "10"}, 2: {0.51, "visible", "10"}, 3: {0.64, "visible", "05"},
	4: {0.86, "near-infrared", "10"}, 5: {1.6, "near-infrared", "20"}, 6: {2.3, "near-infrared", "20"},
	7: {3.9, "infrared", "20"}, 8: {6.2, "infrared", "20"}, 9: {6.9, "infrared", "20"},
	10: {7.3, "infrared", "20"}, 11: {8.6, "infrared", "20"}, 12: {9.6, "infrared", "20"},
	13: {10.4, "infrared", "20"}, 14: {11.2, "infrared", "20"}, 15: {12.4, "infrared", "20"},
	16: {13.3, "infrared", "20"},
}

var resolutions = map[string]float64{"05": 0.5, "10": 1, "20": 2}

func resolutionCode(km float64) string {
	for code, r := range resolutions {
		if r == km {
			return code
		}
	}
	return ""
}

// hsdAreas maps each accepted area to the number of segments its files are
// cut into.
var hsdAreas = map[string]int{
	"FLDK": 10,
	"JP01": 1, "JP02": 1, "JP03": 1, "JP04": 1,
	"R301": 1, "R302": 1, "R303": 1, "R304": 1,
}

const hsdPattern = "HS_Hnn_YYYYMMDD_hhmm_Bbb_AREA_Rjj_Skkll.DAT"

func parseHSD(name string) (Product, error) {
	base, compressed, err := hsdExtension(name)
	if err != nil {
		return Product{}, err
	}
	f := strings.Split(base, "_")
	if len(f) != 8 {
		return Product{}, &NameError{"name", name, fmt.Sprintf("has %d parts separated by _, want 8 (%s)", len(f), hsdPattern)}
	}
	p := Product{Sensor: "AHI", Product: "L1 HSD", Format: FormatHSD, Compressed: compressed}
	if p.Satellite, p.Start, err = parseSatelliteTime(f[1], f[2], f[3]); err != nil {
		return Product{}, err
	}
	if err := p.setBand(f[4], f[6]); err != nil {
		return Product{}, err
	}
	if err := p.setArea(f[5], f[7]); err != nil {
		return Product{}, err
	}
	return p, nil
}

// hsdExtension splits ".DAT" or ".DAT.bz2" off the name.
func hsdExtension(name string) (base, compressed string, err error) {
	if b, ok := strings.CutSuffix(name, ".DAT.bz2"); ok {
		return b, "bz2", nil
	}
	if b, ok := strings.CutSuffix(name, ".DAT"); ok {
		return b, "", nil
	}
	return "", "", &NameError{"extension", extension(name), "is not .DAT or .DAT.bz2"}
}

// setBand reads the band and checks that the resolution is the band's own:
// JMA distributes each band only at its native resolution.
func (p *Product) setBand(band, res string) error {
	n := 0
	if len(band) == 3 && band[0] == 'B' && digits(band[1:]) {
		n = atoi(band[1:])
	}
	if n < 1 || n > 16 {
		return &NameError{"band", band, "is not B01 to B16"}
	}
	code, ok := strings.CutPrefix(res, "R")
	if _, known := resolutions[code]; !ok || !known {
		return &NameError{"resolution", res, "is not R05, R10 or R20"}
	}
	b := bands[n]
	if code != b.resolution {
		return &NameError{"resolution", res, fmt.Sprintf("is not band %d's resolution R%s", n, b.resolution)}
	}
	p.Band, p.WavelengthUM, p.Channel, p.ResolutionKm = n, b.um, b.channel, resolutions[code]
	return nil
}

// setArea reads the area and its segment, whose total is fixed by the area.
func (p *Product) setArea(area, seg string) error {
	total, ok := hsdAreas[area]
	if !ok {
		return &NameError{"area", area, "is not FLDK, JP01 to JP04 or R301 to R304"}
	}
	if len(seg) != 5 || seg[0] != 'S' || !digits(seg[1:]) {
		return &NameError{"segment", seg, "is not Skkll"}
	}
	k, l := atoi(seg[1:3]), atoi(seg[3:])
	if l != total {
		return &NameError{"segment", seg, fmt.Sprintf("is not of %02d segments, as %s is cut into", total, area)}
	}
	if k < 1 || k > l {
		return &NameError{"segment", seg, fmt.Sprintf("is not segment 01 to %02d", l)}
	}
	p.Area, p.Segment, p.Segments = area, k, l
	return nil
}
