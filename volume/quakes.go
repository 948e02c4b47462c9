package volume

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/bmkg/mkggraph/ingest"
)

// zone is a seismic source: a line along which events fall, scattered
// across it, with the depths its kind gives.
type zone struct {
	region string
	pts    [][2]float64 // latitude, longitude
	weight float64      // share of the events
	depth  func(r *rand.Rand) float64
}

// subduction zones are mostly shallow with a tail into the slab; the
// Banda and Molucca slabs reach the deepest; crustal faults stay shallow.
func subduction(r *rand.Rand) float64 {
	switch u := r.Float64(); {
	case u < 0.7:
		return 10 + 50*r.Float64()
	case u < 0.95:
		return 60 + 140*r.Float64()
	}
	return 200 + 100*r.Float64()
}

func deepSlab(r *rand.Rand) float64 {
	switch u := r.Float64(); {
	case u < 0.4:
		return 10 + 50*r.Float64()
	case u < 0.75:
		return 60 + 240*r.Float64()
	}
	return 300 + 350*r.Float64()
}

func crustal(r *rand.Rand) float64 { return 5 + 20*r.Float64() }

// zones are Indonesia's main sources: the Sunda arc (Sumatra, Java,
// Nusa Tenggara), the Banda arc, the Molucca Sea, North Sulawesi, New
// Guinea, and the Sumatran, Palu-Koro and Flores back-arc faults.
var zones = []zone{
	{"Northern Sumatra, Indonesia", [][2]float64{{5.5, 94.5}, {2.0, 96.0}, {-1.0, 98.5}}, 0.12, subduction},
	{"Southern Sumatra, Indonesia", [][2]float64{{-1.0, 98.5}, {-4.0, 101.0}, {-6.5, 104.0}}, 0.10, subduction},
	{"South of Java, Indonesia", [][2]float64{{-7.5, 105.5}, {-9.0, 110.0}, {-9.5, 114.5}}, 0.12, subduction},
	{"Sumbawa Region, Indonesia", [][2]float64{{-9.5, 114.5}, {-10.0, 118.5}}, 0.06, subduction},
	{"Banda Sea", [][2]float64{{-9.5, 119.0}, {-8.5, 124.0}, {-7.5, 128.0}, {-5.5, 131.0}, {-4.0, 130.0}, {-3.5, 128.0}}, 0.17, deepSlab},
	{"Molucca Sea", [][2]float64{{3.0, 126.5}, {0.5, 126.0}, {-1.5, 126.5}}, 0.12, deepSlab},
	{"Minahassa Peninsula, Sulawesi", [][2]float64{{1.5, 120.0}, {1.8, 123.5}}, 0.06, subduction},
	{"Irian Jaya Region, Indonesia", [][2]float64{{-1.0, 134.0}, {-2.5, 138.0}, {-3.5, 140.5}}, 0.09, subduction},
	{"Southern Sumatra, Indonesia", [][2]float64{{5.0, 95.5}, {2.5, 98.5}, {0.0, 100.0}, {-3.0, 102.5}, {-5.5, 104.5}}, 0.07, crustal},
	{"Sulawesi, Indonesia", [][2]float64{{1.0, 119.8}, {-2.0, 120.3}}, 0.04, crustal},
	{"Flores Sea", [][2]float64{{-7.8, 117.0}, {-7.5, 122.0}}, 0.05, crustal},
}

// Gutenberg–Richter: magnitudes from minMagnitude with b-value bValue.
const (
	minMagnitude = 2.0
	bValue       = 0.85
	// reviewedFrom is the magnitude from which events also appear in the
	// reviewed catalogue (QuakeML); the realtime feed has them all.
	reviewedFrom = 3.5
	// quakeSpacing keeps events apart in time, so that a reviewed
	// solution matches its own realtime event (mkg.MatchTimeTolerance).
	quakeSpacing = 30 * time.Second
)

// quakeEvent is one generated event.
type quakeEvent struct {
	id              string
	at              time.Time
	lat, lon, depth float64
	mag             float64
	region          string
	phases          int
}

// earthquakes writes a month per pair of files: the realtime feed with
// every event, and the reviewed QuakeML catalogue with the larger ones,
// whose revised solutions the store merges into the same events.
func (g *generator) earthquakes(ctx context.Context, kr *KindReport) error {
	end := g.cfg.End()
	for m := time.Date(g.cfg.Start.Year(), g.cfg.Start.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(end); m = m.AddDate(0, 1, 0) {
		var events []quakeEvent
		for d := m; d.Before(m.AddDate(0, 1, 0)); d = d.AddDate(0, 0, 1) {
			if !d.Before(g.cfg.Start) && d.Before(end) {
				day, skipped := g.quakeDay(d)
				events = append(events, day...)
				kr.Skipped += skipped
			}
		}
		if len(events) == 0 {
			continue
		}
		if err := g.ingest(ctx, kr, "synthetic-bmkg-realtime-"+m.Format("200601")+".geojson", realtimeFeed(events), ingest.Options{}); err != nil {
			return err
		}
		reviewed := quakeML(g.cfg.Seed, events)
		if reviewed == nil {
			continue
		}
		if err := g.ingest(ctx, kr, "synthetic-bmkg-catalogue-"+m.Format("200601")+".xml", reviewed, ingest.Options{}); err != nil {
			return err
		}
	}
	return nil
}

// quakeDay draws a day's events: a Poisson count at the yearly rate.
func (g *generator) quakeDay(day time.Time) ([]quakeEvent, int) {
	r := rng(g.cfg.Seed, "quakes", day.Unix()/86400)
	n := poisson(r, float64(g.cfg.EarthquakesPerYear)/365.25)
	var times []time.Time
	for range n {
		for try := 0; try < 20; try++ {
			t := day.Add(time.Duration(r.Int64N(int64(24 * time.Hour))))
			if !slices.ContainsFunc(times, func(o time.Time) bool { return absDur(o.Sub(t)) < quakeSpacing }) {
				times = append(times, t)
				break
			}
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	var out []quakeEvent
	skipped := 0
	for i, t := range times {
		e := drawEvent(r, t)
		if slices.ContainsFunc(g.real.quakes, func(o time.Time) bool { return absDur(o.Sub(t)) < time.Minute }) {
			skipped++ // a real event at that time: the store could merge them
			continue
		}
		e.id = fmt.Sprintf("syn%s%03d", t.Format("20060102"), i)
		out = append(out, e)
	}
	return out, skipped
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func drawEvent(r *rand.Rand, at time.Time) quakeEvent {
	u := r.Float64()
	var z zone
	for _, z = range zones {
		if u -= z.weight; u < 0 {
			break
		}
	}
	lat, lon := alongLine(r, z.pts)
	mag := math.Min(9.0, minMagnitude-math.Log10(1-r.Float64())/bValue)
	return quakeEvent{at: at, lat: lat, lon: lon, depth: z.depth(r), mag: mag, region: z.region, phases: 4 + int(6*mag+r.Float64()*10)}
}

// alongLine picks a point on the polyline, uniformly by length, and moves
// it across the line by about 25 km.
func alongLine(r *rand.Rand, pts [][2]float64) (lat, lon float64) {
	var lengths []float64
	total := 0.0
	for i := 1; i < len(pts); i++ {
		l := math.Hypot(pts[i][0]-pts[i-1][0], pts[i][1]-pts[i-1][1])
		lengths = append(lengths, l)
		total += l
	}
	at := r.Float64() * total
	i := 0
	for i < len(lengths)-1 && at > lengths[i] {
		at -= lengths[i]
		i++
	}
	f := at / lengths[i]
	a, b := pts[i], pts[i+1]
	lat, lon = a[0]+f*(b[0]-a[0]), a[1]+f*(b[1]-a[1])
	dLat, dLon := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(dLat, dLon)
	off := r.NormFloat64() * 25 / 111 // degrees across the line
	return lat - dLon/n*off, lon + dLat/n*off
}

// realtimeFeed is BMKG's realtime GeoJSON, values as strings as BMKG writes them.
func realtimeFeed(events []quakeEvent) []byte {
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   map[string]any    `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection"}
	for _, e := range events {
		fc.Features = append(fc.Features, feature{Type: "Feature",
			Properties: map[string]string{"id": e.id, "time": e.at.Format("2006-01-02 15:04:05.000000"),
				"mag": fmt.Sprintf("%.6f", e.mag), "place": e.region, "fase": fmt.Sprint(e.phases), "status": "M",
				"depth": fmt.Sprintf("%.6f", e.depth)},
			Geometry: map[string]any{"type": "Point", "coordinates": []any{fmt.Sprintf("%.6f", e.lon), fmt.Sprintf("%.6f", e.lat), 1}}})
	}
	b, _ := json.MarshalIndent(fc, "", "  ") // maps and strings always encode
	return b
}

// quakeML is the reviewed catalogue: the events from reviewedFrom, each
// relocated a little and with a revised magnitude; nil when there is none.
func quakeML(seed uint64, events []quakeEvent) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<q:quakeml xmlns="http://quakeml.org/xmlns/bed/1.2" xmlns:q="http://quakeml.org/xmlns/quakeml/1.2">` + "\n" +
		`<eventParameters publicID="smi:id.bmkg.synthetic/catalogue">` + "\n")
	n := 0
	for _, e := range events {
		if e.mag < reviewedFrom {
			continue
		}
		n++
		r := rng(seed, "review-"+e.id)
		at := e.at.Add(time.Duration(r.NormFloat64() * 0.5 * float64(time.Second)))
		lat, lon := e.lat+r.NormFloat64()*0.02, e.lon+r.NormFloat64()*0.02
		depth := math.Max(1, e.depth+r.NormFloat64()*5)
		mag := math.Round((e.mag+r.NormFloat64()*0.1)*10) / 10
		fmt.Fprintf(&buf, `<event publicID="smi:id.bmkg.synthetic/event/%[1]s">
  <preferredOriginID>smi:id.bmkg.synthetic/origin/%[1]s</preferredOriginID>
  <preferredMagnitudeID>smi:id.bmkg.synthetic/magnitude/%[1]s</preferredMagnitudeID>
  <type>earthquake</type>
  <description><text>%[2]s</text><type>Flinn-Engdahl region</type></description>
  <origin publicID="smi:id.bmkg.synthetic/origin/%[1]s">
    <time><value>%[3]s</value></time>
    <latitude><value>%.4[4]f</value></latitude>
    <longitude><value>%.4[5]f</value></longitude>
    <depth><value>%.0[6]f</value></depth>
    <evaluationMode>manual</evaluationMode>
  </origin>
  <magnitude publicID="smi:id.bmkg.synthetic/magnitude/%[1]s">
    <mag><value>%.1[7]f</value></mag>
    <type>M</type>
    <originID>smi:id.bmkg.synthetic/origin/%[1]s</originID>
  </magnitude>
</event>
`, e.id, e.region, at.UTC().Format("2006-01-02T15:04:05.00Z"), lat, lon, depth*1000, mag)
	}
	if n == 0 {
		return nil
	}
	buf.WriteString("</eventParameters>\n</q:quakeml>\n")
	return buf.Bytes()
}
