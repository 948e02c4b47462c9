package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
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

func defineVolumeFlags(fs *flag.FlagSet) *volumeFlags {
	d := volume.DefaultConfig(time.Now())
	v := &volumeFlags{}
	fs.IntVar(&v.days, "days", d.Days, "")
	fs.StringVar(&v.start, "start", "", "")
	fs.StringVar(&v.stations, "stations", "all", "")
	fs.IntVar(&v.earthquakesPerYear, "earthquakes-per-year", d.EarthquakesPerYear, "")
	fs.IntVar(&v.lightningStrikes, "lightning-strikes", -1, "")
	fs.IntVar(&v.climateStations, "climate-stations", d.ClimateStations, "")
	fs.IntVar(&v.climateYears, "climate-years", d.ClimateYears, "")
	fs.IntVar(&v.aqStations, "aq-stations", d.AQStations, "")
	fs.IntVar(&v.aqYears, "aq-years", d.AQYears, "")
	fs.Uint64Var(&v.seed, "seed", d.Seed, "")
	fs.BoolVar(&v.allowRealData, "allow-real-data", false, "")
	fs.StringVar(&v.kinds, "kinds", strings.Join(volume.AllKinds, ","), "")
	return v
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
func generateVolume(ctx context.Context, cfg *Config, log *slog.Logger, flags *volumeFlags, stdout, stderr io.Writer) int {
	vc, err := flags.config(time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "generate-volume:", err)
		return 2
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		log.Error("generate-volume failed", "err", err)
		return 1
	}
	defer store.Close()
	in := ingest.New(store, log)
	start := time.Now()
	rep, err := volume.Generate(ctx, store, in, vc, time.Now(), log)
	if errors.Is(err, volume.ErrRealData) {
		fmt.Fprintln(stderr, "generate-volume:", err)
		return 2
	}
	printVolume(stdout, rep, time.Since(start))
	if err != nil {
		log.Error("generate-volume failed", "err", err)
		return 1
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
