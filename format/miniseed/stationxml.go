package miniseed

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/format/budget"
	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// MaxStationXMLSize bounds the StationXML documents ParseStationXML reads.
const MaxStationXMLSize = 64 << 20

// ChannelResponse is one channel epoch of a StationXML inventory with its
// overall sensitivity: counts = Sensitivity × input (at Frequency Hz).
type ChannelResponse struct {
	Network, Station, Location, Channel string
	Start, End                          time.Time // End is zero when open
	Latitude, Longitude, ElevationM     float64
	Sensitivity                         float64
	Frequency                           float64
	InputUnits, OutputUnits             string
}

// Inventory is the channel responses of a StationXML document.
type Inventory struct {
	Channels []ChannelResponse
}

// stationXML is the part of FDSN StationXML 1.x read here. Elements are
// matched by local name, so any namespace version reads the same.
type stationXML struct {
	Networks []struct {
		Code     string `xml:"code,attr"`
		Stations []struct {
			Code      string  `xml:"code,attr"`
			Latitude  float64 `xml:"Latitude"`
			Longitude float64 `xml:"Longitude"`
			Elevation float64 `xml:"Elevation"`
			Channels  []struct {
				Code      string  `xml:"code,attr"`
				Location  string  `xml:"locationCode,attr"`
				StartDate string  `xml:"startDate,attr"`
				EndDate   string  `xml:"endDate,attr"`
				Latitude  float64 `xml:"Latitude"`
				Longitude float64 `xml:"Longitude"`
				Elevation float64 `xml:"Elevation"`
				Response  struct {
					Sensitivity *struct {
						Value       float64 `xml:"Value"`
						Frequency   float64 `xml:"Frequency"`
						InputUnits  string  `xml:"InputUnits>Name"`
						OutputUnits string  `xml:"OutputUnits>Name"`
					} `xml:"InstrumentSensitivity"`
				} `xml:"Response"`
			} `xml:"Channel"`
		} `xml:"Station"`
	} `xml:"Network"`
}

// DetectStationXML reports whether data looks like FDSN StationXML.
func DetectStationXML(data []byte) bool {
	head := data[:min(len(data), 1024)]
	return bytes.Contains(head, []byte("<FDSNStationXML"))
}

// ParseStationXML reads the channel epochs that have an
// InstrumentSensitivity. Channels without one are left out; Lookup then
// reports them as missing.
func ParseStationXML(data []byte) (*Inventory, error) {
	if err := budget.CheckSize("stationxml", int64(len(data)), MaxStationXMLSize); err != nil {
		return nil, err
	}
	var doc stationXML
	if err := xmlread.NewDecoder(data).Decode(&doc); err != nil {
		return nil, fmt.Errorf("stationxml: %w", err)
	}
	inv := &Inventory{}
	for _, n := range doc.Networks {
		for _, s := range n.Stations {
			for _, c := range s.Channels {
				sens := c.Response.Sensitivity
				if sens == nil {
					continue
				}
				cr := ChannelResponse{
					Network: n.Code, Station: s.Code, Location: strings.TrimSpace(c.Location), Channel: c.Code,
					Latitude: c.Latitude, Longitude: c.Longitude, ElevationM: c.Elevation,
					Sensitivity: sens.Value, Frequency: sens.Frequency,
					InputUnits: strings.TrimSpace(sens.InputUnits), OutputUnits: strings.TrimSpace(sens.OutputUnits),
				}
				var err error
				if cr.Start, err = xmlTime(c.StartDate); err != nil {
					return nil, fmt.Errorf("stationxml: %s.%s.%s startDate: %w", n.Code, s.Code, c.Code, err)
				}
				if cr.End, err = xmlTime(c.EndDate); err != nil {
					return nil, fmt.Errorf("stationxml: %s.%s.%s endDate: %w", n.Code, s.Code, c.Code, err)
				}
				if !(cr.Sensitivity != 0) || math.IsInf(cr.Sensitivity, 0) {
					return nil, fmt.Errorf("stationxml: %s.%s.%s: sensitivity %v", n.Code, s.Code, c.Code, cr.Sensitivity)
				}
				inv.Channels = append(inv.Channels, cr)
			}
		}
	}
	return inv, nil
}

func xmlTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// Lookup finds the channel epoch covering time at.
func (inv *Inventory) Lookup(net, sta, loc, cha string, at time.Time) (ChannelResponse, bool) {
	if inv == nil {
		return ChannelResponse{}, false
	}
	for _, c := range inv.Channels {
		if c.Network == net && c.Station == sta && c.Location == loc && c.Channel == cha &&
			!at.Before(c.Start) && (c.End.IsZero() || at.Before(c.End)) {
			return c, true
		}
	}
	return ChannelResponse{}, false
}

// GalPerCount is the acceleration in gal of one count, from the overall
// sensitivity and its input units; ok is false for inputs that are not
// acceleration (velocity sensors, for instance). The sensitivity holds at
// its Frequency only; for accelerometers, whose response is flat well above
// the frequencies of strong motion, that is a fair approximation.
func (c ChannelResponse) GalPerCount() (gal float64, ok bool) {
	unit := strings.ToUpper(strings.ReplaceAll(c.InputUnits, " ", ""))
	var galPerUnit float64
	switch unit {
	case "M/S**2", "M/S/S", "M/S2", "M/SEC**2", "M/SEC/SEC", "M/S^2":
		galPerUnit = 100
	case "CM/S**2", "CM/S/S", "CM/S2", "CM/SEC**2", "GAL", "CM/S^2":
		galPerUnit = 1
	case "NM/S**2", "NM/S/S", "NM/S2", "NM/S^2":
		galPerUnit = 1e-7
	case "G":
		galPerUnit = 980.665
	default:
		return 0, false
	}
	return galPerUnit / c.Sensitivity, true
}
