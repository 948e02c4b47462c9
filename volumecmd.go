package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/volume"
)

// volumeFlags are the generate-volume command's own flags.
type volumeFlags struct {
	days, earthquakesPerYear, lightningStrikes int
	climateStations, climateYears              int
	aqStations, aqYears                        int
	start, stations, kinds                     string
	seed                                       uint64
	allowRealData                              bool
}

// defineGenerateVolume: generate-volume's flags say how much of what to
// make.
func defineGenerateVolume(fs *flag.FlagSet) action {
	d := volume.DefaultConfig(time.Now())
	v := &volumeFlags{}
	fs.IntVar(&v.days, "days", d.Days, "`days` in the window of hourly SYNOP, earthquakes and lightning")
	fs.StringVar(&v.start, "start", "", "first `day` of the window, YYYY-MM-DD (default: -days days before today)")
	fs.StringVar(&v.stations, "stations", "all", "synoptic stations of the catalogue that report: all, or a `number` (the bundled lists are loaded when the catalogue is empty)")
	fs.IntVar(&v.earthquakesPerYear, "earthquakes-per-year", d.EarthquakesPerYear, "`rate` of synthetic earthquakes a year")
	fs.IntVar(&v.lightningStrikes, "lightning-strikes", -1, "lightning strikes in the whole window; -1: 5 million a year, pro rata")
	fs.IntVar(&v.climateStations, "climate-stations", d.ClimateStations, "climate stations that get daily records")
	fs.IntVar(&v.climateYears, "climate-years", d.ClimateYears, "`years` of daily climate records, ending with the window")
	fs.IntVar(&v.aqStations, "aq-stations", d.AQStations, "synthetic air-quality stations that get a daily ISPU")
	fs.IntVar(&v.aqYears, "aq-years", d.AQYears, "`years` of daily ISPU, ending with the window")
	fs.Uint64Var(&v.seed, "seed", d.Seed, "random seed: the same seed makes the same data")
	fs.BoolVar(&v.allowRealData, "allow-real-data", false, "write beside real data (refused otherwise, exit 2); real rows are never replaced")
	fs.StringVar(&v.kinds, "kinds", strings.Join(volume.AllKinds, ","), "comma-separated `kinds` of data to make")
	return func(ctx context.Context, in *invocation) int {
		return generateVolume(ctx, in, v)
	}
}

// config turns the flags into a volume.Config; errors name the flag.
func (v *volumeFlags) config(now time.Time) (volume.Config, error) {
	c := volume.DefaultConfig(now)
	c.Days, c.EarthquakesPerYear, c.LightningStrikes = v.days, v.earthquakesPerYear, v.lightningStrikes
	c.ClimateStations, c.ClimateYears, c.AQStations, c.AQYears = v.climateStations, v.climateYears, v.aqStations, v.aqYears
	c.Seed, c.AllowRealData = v.seed, v.allowRealData
	c.Start = now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -v.days)
	if v.start != "" {
		t, err := time.Parse("2006-01-02", v.start)
		if err != nil {
			return c, fmt.Errorf("-start %q is not a date (YYYY-MM-DD)", v.start)
		}
		c.Start = t
	}
	if v.stations != "all" {
		n, err := strconv.Atoi(v.stations)
		if err != nil || n < 1 {
			return c, fmt.Errorf("-stations %q must be all or a number of stations (1 or more)", v.stations)
		}
		c.Stations = n
	}
	c.Kinds = strings.Split(v.kinds, ",")
	return c, c.Validate(now)
}

// generateVolume runs `mkggraph generate-volume` and returns the exit
// code: 2 for bad flags or a database holding real data (nothing is then
// written), 1 when generation failed or a generated record was rejected.
func generateVolume(ctx context.Context, inv *invocation, flags *volumeFlags) int {
	vc, err := flags.config(time.Now())
	if err != nil {
		return inv.misuse("%v", err)
	}
	log := inv.log
	store, err := openStore(ctx, inv.cfg, log)
	if err != nil {
		return inv.fail(err)
	}
	defer store.Close()
	in := ingest.New(store, log)
	start := time.Now()
	rep, err := volume.Generate(ctx, store, in, vc, time.Now(), log)
	if errors.Is(err, volume.ErrRealData) {
		fmt.Fprintln(inv.stderr, "mkggraph generate-volume:", err)
		return 2
	}
	printVolume(inv.stdout, rep, time.Since(start))
	if err != nil {
		return inv.fail(err)
	}
	// Plans at the new size need statistics of it.
	if err := store.Analyze(ctx); err != nil {
		log.Warn("statistics not refreshed; run VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite)", "err", err)
	}
	for _, k := range rep.Kinds {
		if k.Rejected > 0 {
			return 1
		}
	}
	return 0
}

func printVolume(w io.Writer, rep *volume.Report, elapsed time.Duration) {
	if rep == nil {
		return
	}
	loaded := ""
	if rep.StationsLoaded {
		loaded = " (catalogue loaded from the bundled real station lists)"
	}
	fmt.Fprintf(w, "stations: %d synoptic%s\n", rep.Stations, loaded)
	for _, k := range rep.Kinds {
		fmt.Fprintf(w, "%s: %d files, read %d, inserted %d, updated %d, unchanged %d, rejected %d, skipped %d (real rows), %s\n",
			k.Kind, k.Files, k.Read, k.Inserted, k.Updated, k.Unchanged, k.Rejected, k.Skipped, k.Elapsed.Round(time.Second))
		if k.FirstRejection != "" {
			fmt.Fprintf(w, "  first rejection: %s\n", k.FirstRejection)
		}
	}
	fmt.Fprintf(w, "total: %s; every row is marked synthetic (provenance starting %q)\n", elapsed.Round(time.Second), "synthetic-")
}
