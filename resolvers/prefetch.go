package resolvers

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/mkg"
)

// prefetcher looks ahead into the query when a list resolver has its page,
// and loads everything the query asks of the page's items through the
// request's loaders with one LoadAll per kind of read. The nested resolvers
// then find their data in the loaders' caches. Batching by the loaders'
// time window alone depends on how fast sibling resolvers start, which
// varies with load; looking ahead makes "one statement per kind of read"
// hold whatever the timing. Errors are left in the loaders' caches for the
// nested resolvers to report at their own paths.
type prefetcher struct {
	ctx context.Context
	op  *graphql.OperationContext
	l   *dataloaders.Loaders
}

func prefetch(ctx context.Context) *prefetcher {
	return &prefetcher{ctx: ctx, op: graphql.GetOperationContext(ctx), l: dataloaders.For(ctx)}
}

// here returns the current field's selection set.
func (p *prefetcher) here() []ast.SelectionSet {
	return []ast.SelectionSet{graphql.GetFieldContext(p.ctx).Field.Selections}
}

// fields returns the fields selected in sets on an object of type typ (and
// the interfaces it implements), fragments and @skip/@include applied.
func (p *prefetcher) fields(sets []ast.SelectionSet, typ ...string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, s := range sets {
		out = append(out, graphql.CollectFields(p.op, s, typ)...)
	}
	return out
}

// child returns the selection sets of the fields named name in sets.
func (p *prefetcher) child(sets []ast.SelectionSet, name string, typ ...string) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, f := range p.fields(sets, typ...) {
		if f.Name == name {
			out = append(out, f.Selections)
		}
	}
	return out
}

// nodes returns the selection sets of edges.node in a connection.
func (p *prefetcher) nodes(sets []ast.SelectionSet, conn, edge string) []ast.SelectionSet {
	return p.child(p.child(sets, "edges", conn), "node", edge)
}

func (p *prefetcher) stations(sets []ast.SelectionSet, list []*mkg.Station) {
	if len(sets) == 0 || len(list) == 0 {
		return
	}
	var ids []int64
	var wmos []string
	for _, st := range list {
		p.l.StationByID.Prime(st.ID, st)
		ids = append(ids, st.ID)
		if st.WMOIndex != "" {
			p.l.StationByWMO.Prime(st.WMOIndex, st)
			wmos = append(wmos, st.WMOIndex)
		}
	}
	for _, f := range p.fields(sets, "Station", "Node") {
		switch f.Name {
		case "history":
			p.l.StationHistory.LoadAll(p.ctx, ids)
		case "latestObservation":
			obs, _ := p.l.LatestObservation.LoadAll(p.ctx, wmos)
			p.observations([]ast.SelectionSet{f.Selections}, obs)
		case "observations":
			p.stationObservations(f, list)
		case "climate":
			p.stationClimate(f, wmos)
		}
	}
}

// stationClimate loads Station.climate of every station of the page.
func (p *prefetcher) stationClimate(f graphql.CollectedField, wmos []string) {
	args := f.ArgumentMap(p.op.Variables)
	from, to := argTime(args, "from"), argTime(args, "to")
	if from == nil || to == nil {
		return // the resolver reports the bad argument
	}
	keys := make([]dataloaders.ClimateKey, len(wmos))
	for i, w := range wmos {
		keys[i] = dataloaders.ClimateKey{WMO: w, From: from.UTC(), To: to.UTC()}
	}
	p.l.StationClimate.LoadAll(p.ctx, keys)
}

// groundMotions loads Earthquake.groundMotions of a page, and the
// catalogue stations and earthquakes the records name when asked for.
func (p *prefetcher) groundMotions(f graphql.CollectedField, list []*mkg.Earthquake) {
	ids := make([]int64, len(list))
	for i, q := range list {
		ids[i] = q.ID
	}
	lists, _ := p.l.GroundMotions.LoadAll(p.ctx, ids)
	var stations, quakes []int64
	for _, l := range lists {
		for _, g := range l {
			if g.StationID != nil {
				stations = append(stations, *g.StationID)
			}
			if g.EarthquakeID != nil {
				quakes = append(quakes, *g.EarthquakeID)
			}
		}
	}
	sets := []ast.SelectionSet{f.Selections}
	if len(p.child(sets, "catalogueStation", "GroundMotion")) > 0 && len(stations) > 0 {
		p.l.StationByID.LoadAll(p.ctx, stations)
	}
	if len(p.child(sets, "earthquake", "GroundMotion")) > 0 && len(quakes) > 0 {
		p.l.EarthquakeByID.LoadAll(p.ctx, quakes)
	}
}

func (p *prefetcher) stationObservations(f graphql.CollectedField, list []*mkg.Station) {
	args := f.ArgumentMap(p.op.Variables)
	from, to := argTime(args, "from"), argTime(args, "to")
	page, err := pageArgs(argInt(args, "first"), argString(args, "after")).Resolve(mkg.OrderObservationTime)
	if err != nil || (from == nil && args["from"] != nil) || (to == nil && args["to"] != nil) {
		return // the resolver reports the bad argument
	}
	var keys []dataloaders.StationObsKey
	for _, st := range list {
		if st.WMOIndex != "" {
			keys = append(keys, stationObsKey(st.WMOIndex, from, to, page))
		}
	}
	sets := []ast.SelectionSet{f.Selections}
	if len(p.child(sets, "totalCount", "ObservationConnection")) > 0 {
		p.l.StationObsCount.LoadAll(p.ctx, countKeys(keys))
	}
	if nodeSets := p.nodes(sets, "ObservationConnection", "ObservationEdge"); len(nodeSets) > 0 {
		pages, _ := p.l.StationObs.LoadAll(p.ctx, keys)
		var obs []*mkg.Observation
		for _, pg := range pages {
			if pg != nil {
				for _, e := range pg.Edges {
					obs = append(obs, e.Observation)
				}
			}
		}
		p.observations(nodeSets, obs)
	}
}

func (p *prefetcher) observations(sets []ast.SelectionSet, list []*mkg.Observation) {
	list = slices.DeleteFunc(slices.Clone(list), func(o *mkg.Observation) bool { return o == nil })
	if len(sets) == 0 || len(list) == 0 {
		return
	}
	for _, f := range p.fields(sets, "Observation", "Node") {
		if f.Name != "station" {
			continue
		}
		wmos := make([]string, len(list))
		for i, o := range list {
			wmos[i] = o.StationWMO
		}
		stations, _ := p.l.StationByWMO.LoadAll(p.ctx, wmos)
		p.stations([]ast.SelectionSet{f.Selections}, nonNil(stations))
	}
}

func (p *prefetcher) earthquakes(sets []ast.SelectionSet, list []*mkg.Earthquake) {
	if len(sets) == 0 || len(list) == 0 {
		return
	}
	for _, f := range p.fields(sets, "Earthquake", "Node") {
		switch f.Name {
		case "groundMotions":
			p.groundMotions(f, list)
			continue
		case "shakemapAt":
			args := f.ArgumentMap(p.op.Variables)
			lat, lon := argFloat(args, "latitude"), argFloat(args, "longitude")
			if lat == nil || lon == nil {
				continue
			}
			qs := make([]mkg.ShakemapQuery, len(list))
			for i, q := range list {
				qs[i] = shakemapQuery(q, *lat, *lon)
			}
			p.l.ShakemapAt.LoadAll(p.ctx, qs)
			continue
		case "sources":
			ids := make([]int64, len(list))
			for i, q := range list {
				ids[i] = q.ID
			}
			p.l.QuakeSources.LoadAll(p.ctx, ids)
			continue
		}
		if f.Name != "nearestStations" {
			continue
		}
		args := f.ArgumentMap(p.op.Variables)
		kinds := argKinds(args, "kinds")
		keys := make([]dataloaders.NearestKey, 0, len(list))
		for _, q := range list {
			k, err := nearestKey(q, argInt(args, "first"), kinds)
			if err != nil {
				return
			}
			keys = append(keys, k)
		}
		lists, _ := p.l.Nearest.LoadAll(p.ctx, keys)
		var stations []*mkg.Station
		for _, l := range lists {
			for i := range l {
				stations = append(stations, l[i].Station)
			}
		}
		p.stations(p.child([]ast.SelectionSet{f.Selections}, "station", "StationDistance"), stations)
	}
}

// shakemapQuery is the loader key of Earthquake.shakemapAt.
func shakemapQuery(q *mkg.Earthquake, lat, lon float64) mkg.ShakemapQuery {
	return mkg.ShakemapQuery{EarthquakeID: q.ID, Point: mkg.Point{Latitude: lat, Longitude: lon}}
}

// stationObsKey is the loader key of Station.observations; the resolver and
// the prefetcher build it the same way so the prefetched page is found.
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

func countKeys(keys []dataloaders.StationObsKey) []dataloaders.StationObsKey {
	out := make([]dataloaders.StationObsKey, len(keys))
	for i, k := range keys {
		out[i] = dataloaders.StationObsKey{WMO: k.WMO, From: k.From, To: k.To, IncludeNil: k.IncludeNil}
	}
	return out
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

func nonNil[T any](list []*T) []*T {
	return slices.DeleteFunc(slices.Clone(list), func(v *T) bool { return v == nil })
}

// argInt reads an Int argument as gqlgen does.
func argInt(args map[string]any, name string) *int {
	n := argNumber(args, name, func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) })
	if n == nil {
		return nil
	}
	i := int(*n)
	return &i
}

// argFloat reads a Float argument as gqlgen does (a literal's or a JSON
// number's text through strconv.ParseFloat), so that a loader key made
// from it equals the resolver's.
func argFloat(args map[string]any, name string) *float64 {
	return argNumber(args, name, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) })
}

// argNumber reads a number argument. Argument values in an ArgumentMap are
// int64 (or float64) for literals and json.Number for variables (gqlgen
// decodes variables with UseNumber), which parse reads.
func argNumber[T int64 | float64](args map[string]any, name string, parse func(string) (T, error)) *T {
	var n T
	switch v := args[name].(type) {
	case int64:
		n = T(v)
	case int:
		n = T(v)
	case float64:
		n = T(v)
	case json.Number:
		var err error
		if n, err = parse(string(v)); err != nil {
			return nil
		}
	default:
		return nil
	}
	return &n
}

func argString(args map[string]any, name string) *string {
	if s, ok := args[name].(string); ok {
		return &s
	}
	return nil
}

func argTime(args map[string]any, name string) *time.Time {
	s, ok := args[name].(string)
	if !ok {
		return nil
	}
	t, err := model.UnmarshalDateTime(s)
	if err != nil {
		return nil
	}
	return &t
}

func argKinds(args map[string]any, name string) []mkg.StationKind {
	list, _ := args[name].([]any)
	var out []mkg.StationKind
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, mkg.StationKind(s))
		}
	}
	return out
}
