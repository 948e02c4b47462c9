package volume

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/mkg"
)

// site is a synoptic station as the weather model sees it.
type site struct {
	wmo       string
	id        int64 // the index as a number, for noise keys
	lat, lon  float64
	elevM     float64
	automatic bool // an automatic station (ix 6/7, code tables 4680/4531)
}

// catalogueLists are the bundled real station lists with synoptic
// stations: the agency's directory of Indonesian SYNOP stations, NOAA's
// ISD history of Indonesia (with elevations), and the station lists of
// the two bundled foreign bulletins.
var catalogueLists = []string{
	"stations/indonesia-synop-stations-kensein.json",
	"stations/noaa-isd-history-indonesia-96xxx.csv",
	"synop/romania-station_list.csv",
	"synop/cuba-station_list.csv",
}

// loadSites reads the synoptic stations of the catalogue, loading the
// bundled lists first when it has none.
func (g *generator) loadSites(ctx context.Context) (loaded bool, err error) {
	sites, err := g.synopticStations(ctx)
	if err != nil {
		return false, err
	}
	if len(sites) == 0 {
		g.log.Info("the station catalogue has no synoptic station: loading the bundled real station lists")
		keep := func(name string) bool { return slices.Contains(catalogueLists, name) }
		if _, err := demo.LoadSome(ctx, g.in, g.log, keep); err != nil {
			return false, err
		}
		loaded = true
		if sites, err = g.synopticStations(ctx); err != nil {
			return loaded, err
		}
	}
	// Indonesian stations first, so that a part of the catalogue is the agency's own.
	slices.SortStableFunc(sites, func(a, b site) int { return boolCmp(b.indonesian(), a.indonesian()) })
	if g.cfg.Stations > 0 && g.cfg.Stations < len(sites) {
		sites = sites[:g.cfg.Stations]
	}
	g.sites = sites
	return loaded, nil
}

// synopticStations lists the catalogue's SYNOPTIC stations that have a
// WMO index, in index order.
func (g *generator) synopticStations(ctx context.Context) ([]site, error) {
	var out []site
	page := mkg.Page{Limit: mkg.MaxPageSize}
	for {
		p, err := g.store.Stations(ctx, mkg.StationFilter{Kinds: []mkg.StationKind{mkg.KindSynoptic}}, page)
		if err != nil {
			return nil, err
		}
		for _, e := range p.Edges {
			if s := e.Station; mkg.IsWMOIndex(s.WMOIndex) {
				out = append(out, siteOf(g.cfg.Seed, s))
			}
		}
		if !p.HasNextPage || len(p.Edges) == 0 {
			break
		}
		c := p.Edges[len(p.Edges)-1].Cursor
		page.After = &c
	}
	slices.SortFunc(out, func(a, b site) int { return strings.Compare(a.wmo, b.wmo) })
	return out, nil
}

func siteOf(seed uint64, s *mkg.Station) site {
	id, _ := strconv.ParseInt(s.WMOIndex, 10, 64)
	st := site{wmo: s.WMOIndex, id: id, lat: s.Latitude, lon: s.Longitude, elevM: 10}
	if s.ElevationM != nil && *s.ElevationM > 0 {
		st.elevM = *s.ElevationM
	}
	st.automatic = uniform(key(seed, "automatic", id)) < 0.2
	return st
}

// indonesian reports whether the station is in WMO blocks 96 or 97.
func (s site) indonesian() bool {
	return strings.HasPrefix(s.wmo, "96") || strings.HasPrefix(s.wmo, "97")
}

// heading parts by WMO block: the country's AA and its collecting centre.
func (s site) centre() (aa, cccc string) {
	switch {
	case s.indonesian():
		return "ID", "WIII"
	case strings.HasPrefix(s.wmo, "15"):
		return "RO", "LRBS"
	case strings.HasPrefix(s.wmo, "78"):
		return "CU", "MUHV"
	}
	return "XX", "XXXX"
}

// climateSites are the stations that get climate records: the first n,
// Indonesian ones first as in g.sites.
func climateSites(sites []site, n int) []site { return sites[:min(n, len(sites))] }

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
