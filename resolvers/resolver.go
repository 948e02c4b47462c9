// Package resolvers implements the GraphQL schema. Resolvers are thin: they
// turn arguments into domain values (validated there) and make one domain
// call, through the request's loaders for anything nested. No SQL, no rules.
package resolvers

import "github.com/bmkg/mkggraph/mkg"

// Resolver holds what the resolvers read from.
type Resolver struct {
	StationData     mkg.StationReader
	ObservationData mkg.ObservationReader
	EarthquakeData  mkg.EarthquakeReader
}
