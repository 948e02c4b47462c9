package shakemap

import (
	"encoding/xml"
	"errors"
	"fmt"

	"github.com/bmkg/mkggraph/format/internal/xmlread"
)

// StationList is a ShakeMap 3.5 stationlist.xml.
type StationList struct {
	Event    Event
	Stations []Station
}

// Station is one <station>: an instrument, or (BMKG's felt reports) a place
// whose motions were derived from the intensity felt there.
type Station struct {
	Code, Name, InstType, Source, NetID string
	Latitude, Longitude                 float64
	DistanceKm                          *float64 // dist: epicentral distance
	Intensity                           *float64 // MMI observed or derived
	Components                          []Component
}

// Component is one <comp>: a channel ("HNE"), or "DERIVED" for motions
// computed from intensity. Missing measurements are nil. Flags holds, by
// element name (acc, vel, psa03, psa10, psa30), each flag other than "0":
// ShakeMap's marks for a value it set aside (T: outlier, M: manually
// flagged, G: glitch, I: incomplete...). Flagged values are still given.
type Component struct {
	Name    string
	PGAPctG *float64 // acc, in %g
	PGVCmS  *float64 // vel, in cm/s
	PSA03   *float64 // 5%-damped pseudo-spectral acceleration at 0.3 s, %g
	PSA10   *float64 // ... at 1.0 s, %g
	PSA30   *float64 // ... at 3.0 s, %g
	Flags   map[string]string
}

// xStation and xComp are <station> and <comp> as encoding/xml sees them;
// fields match by local name, whatever the namespace.
type xStation struct {
	Attrs []xml.Attr `xml:",any,attr"`
	Comps []xComp    `xml:"comp"`
}

type xComp struct {
	Name     string     `xml:"name,attr"`
	Measures []xMeasure `xml:",any"`
}

type xMeasure struct {
	XMLName xml.Name
	Value   string `xml:"value,attr"`
	Flag    string `xml:"flag,attr"`
}

// ParseStationList reads a stationlist.xml. The inline DTD is skipped. The
// <earthquake> element is required; a stationlist with no stations is
// valid (BMKG publishes many).
func ParseStationList(data []byte) (*StationList, error) {
	if isJSON(data) {
		return nil, errJSON
	}
	d := xmlread.NewDecoder(data)
	if _, err := expectRoot(d, "shakemap-data"); err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	sl, err := readStationList(d)
	if err != nil {
		return nil, fmt.Errorf("shakemap: %v", err)
	}
	return sl, nil
}

func readStationList(d *xml.Decoder) (*StationList, error) {
	sl := &StationList{}
	haveQuake := false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, readErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "earthquake":
				if haveQuake {
					return nil, errors.New("more than one <earthquake>")
				}
				haveQuake = true
				if sl.Event, err = quakeEvent(attrs(t.Attr)); err != nil {
					return nil, fmt.Errorf("<earthquake>: %v", err)
				}
			case "station":
				st, err := readStation(d, t)
				if err != nil {
					return nil, fmt.Errorf("station %d: %v", len(sl.Stations)+1, err)
				}
				sl.Stations = append(sl.Stations, st)
				continue
			case "stationlist":
				continue // descend into it
			}
			if err := d.Skip(); err != nil {
				return nil, readErr(err)
			}
		case xml.EndElement:
			if t.Name.Local == "stationlist" {
				continue
			}
			// Other elements were skipped whole: this is the root closing.
			if !haveQuake {
				return nil, errors.New("no <earthquake> element")
			}
			return sl, nil
		}
	}
}

// quakeEvent reads <earthquake>, whose time is split into fields plus a
// zone.
func quakeEvent(a attrs) (Event, error) {
	e := Event{ID: a.str("id"), Description: a.str("locstring")}
	var err error
	if err = a.floats([]string{"mag", "depth", "lat", "lon"}, &e.Magnitude, &e.DepthKm, &e.Latitude, &e.Longitude); err != nil {
		return e, err
	}
	if err := checkPosition(e.Latitude, e.Longitude); err != nil {
		return e, err
	}
	e.Time, err = civilTime(a)
	return e, err
}

func readStation(d *xml.Decoder, start xml.StartElement) (Station, error) {
	var x xStation
	if err := d.DecodeElement(&x, &start); err != nil {
		return Station{}, readErr(err)
	}
	a := attrs(x.Attrs)
	st := Station{Code: a.str("code"), Name: a.str("name"), InstType: a.str("insttype"),
		Source: a.str("source"), NetID: a.str("netid")}
	var err error
	if st.Latitude, err = a.float("lat"); err != nil {
		return st, fmt.Errorf("%q: %v", st.Code, err)
	}
	if st.Longitude, err = a.float("lon"); err != nil {
		return st, fmt.Errorf("%q: %v", st.Code, err)
	}
	if err := checkPosition(st.Latitude, st.Longitude); err != nil {
		return st, fmt.Errorf("%q: %v", st.Code, err)
	}
	if st.DistanceKm, err = a.optFloat("dist"); err != nil {
		return st, fmt.Errorf("%q: %v", st.Code, err)
	}
	if st.Intensity, err = a.optFloat("intensity"); err != nil {
		return st, fmt.Errorf("%q: %v", st.Code, err)
	}
	for _, xc := range x.Comps {
		c, err := component(xc)
		if err != nil {
			return st, fmt.Errorf("%q component %q: %v", st.Code, xc.Name, err)
		}
		st.Components = append(st.Components, c)
	}
	return st, nil
}

func component(x xComp) (Component, error) {
	c := Component{Name: x.Name}
	for _, m := range x.Measures {
		var dst **float64
		switch name := m.XMLName.Local; name {
		case "acc":
			dst = &c.PGAPctG
		case "vel":
			dst = &c.PGVCmS
		case "psa03":
			dst = &c.PSA03
		case "psa10":
			dst = &c.PSA10
		case "psa30":
			dst = &c.PSA30
		default:
			continue // other periods, future elements
		}
		if *dst != nil {
			return c, fmt.Errorf("<%s> appears twice", m.XMLName.Local)
		}
		v, err := attrs{{Name: xml.Name{Local: "value"}, Value: m.Value}}.optFloat("value")
		if err != nil {
			return c, fmt.Errorf("<%s>: %v", m.XMLName.Local, err)
		}
		*dst = v
		if m.Flag != "" && m.Flag != "0" {
			if c.Flags == nil {
				c.Flags = map[string]string{}
			}
			c.Flags[m.XMLName.Local] = m.Flag
		}
	}
	return c, nil
}
