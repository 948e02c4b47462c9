package resolvers

import (
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

func stationConnection(page *mkg.StationPage, f mkg.StationFilter, after *string) *model.StationConnection {
	c := &model.StationConnection{Filter: f}
	c.Edges, c.PageInfo = edges(len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor }, page.HasNextPage, after,
		func(i int, cursor string) *model.StationEdge {
			return &model.StationEdge{Cursor: cursor, Node: page.Edges[i].Station, DistanceKm: page.Edges[i].DistanceKm}
		})
	return c
}

func observationConnection(page *mkg.ObservationPage, f mkg.ObservationFilter, wmo string, after *string) *model.ObservationConnection {
	c := &model.ObservationConnection{Filter: f, StationWMO: wmo}
	c.Edges, c.PageInfo = edges(len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor }, page.HasNextPage, after,
		func(i int, cursor string) *model.ObservationEdge {
			return &model.ObservationEdge{Cursor: cursor, Node: page.Edges[i].Observation}
		})
	return c
}

func earthquakeConnection(page *mkg.EarthquakePage, f mkg.EarthquakeFilter, after *string) *model.EarthquakeConnection {
	c := &model.EarthquakeConnection{Filter: f}
	c.Edges, c.PageInfo = edges(len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor }, page.HasNextPage, after,
		func(i int, cursor string) *model.EarthquakeEdge {
			return &model.EarthquakeEdge{Cursor: cursor, Node: page.Edges[i].Earthquake, DistanceKm: page.Edges[i].DistanceKm}
		})
	return c
}

func stationsOf(page *mkg.StationPage) []*mkg.Station {
	out := make([]*mkg.Station, len(page.Edges))
	for i, e := range page.Edges {
		out[i] = e.Station
	}
	return out
}
