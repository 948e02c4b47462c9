// Package demo bundles real public sample data (see samples/ATTRIBUTION.md)
// so that a new installation shows stations, observations, earthquakes and
// radar scans on its first start.
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
// The processed Semarang climate CSV is bundled but not loaded: it does not
// name its station (load it with `mkggraph ingest -station WMO`).
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
	"radar/2013051000000600dBZ.vol",
	"radar/TAG-20120801-140046-02-Z.nc",
	"radar/example_cfradial_ppi.nc",
	"radar/Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc",
	"climate/bmkg-dataonline-96733-klimatologi-banten-202309.xlsx",
	"climate/bmkg-dataonline-97182-maritim-paotere-RR-202011-202101.xlsx",
	"air-quality/jakarta-ispu-dki1-bundaran-hi-2010-2021.csv",
	"air-quality/aqicn-jakarta-central-us-consulate-daily-aqi.csv",
	"strong-motion/bmkg-shakemap-20171016085300-grid.xml",
	"strong-motion/bmkg-shakemap-20171016085300-stationlist.xml",
	"strong-motion/bmkg-shakemap-20171016085300-info.xml",
	"strong-motion/bmkg-shakemap-bmg2010attp-stationlist.xml",
	"strong-motion/bmkg-shakemap-bmg2010attp-info.xml",
	"strong-motion/knet-us2000cnnl/AOM0011801241951.EW",
	"strong-motion/knet-us2000cnnl/AOM0011801241951.NS",
	"strong-motion/knet-us2000cnnl/AOM0011801241951.UD",
	"strong-motion/sac-ci38457511/20190706031952.CJ.T001230.HNE.sac",
	"strong-motion/sac-ci38457511/20190706031952.CJ.T001230.HNN.sac",
	"strong-motion/sac-ci38457511/20190706031952.CJ.T001230.HNZ.sac",
	"strong-motion/mseed-nc72282711/BK.CMB.00.HNE__20140824T102014Z__20140824T102244Z.mseed",
	"strong-motion/mseed-nc72282711/BK.CMB.00.HNN__20140824T102014Z__20140824T102244Z.mseed",
	"strong-motion/mseed-nc72282711/BK.CMB.00.HNZ__20140824T102014Z__20140824T102244Z.mseed",
	"lightning/nea-sg-lightning_2025-04-10.csv",
	"lightning/nea-sg-lightning_2025-04-18.csv",
	"lightning/OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc",
}

// extra is what some files need beyond their contents: the aqicn.org
// export does not name its monitor (the source names it: the US
// consulate's monitor in Central Jakarta); SAC samples are in g (the CSN's
// unit) and belong to the event of their folder's event.json; miniSEED
// needs its StationXML.
type extra struct {
	opt              ingest.Options
	inventory, event string // bundled files
}

func extraFor(name string) extra {
	switch dir := path.Dir(name); {
	case name == "air-quality/aqicn-jakarta-central-us-consulate-daily-aqi.csv":
		return extra{opt: ingest.Options{Station: "aqicn-jakarta-central-us-consulate"}}
	case dir == "strong-motion/sac-ci38457511":
		return extra{opt: ingest.Options{SACUnit: "g"}, event: dir + "/event.json"}
	case dir == "strong-motion/mseed-nc72282711":
		return extra{inventory: dir + "/BK.CMB.xml", event: dir + "/event.json"}
	}
	return extra{}
}

// options reads the bundled files a file's extra names.
func options(name string) (ingest.Options, error) {
	e := extraFor(name)
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{e.inventory, &e.opt.Inventory}, {e.event, &e.opt.Event}} {
		if f.name == "" {
			continue
		}
		b, err := fs.ReadFile(FS(), f.name)
		if err != nil {
			return e.opt, err
		}
		*f.dst = b
	}
	return e.opt, nil
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
	return LoadSome(ctx, in, log, nil)
}

// LoadSome ingests the files of Files that keep accepts (all when keep is
// nil), in order.
func LoadSome(ctx context.Context, in *ingest.Ingester, log *slog.Logger, keep func(name string) bool) ([]*ingest.Summary, error) {
	var out []*ingest.Summary
	for _, name := range Files {
		if keep != nil && !keep(name) {
			continue
		}
		data, err := fs.ReadFile(FS(), name)
		if err != nil {
			return out, err
		}
		opt, err := options(name)
		if err != nil {
			return out, err
		}
		s, err := in.File(ctx, path.Base(name), data, opt)
		if err != nil {
			return out, fmt.Errorf("demo data %s: %w", name, err)
		}
		log.Info("demo data loaded", "file", s.File, "format", s.Format, "read", s.Read, "inserted", s.Inserted,
			"updated", s.Updated, "unchanged", s.Unchanged, "rejected", len(s.Rejected))
		out = append(out, s)
	}
	return out, nil
}
