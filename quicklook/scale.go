package quicklook

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"sort"
)

// Scale is a stepped colour scale. A value v takes Colors[i] for the last i
// with Thresholds[i] <= v; values below Thresholds[0], and NaN, are
// transparent. The last colour is open-ended.
type Scale struct {
	Name       string
	Unit       string
	Thresholds []float64 // strictly increasing, one per colour
	Colors     []color.NRGBA
}

// Reflectivity is the conventional NWS-style radar reflectivity palette in
// 5 dBZ steps. Each colour covers [threshold, threshold+5) dBZ; 75 dBZ and
// above is near-white; below 5 dBZ is transparent.
//
//	 5 dBZ  #04E9E7  light cyan
//	10 dBZ  #019FF4  sky blue
//	15 dBZ  #0300F4  blue
//	20 dBZ  #02FD02  bright green
//	25 dBZ  #01C501  green
//	30 dBZ  #008E00  dark green
//	35 dBZ  #FDF802  yellow
//	40 dBZ  #E5BC00  gold
//	45 dBZ  #FD9500  orange
//	50 dBZ  #FD0000  red
//	55 dBZ  #D40000  dark red
//	60 dBZ  #BC0000  maroon
//	65 dBZ  #F800FD  magenta
//	70 dBZ  #9854C6  purple
//	75 dBZ  #FDFDFD  near-white
var Reflectivity = Scale{
	Name:       "Reflectivity",
	Unit:       "dBZ",
	Thresholds: []float64{5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75},
	Colors: []color.NRGBA{
		rgb(0x04e9e7), rgb(0x019ff4), rgb(0x0300f4), rgb(0x02fd02), rgb(0x01c501),
		rgb(0x008e00), rgb(0xfdf802), rgb(0xe5bc00), rgb(0xfd9500), rgb(0xfd0000),
		rgb(0xd40000), rgb(0xbc0000), rgb(0xf800fd), rgb(0x9854c6), rgb(0xfdfdfd),
	},
}

func rgb(hex uint32) color.NRGBA {
	return color.NRGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// Color returns the colour of v on the scale.
func (s Scale) Color(v float64) color.NRGBA {
	// The first threshold above v; NaN compares false, so it lands at 0.
	i := sort.Search(len(s.Thresholds), func(i int) bool { return !(s.Thresholds[i] <= v) })
	if i == 0 {
		return color.NRGBA{}
	}
	return s.Colors[i-1]
}

func (s Scale) validate() error {
	if len(s.Colors) == 0 {
		return errors.New("quicklook: scale has no colours")
	}
	if len(s.Thresholds) != len(s.Colors) {
		return fmt.Errorf("quicklook: scale has %d thresholds for %d colours", len(s.Thresholds), len(s.Colors))
	}
	for i, t := range s.Thresholds {
		if math.IsNaN(t) || (i > 0 && t <= s.Thresholds[i-1]) {
			return fmt.Errorf("quicklook: scale threshold %d (%v) is not above the one before", i, t)
		}
	}
	return nil
}
