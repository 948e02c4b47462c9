package resolvers

import (
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

func stationConnection(page *mkg.StationPage, f mkg.StationFilter, after *string) *model.StationConnection {
	c := &model.StationConnection{Filter: f, Edges: make([]*model.StationEdge, len(page.Edges))}
	for i, e := range page.Edges {
		c.Edges[i] = &model.StationEdge{Cursor: e.Cursor.Encode(), Node: e.Station, DistanceKm: e.DistanceKm}
	}
	c.PageInfo = pageInfo(after, page.HasNextPage, len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor })
	return c
}

func observationConnection(page *mkg.ObservationPage, f mkg.ObservationFilter, wmo string, after *string) *model.ObservationConnection {
	c := &model.ObservationConnection{Filter: f, StationWMO: wmo, Edges: make([]*model.ObservationEdge, len(page.Edges))}
	for i, e := range page.Edges {
		c.Edges[i] = &model.ObservationEdge{Cursor: e.Cursor.Encode(), Node: e.Observation}
	}
	c.PageInfo = pageInfo(after, page.HasNextPage, len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor })
	return c
}

func earthquakeConnection(page *mkg.EarthquakePage, f mkg.EarthquakeFilter, after *string) *model.EarthquakeConnection {
	c := &model.EarthquakeConnection{Filter: f, Edges: make([]*model.EarthquakeEdge, len(page.Edges))}
	for i, e := range page.Edges {
		c.Edges[i] = &model.EarthquakeEdge{Cursor: e.Cursor.Encode(), Node: e.Earthquake, DistanceKm: e.DistanceKm}
	}
	c.PageInfo = pageInfo(after, page.HasNextPage, len(page.Edges), func(i int) mkg.Cursor { return page.Edges[i].Cursor })
	return c
}

func stationsOf(page *mkg.StationPage) []*mkg.Station {
	out := make([]*mkg.Station, len(page.Edges))
	for i, e := range page.Edges {
		out[i] = e.Station
	}
	return out
}
