package ingest

import (
	"context"

	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/format/bmkgquake"
	"github.com/bmkg/mkggraph/format/bmkgrealtime"
	"github.com/bmkg/mkggraph/format/isd"
	"github.com/bmkg/mkggraph/format/quakeml"
	"github.com/bmkg/mkggraph/format/repogempa"
	"github.com/bmkg/mkggraph/format/seismicsensors"
	"github.com/bmkg/mkggraph/format/synop"
	"github.com/bmkg/mkggraph/format/synopstations"
	"github.com/bmkg/mkggraph/format/wis2stations"
)

// format is one input format ingest understands.
type format struct {
	name       string
	describe   string
	detect     func(head []byte) bool
	run        func(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error
	namespaces []string // cached data the format changes
}

// formats, in the order they are tried. Each detector looks for its
// format's own signature, so the order only matters for ambiguous inputs.
var formats = []format{
	{"synop", "WMO FM-12 SYNOP bulletins", synop.Detect, ingestSynop, nil},
	{"bmkg-infogempa", "BMKG autogempa / gempaterkini / gempadirasakan, JSON or XML, current or legacy", bmkgquake.Detect, ingestBMKGQuake, []string{cache.Earthquakes}},
	{"bmkg-realtime", "BMKG realtime earthquake GeoJSON", bmkgrealtime.Detect, ingestRealtime, []string{cache.Earthquakes}},
	{"bmkg-repogempa", "BMKG repogempa catalogue page (HTML)", repogempa.Detect, ingestRepogempa, []string{cache.Earthquakes}},
	{"quakeml", "QuakeML 1.2 event catalogue", quakeml.Detect, ingestQuakeML, []string{cache.Earthquakes}},
	{"noaa-isd", "NOAA NCEI ISD station history CSV", isd.Detect, ingestISD, []string{cache.Stations}},
	{"wis2box-stations", "WIS2 / wis2box station_list.csv", wis2stations.Detect, ingestWIS2, []string{cache.Stations}},
	{"synop-station-directory", "JSON directory of SYNOP stations keyed by WMO index", synopstations.Detect, ingestSynopStations, []string{cache.Stations}},
	{"bmkg-seismic-sensors", "BMKG seismic / accelerograph sensor TSV", seismicsensors.Detect, ingestSeismic, []string{cache.Stations}},
}

// sniffBytes is how much of a file the detectors see.
const sniffBytes = 16 << 10

func detect(data []byte) *format {
	head := data[:min(len(data), sniffBytes)]
	for i := range formats {
		if formats[i].detect(head) {
			return &formats[i]
		}
	}
	return nil
}
