package resolvers

import (
	"time"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/mkg"
)

// shakemapQuery is the loader key of Earthquake.shakemapAt.
func shakemapQuery(q *mkg.Earthquake, lat, lon float64) mkg.ShakemapQuery {
	return mkg.ShakemapQuery{EarthquakeID: q.ID, Point: mkg.Point{Latitude: lat, Longitude: lon}}
}

// stationObsKey is the loader key of Station.observations.
func stationObsKey(wmo string, from, to *time.Time, p mkg.Page) dataloaders.StationObsKey {
	key := dataloaders.StationObsKey{WMO: wmo, Limit: p.Limit}
	if from != nil {
		key.From = *from
	}
	if to != nil {
		key.To = *to
	}
	if p.After != nil {
		key.After = *p.After
	}
	return key
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
