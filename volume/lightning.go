package volume

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/bmkg/mkggraph/ingest"
)

// Lightning comes from storm cells: each is born at a place and an hour
// (afternoon over the islands, night over the sea), lives 40 to 180
// minutes, drifts with the monsoon and gives strikes around its moving
// centre, most in its mature stage; a fifth reach the ground.

// indonesiaBox bounds the sea cells: latitude -11..6, longitude 95..141.
var indonesiaBox = [4]float64{-11, 6, 95, 141}

const strikesPerCell = 300

type cell struct {
	lat, lon   float64
	start      time.Time
	life       time.Duration
	vLat, vLon float64 // degrees per hour
	strikes    int
}

type strike struct {
	at       time.Time
	lat, lon float64
	ground   bool
}

// wib is the zone the files are written in (Western Indonesia Time).
var wib = time.FixedZone("WIB", 7*3600)

// lightning writes a day per file in the NEA lightning CSV layout; the
// strikes add up to exactly the number asked for.
func (g *generator) lightning(ctx context.Context, kr *KindReport) error {
	total := g.cfg.strikes()
	for d := range g.cfg.Days {
		if err := ctx.Err(); err != nil {
			return err
		}
		quota := total / g.cfg.Days
		if d < total%g.cfg.Days {
			quota++
		}
		if quota == 0 {
			continue
		}
		day := g.cfg.Start.AddDate(0, 0, d)
		strikes := g.lightningDay(day, quota)
		if err := g.ingest(ctx, kr, "synthetic-lightning-"+day.Format("20060102")+".csv", neaCSV(strikes), ingest.Options{}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) lightningDay(day time.Time, quota int) []strike {
	r := rng(g.cfg.Seed, "lightning", day.Unix()/86400)
	cells := g.cells(r, day, quota)
	seen := map[string]bool{}
	out := make([]strike, 0, quota)
	for _, c := range cells {
		for range c.strikes {
			for {
				s := c.strike(r)
				k := fmt.Sprintf("%d %.4f %.4f", s.at.UnixMilli(), s.lat, s.lon)
				if !seen[k] { // the store keeps one strike per time and place
					seen[k] = true
					out = append(out, s)
					break
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b strike) int { return a.at.Compare(b.at) })
	return out
}

// cells draws the day's storms and shares the quota among them.
func (g *generator) cells(r *rand.Rand, day time.Time, quota int) []cell {
	n := max(1, (quota+strikesPerCell/2)/strikesPerCell)
	cells := make([]cell, n)
	weights := make([]float64, n)
	sum := 0.0
	eastward := math.Cos(2*math.Pi*float64(day.YearDay()-15)/365.25) > 0 // the westerly monsoon
	for i := range cells {
		cells[i] = g.newCell(r, day, eastward)
		weights[i] = -math.Log(1 - r.Float64())
		sum += weights[i]
	}
	given := 0
	for i := range cells {
		cells[i].strikes = int(float64(quota) * weights[i] / sum)
		given += cells[i].strikes
	}
	for i := 0; given < quota; i = (i + 1) % n {
		cells[i].strikes++
		given++
	}
	return cells
}

func (g *generator) newCell(r *rand.Rand, day time.Time, eastward bool) cell {
	c := cell{life: time.Duration(40+140*r.Float64()) * time.Minute}
	local := 3 + 3*r.NormFloat64() // night over the sea
	land := g.landSites()
	if len(land) > 0 && r.Float64() < 0.75 {
		s := land[r.IntN(len(land))]
		c.lat, c.lon = s.lat+0.8*r.NormFloat64(), s.lon+0.8*r.NormFloat64()
		local = 15.5 + 1.5*r.NormFloat64() // afternoon convection over land
	} else {
		c.lat = indonesiaBox[0] + r.Float64()*(indonesiaBox[1]-indonesiaBox[0])
		c.lon = indonesiaBox[2] + r.Float64()*(indonesiaBox[3]-indonesiaBox[2])
	}
	c.lat, c.lon = clamp(c.lat, -89, 89), clamp(c.lon, -179, 179)
	utc := math.Mod(local-c.lon/15+48, 24)
	latest := 24 - c.life.Hours()
	c.start = day.Add(time.Duration(math.Min(utc, latest) * float64(time.Hour)))
	heading := 270.0
	if eastward {
		heading = 90
	}
	heading = (heading + 40*r.NormFloat64()) * math.Pi / 180
	speed := (15 + 25*r.Float64()) / 111 // km/h to degrees/h
	c.vLat, c.vLon = speed*math.Cos(heading), speed*math.Sin(heading)
	return c
}

// landSites are the Indonesian stations, around which storms form.
func (g *generator) landSites() []site {
	var out []site
	for _, s := range g.sites {
		if s.indonesian() {
			out = append(out, s)
		}
	}
	return out
}

// strike draws one strike: its time peaks at 40 % of the cell's life,
// its distance from the centre grows as the cell spreads.
func (c cell) strike(r *rand.Rand) strike {
	f := triangular(r, 0.4)
	hours := f * c.life.Hours()
	spread := (3 + 5*f) / 111
	return strike{
		at:     c.start.Add(time.Duration(hours * float64(time.Hour))).Truncate(time.Millisecond),
		lat:    clamp(c.lat+c.vLat*hours+spread*r.NormFloat64(), -89.9, 89.9),
		lon:    clamp(c.lon+c.vLon*hours+spread*r.NormFloat64(), -179.9, 179.9),
		ground: r.Float64() < 0.2,
	}
}

// triangular draws from [0, 1) with its mode at m.
func triangular(r *rand.Rand, m float64) float64 {
	u := r.Float64()
	if u < m {
		return math.Sqrt(u * m)
	}
	return 1 - math.Sqrt((1-u)*(1-m))
}

// neaCSV writes strikes as the NEA lightning scrapers save them.
func neaCSV(strikes []strike) []byte {
	var b bytes.Buffer
	b.WriteString("fetch_time,observation_window,data_updated,latitude,longitude,strike_type,description,strike_time\n")
	for _, s := range strikes {
		local := s.at.In(wib)
		window := local.Truncate(2 * time.Minute).Add(2 * time.Minute)
		typ, desc := "C", "Cloud to Cloud"
		if s.ground {
			typ, desc = "G", "Cloud to Ground"
		}
		fmt.Fprintf(&b, "%s,%s,%s,%.4f,%.4f,%s,%s,%s\n", window.Add(3*time.Minute).UTC().Format("2006-01-02 15:04:05"),
			window.Format("2006-01-02 15:04:05-07:00"), window.Add(2*time.Minute).Format("2006-01-02 15:04:05-07:00"),
			s.lat, s.lon, typ, desc, local.Format("2006-01-02 15:04:05.000000-07:00"))
	}
	return b.Bytes()
}
