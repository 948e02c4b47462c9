package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"github.com/bmkg/mkggraph/mkg"
)

// cacheable lists the resolver fields whose answer is a function of their
// parent, their arguments and the data of the named generations only: no
// clock, no caller identity beyond its rights (the cache key's scope), no
// data outside those generations. A response may be cached only when every
// resolver field it ran is listed; any other resolver (mutations, viewer,
// download links, tickets, kinds whose writes advance no generation) makes
// it uncacheable. Fields that are not resolvers read their parent only.
var cacheable = map[string]map[string][]string{
	"Query": {
		"stations": {mkg.GenStations}, "station": {mkg.GenStations}, "stationByWmo": {mkg.GenStations},
		"observations": {mkg.GenObservations}, "earthquakes": {mkg.GenEarthquakes}, "earthquake": {mkg.GenEarthquakes},
		"latestEarthquake": {mkg.GenEarthquakes},
		// gqlgen's federation runtime, not a resolver of ours, but it reads
		// entities of these kinds (noteField).
		entitiesField: {mkg.GenStations, mkg.GenObservations, mkg.GenEarthquakes},
	},
	"StationConnection": {"totalCount": {mkg.GenStations}},
	"Station": {
		"id": nil, "wmoIndex": nil, "region": nil, "country": nil, "history": {mkg.GenStations},
		"latestObservation": {mkg.GenObservations}, "observations": {mkg.GenObservations},
	},
	"StationEpoch":          {"description": nil},
	"ObservationConnection": {"totalCount": {mkg.GenObservations}},
	"Observation":           {"id": nil, "raw": nil, "station": {mkg.GenStations}},
	"BulletinHeading":       {"bbb": nil},
	"SynopDecoded":          {"region": nil, "windSpeedUnit": nil},
	"Wind":                  {"reportedUnit": nil},
	"TemperatureExtreme":    {"note": nil},
	"SnowDepth":             {"description": nil},
	"EarthquakeConnection":  {"totalCount": {mkg.GenEarthquakes}},
	"Earthquake": {
		"id": nil, "eventId": nil, "magnitudeType": nil, "region": nil, "tsunamiPotential": nil, "feltText": nil,
		"shakemapUrl": nil, "evaluationStatus": nil, "nearestStations": {mkg.GenStations},
	},
	"EarthquakeSource": {"sourceEventId": nil},
}

// Dependencies collects, while one request runs, the generations its
// response depends on, or that it cannot be cached at all.
type Dependencies struct {
	mu          sync.Mutex
	names       map[string]bool
	uncacheable bool
	restricted  bool // a field needed more than data open to all (Restricted)
}

type dependenciesKey struct{}

// WithDependencies returns ctx carrying a new, empty collection.
func WithDependencies(ctx context.Context) (context.Context, *Dependencies) {
	d := &Dependencies{names: map[string]bool{mkg.GenAccess: true}}
	return context.WithValue(ctx, dependenciesKey{}, d), d
}

func dependenciesFrom(ctx context.Context) *Dependencies {
	d, _ := ctx.Value(dependenciesKey{}).(*Dependencies)
	return d
}

// Names returns the generations the response depends on (the access
// generation always), or ok=false when it must not be cached.
func (d *Dependencies) Names() (names []string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.uncacheable {
		return nil, false
	}
	for n := range d.names {
		names = append(names, n)
	}
	return names, true
}

func (d *Dependencies) add(names []string) {
	d.mu.Lock()
	for _, n := range names {
		d.names[n] = true
	}
	d.mu.Unlock()
}

func (d *Dependencies) spoil() {
	d.mu.Lock()
	d.uncacheable = true
	d.mu.Unlock()
}

func (d *Dependencies) restrict() {
	d.mu.Lock()
	d.restricted = true
	d.mu.Unlock()
}

// Restricted reports whether a field of the response needed a role, or a
// dataset not open to all: the response is then the caller's own, not to
// be shared with other callers by an HTTP cache.
func (d *Dependencies) Restricted() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.restricted
}

// noteRequirement records a requirement a field of the response passed.
func noteRequirement(ctx context.Context, p *mkg.Principal, r Requirement) {
	if d := dependenciesFrom(ctx); d != nil && !p.OpenToAll(r.Datasets, r.Roles) {
		d.restrict()
	}
}

// Uncacheable marks the response of ctx's request as not to be cached (an
// error was reported).
func Uncacheable(ctx context.Context) {
	if d := dependenciesFrom(ctx); d != nil {
		d.spoil()
	}
}

// noteField records what a resolver field reads; the Authorizer's field
// middleware calls it for every field.
func noteField(ctx context.Context, fc *graphql.FieldContext) {
	if !fc.IsResolver && (fc.Object != "Query" || fc.Field.Name != entitiesField) {
		return
	}
	d := dependenciesFrom(ctx)
	if d == nil {
		return
	}
	if names, ok := cacheable[fc.Object][fc.Field.Name]; ok {
		d.add(names)
	} else {
		d.spoil()
	}
}
