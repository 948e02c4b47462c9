package resolvers

import (
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// typedIDs parses a filter's list of IDs of type typ; field names the
// argument in the error, which says what each ID should be.
func typedIDs(ids []string, typ, field, what string) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		n, err := model.ParseTypedID(id, typ)
		if err != nil {
			return nil, mkg.Invalid(field, "%q is not %s", id, what)
		}
		out = append(out, n)
	}
	return out, nil
}

// optional returns nil for a zero value ("", 0), so that the API says null
// rather than "" or 0 for what a source did not state.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

func pageArgs(first *int, after *string) mkg.PageArgs {
	return mkg.PageArgs{First: first, After: after}
}

// pageInfo describes a page of n edges whose i-th cursor is cursor(i).
func pageInfo(after *string, hasNext bool, n int, cursor func(i int) mkg.Cursor) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: after != nil && *after != ""}
	if n > 0 {
		s, e := cursor(0).Encode(), cursor(n-1).Encode()
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}

// edges returns the n edges of a page, edge making each from its item's
// index and encoded cursor, and the page's PageInfo.
func edges[E any](n int, cursor func(i int) mkg.Cursor, hasNext bool, after *string, edge func(i int, cursor string) *E) ([]*E, *model.PageInfo) {
	out := make([]*E, n)
	for i := range out {
		out[i] = edge(i, cursor(i).Encode())
	}
	return out, pageInfo(after, hasNext, n, cursor)
}

func bbox(b *model.BoundingBoxInput) *mkg.BBox {
	if b == nil {
		return nil
	}
	return &mkg.BBox{South: b.South, West: b.West, North: b.North, East: b.East}
}

// circle turns near + radiusKm into a circle. Without a radius the circle
// covers the globe (a pure "nearest first" ordering) when openRadius allows
// it; a radius without a point is always an error.
func circle(near *model.PointInput, radiusKm *float64, openRadius bool) (*mkg.Circle, error) {
	switch {
	case near == nil && radiusKm != nil:
		return nil, mkg.Invalid("filter.radiusKm", "radiusKm needs filter.near, the point to measure from")
	case near == nil:
		return nil, nil
	case radiusKm == nil && !openRadius:
		return nil, mkg.Invalid("filter.radiusKm", "filter.near needs radiusKm, the distance in km")
	}
	c := &mkg.Circle{Center: mkg.Point{Latitude: near.Latitude, Longitude: near.Longitude}, RadiusKm: mkg.MaxRadiusKm}
	if radiusKm != nil {
		c.RadiusKm = *radiusKm
	}
	return c, nil
}

func stationFilter(in *model.StationFilter) (mkg.StationFilter, error) {
	if in == nil {
		return mkg.StationFilter{}, nil
	}
	near, err := circle(in.Near, in.RadiusKm, true)
	if err != nil {
		return mkg.StationFilter{}, err
	}
	f := mkg.StationFilter{Kinds: in.Kinds, Status: in.Status, BBox: bbox(in.Bbox), Near: near}
	if in.WmoIndex != nil {
		f.WMOIndex = *in.WmoIndex
	}
	if in.Search != nil {
		f.Search = *in.Search
	}
	return f, f.Validate()
}

func earthquakeFilter(in *model.EarthquakeFilter) (mkg.EarthquakeFilter, error) {
	if in == nil {
		return mkg.EarthquakeFilter{}, nil
	}
	near, err := circle(in.Near, in.RadiusKm, false)
	if err != nil {
		return mkg.EarthquakeFilter{}, err
	}
	f := mkg.EarthquakeFilter{From: in.From, To: in.To, MinMagnitude: in.MinMagnitude, MaxMagnitude: in.MaxMagnitude,
		MaxDepthKm: in.MaxDepth, BBox: bbox(in.Bbox), Near: near}
	if in.EventID != nil {
		f.EventID = *in.EventID
	}
	return f, nil
}

func observationFilter(in *model.ObservationFilter) (mkg.ObservationFilter, error) {
	if in == nil {
		return mkg.ObservationFilter{}, nil
	}
	f := mkg.ObservationFilter{From: in.From, To: in.To, StationWMOs: in.WmoIndexes}
	if in.IncludeNil != nil {
		f.IncludeNil = *in.IncludeNil
	}
	var err error
	if f.StationIDs, err = typedIDs(in.StationIds, model.TypeStation, "filter.stationIds", "a station ID"); err != nil {
		return f, err
	}
	return f, f.Validate("filter")
}

// pointers returns pointers to list's items, for the list fields whose
// items the schema resolves from pointers; an error passes through.
func pointers[T any](list []T, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out, nil
}

// found turns a loader's nil result into NOT_FOUND.
func found[T any](v *T, err error) (*T, error) {
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, &mkg.Error{Code: mkg.ENOTFOUND, Message: "not found"}
	}
	return v, nil
}

// MaxNearestStations bounds Earthquake.nearestStations(first:).
const MaxNearestStations = 50
