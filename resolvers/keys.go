package resolvers

import (
	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/mkg"
)

// shakemapQuery is the loader key of Earthquake.shakemapAt.
func shakemapQuery(q *mkg.Earthquake, lat, lon float64) mkg.ShakemapQuery {
	return mkg.ShakemapQuery{EarthquakeID: q.ID, Point: mkg.Point{Latitude: lat, Longitude: lon}}
}

// nearestKey is the loader key of Earthquake.nearestStations.
func nearestKey(q *mkg.Earthquake, first *int, kinds []mkg.StationKind) (dataloaders.NearestKey, error) {
	n := 5
	if first != nil {
		n = *first
	}
	if n < 0 || n > MaxNearestStations {
		return dataloaders.NearestKey{}, mkg.Invalid("first", "first must be between 0 and %d (got %d)", MaxNearestStations, n)
	}
	for _, k := range kinds {
		if !k.Valid() {
			return dataloaders.NearestKey{}, mkg.Invalid("kinds", "unknown station kind %q", k)
		}
	}
	return dataloaders.NearestKey{Point: q.Point(), N: n, Kinds: dataloaders.KindsKey(kinds)}, nil
}
