// Package demo bundles real public sample data (see samples/ATTRIBUTION.md)
// so that a new installation shows stations, observations and earthquakes
// on its first start.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"

	"github.com/bmkg/mkggraph/ingest"
)

//go:embed samples
var samples embed.FS

// Files lists the bundled files in load order: station catalogues first, so
// that observations and nearest-station queries find their stations.
//
// The Cuban bulletin (synop/cuba-…WX.00.txt) is bundled but not loaded: the
// file states only day 31, 00 UTC, not the month or year, and the demo will
// not invent a date. Load it with `mkggraph ingest -reference-time …` when
// you know when it was received.
var Files = []string{
	"stations/indonesia-synop-stations-kensein.json",
	"stations/noaa-isd-history-indonesia-96xxx.csv",
	"stations/bmkg-seismic-sensors.tsv",
	"synop/romania-station_list.csv",
	"synop/cuba-station_list.csv",
	"synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt",
	"earthquakes/bmkg-legacy-gempaterkini-20131108.xml",
	"earthquakes/bmkg-legacy-autogempa-20131108.xml",
	"earthquakes/bmkg-legacy-gempadirasakan-20131107.xml",
	"earthquakes/isc-20041226-sumatra-m6plus.qml",
	"earthquakes/bmkg-repogempa-20081101.html",
	"earthquakes/bmkg-repogempa-20221121.html",
	"earthquakes/bmkg-autogempa-20211005-dompu.json",
	"earthquakes/bmkg-autogempa-20220822-poso.xml",
	"earthquakes/bmkg-realtime-20220925.geojson",
	"earthquakes/bmkg-gempaterkini-20230712.json",
	"earthquakes/bmkg-gempadirasakan-20251224.json",
}

// FS returns the bundled samples.
func FS() fs.FS {
	sub, err := fs.Sub(samples, "samples")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// Load ingests every file of Files and returns their summaries.
func Load(ctx context.Context, in *ingest.Ingester, log *slog.Logger) ([]*ingest.Summary, error) {
	var out []*ingest.Summary
	for _, name := range Files {
		data, err := fs.ReadFile(FS(), name)
		if err != nil {
			return out, err
		}
		s, err := in.File(ctx, path.Base(name), data, ingest.Options{})
		if err != nil {
			return out, fmt.Errorf("demo data %s: %w", name, err)
		}
		log.Info("demo data loaded", "file", s.File, "format", s.Format, "read", s.Read, "inserted", s.Inserted,
			"updated", s.Updated, "unchanged", s.Unchanged, "rejected", len(s.Rejected))
		out = append(out, s)
	}
	return out, nil
}
