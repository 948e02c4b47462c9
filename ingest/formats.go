package ingest

import (
	"context"

	"github.com/bmkg/mkggraph/format/aqicn"
	"github.com/bmkg/mkggraph/format/bmkgquake"
	"github.com/bmkg/mkggraph/format/bmkgrealtime"
	"github.com/bmkg/mkggraph/format/dataonline"
	"github.com/bmkg/mkggraph/format/glm"
	"github.com/bmkg/mkggraph/format/isd"
	"github.com/bmkg/mkggraph/format/ispu"
	"github.com/bmkg/mkggraph/format/nealightning"
	"github.com/bmkg/mkggraph/format/quakeml"
	"github.com/bmkg/mkggraph/format/rainbow"
	"github.com/bmkg/mkggraph/format/repogempa"
	"github.com/bmkg/mkggraph/format/seismicsensors"
	"github.com/bmkg/mkggraph/format/synop"
	"github.com/bmkg/mkggraph/format/synopstations"
	"github.com/bmkg/mkggraph/format/wis2stations"
)

// format is one input format ingest understands.
type format struct {
	name     string
	describe string
	detect   func(head []byte) bool
	run      func(ctx context.Context, in *Ingester, name string, data []byte, opt Options, s *Summary) error
	whole    bool // the detector needs the whole file (a zip's index is at its end)
}

// formats, in the order they are tried. Each detector looks for its
// format's own signature, so the order only matters for ambiguous inputs.
var formats = []format{
	{"synop", "WMO FM-12 SYNOP bulletins", synop.Detect, ingestSynop, false},
	{"bmkg-infogempa", "BMKG autogempa / gempaterkini / gempadirasakan, JSON or XML, current or legacy", bmkgquake.Detect, ingestBMKGQuake, false},
	{"bmkg-realtime", "BMKG realtime earthquake GeoJSON", bmkgrealtime.Detect, ingestRealtime, false},
	{"bmkg-repogempa", "BMKG repogempa catalogue page (HTML)", repogempa.Detect, ingestRepogempa, false},
	{"quakeml", "QuakeML 1.2 event catalogue", quakeml.Detect, ingestQuakeML, false},
	{"noaa-isd", "NOAA NCEI ISD station history CSV", isd.Detect, ingestISD, false},
	{"wis2box-stations", "WIS2 / wis2box station_list.csv", wis2stations.Detect, ingestWIS2, false},
	{"synop-station-directory", "JSON directory of SYNOP stations keyed by WMO index", synopstations.Detect, ingestSynopStations, false},
	{"bmkg-seismic-sensors", "BMKG seismic / accelerograph sensor TSV", seismicsensors.Detect, ingestSeismic, false},
	{"rainbow5", "Gematronik/Leonardo Rainbow 5 radar volume (.vol/.azi/.ele)", rainbow.Detect, ingestRainbow, false},
	{"wdss2-netcdf", "WDSS-II radar RadialSet in classic netCDF (CDF-1/2/5)", detectClassicNetCDF, ingestWDSS2, false},
	{"bmkg-dataonline", "BMKG Data Online daily climate export (.xlsx) or its CSV", dataonline.Detect, ingestClimate, true},
	{"jakarta-ispu", "Daily ISPU (Indonesian air-pollution index) CSV of DKI Jakarta stations", ispu.Detect, ingestISPU, false},
	{"aqicn", "aqicn.org (WAQI) daily AQI export CSV", aqicn.Detect, ingestAQICN, false},
	{"knet-ascii", "K-NET / KiK-net ASCII accelerogram (NIED)", detectKNET, ingestKNET, false},
	{"miniseed", "miniSEED 2.4 or 3 accelerogram (needs -inventory StationXML; -event event.json to link it)", detectMiniSEED, ingestMiniSEED, false},
	{"shakemap", "ShakeMap 3.5 grid.xml, stationlist.xml or info.xml (BMKG ShakeMap)", detectShakemap, ingestShakemap, false},
	{"nea-lightning", "NEA Singapore lightning CSV (data.gov.sg)", nealightning.Detect, ingestNEALightning, false},
	{"goes-glm", "GOES-R GLM Level 2 lightning (LCFA) netCDF-4", glm.Detect, ingestGLM, false},
	{"cfradial-netcdf4", "CfRadial radar data in netCDF-4/HDF5", detectHDF5, ingestCfRadial, false},
	// Binary SAC's only signature is a small integer (the header version)
	// at byte 304, which any binary file may hold: tried last.
	{"sac", "SAC accelerogram, binary (either byte order, header version 6 or 7) or alphanumeric (needs -sac-unit)", detectSAC, ingestSAC, false},
}

// sniffBytes is how much of a file the detectors see.
const sniffBytes = 16 << 10

func detect(data []byte) *format {
	head := data[:min(len(data), sniffBytes)]
	for i := range formats {
		in := head
		if formats[i].whole {
			in = data
		}
		if formats[i].detect(in) {
			return &formats[i]
		}
	}
	return nil
}

// Detect names the format File would read data (a file called name) in,
// or "" when it recognises none; nothing is parsed or stored.
func Detect(name string, data []byte) string {
	if _, ok, _ := satelliteName(name); ok {
		return "himawari"
	}
	if f := detect(data); f != nil {
		return f.name
	}
	return ""
}

// FormatNames are the names of the formats File recognises.
func FormatNames() []string {
	names := []string{"himawari"}
	for _, f := range formats {
		names = append(names, f.name)
	}
	return names
}
