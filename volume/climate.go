package volume

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/bmkg/mkggraph/ingest"
)

// climate writes, per climate station, one Data Online CSV (the processed
// form without a station block) with a row per day over ClimateYears
// years ending on the window's last day: the daily aggregates of the same
// weather model the SYNOP reports come from, with BMKG's codes 8888 (not
// measurable: a trace of rain) and 9999 (no data) and empty cells where
// a station missed a value.
func (g *generator) climate(ctx context.Context, kr *KindReport) error {
	if g.cfg.ClimateYears == 0 || g.cfg.ClimateStations == 0 {
		return nil
	}
	last := g.cfg.End().AddDate(0, 0, -1)
	first := g.cfg.End().AddDate(-g.cfg.ClimateYears, 0, 0)
	for _, s := range climateSites(g.sites, g.cfg.ClimateStations) {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, skipped := g.climateFile(s, first, last)
		kr.Skipped += skipped
		name := fmt.Sprintf("synthetic-dataonline-%s-%s-%s.csv", s.wmo, first.Format("20060102"), last.Format("20060102"))
		if err := g.ingest(ctx, kr, name, data, ingest.Options{Station: s.wmo}); err != nil {
			return err
		}
	}
	return nil
}

func (g *generator) climateFile(s site, first, last time.Time) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString("Tanggal,Tn,Tx,Tavg,RH_avg,RR,ss,ff_x,ddd_x,ff_avg,ddd_car\n")
	skipped := 0
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		if g.real.climate[s.wmo+"|"+day.Format("2006-01-02")] {
			skipped++
			continue
		}
		b.WriteString(day.Format("02-01-2006"))
		for i, v := range dailyValues(g.cfg.Seed, s, day) {
			b.WriteByte(',')
			switch u := uniform(key(g.cfg.Seed, "climate-gap", s.id, day.Unix()/86400, int64(i))); {
			case u < 0.003:
				b.WriteString("9999")
			case u < 0.006:
			default:
				b.WriteString(v)
			}
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), skipped
}

// compassPoints are the eight directions of ddd_car, from north.
var compassPoints = [8]string{"N", "NE", "E", "SE", "S", "SW", "W", "NW"}

// dailyValues are the day's Tn, Tx, Tavg, RH_avg, RR, ss, ff_x, ddd_x,
// ff_avg and ddd_car, formatted as the CSV writes them.
func dailyValues(seed uint64, s site, day time.Time) [10]string {
	tn, tx, tsum, rhsum, rr, sun, ffx, fsum := math.Inf(1), math.Inf(-1), 0.0, 0.0, 0.0, 0.0, -1.0, 0.0
	dddx := 0
	counts := map[string]int{}
	for h := range 24 {
		w := weatherAt(seed, s, day.Add(time.Duration(h)*time.Hour))
		tn, tx, tsum, rhsum, rr = math.Min(tn, w.t), math.Max(tx, w.t), tsum+w.t, rhsum+w.rh, rr+w.rain
		if lh := math.Mod(float64(h)+s.lon/15+24, 24); lh >= 6 && lh < 18 {
			sun += 1 - w.cloud
		}
		ms := w.windKt * 1852 / 3600
		if ms > ffx {
			ffx, dddx = ms, w.dirDeg
		}
		fsum += ms
		if ms < 0.5 {
			counts["C"]++
		} else {
			counts[compassPoints[((w.dirDeg+22)%360)/45]]++
		}
	}
	car, best := "C", -1
	for _, p := range append([]string{"C"}, compassPoints[:]...) {
		if counts[p] > best {
			car, best = p, counts[p]
		}
	}
	rain := fmt.Sprintf("%.1f", rr)
	if rr > 0 && rr < 0.05 {
		rain = "8888" // a trace: not measurable
	}
	return [10]string{fmt.Sprintf("%.1f", tn-0.3), fmt.Sprintf("%.1f", tx+0.3), fmt.Sprintf("%.1f", tsum/24),
		fmt.Sprintf("%.0f", rhsum/24), rain, fmt.Sprintf("%.1f", sun), fmt.Sprintf("%.0f", ffx), fmt.Sprint(dddx),
		fmt.Sprintf("%.0f", fsum/24), car}
}
