package main

import (
	"fmt"
	"slices"
	"strings"
)

// Server names: two instances of MKG Graph (the whole-response cache on,
// as by default, and off), PostGraphile v5 and the floor.
const (
	mkgCached   = "mkggraph"
	mkgUncached = "mkggraph-nocache"
	postgraph   = "postgraphile"
	floorServer = "floor"
)

// Roles say what a target's requests/s are compared with.
const (
	roleOurs  = "ours"
	rolePG    = "postgraphile"
	roleFloor = "floor"
	// roleFloorLatest is W1's floor through latest_observations, the table
	// MKG Graph keeps; roleFloor's is the generic LATERAL statement.
	roleFloorLatest = "floor-latest"
	roleHello       = "hello"
)

// w2Station is the station of W2 (Jakarta / Soekarno-Hatta), also named in
// bench/bodies/w2-*.json.
const w2Station = "96749"

// A target is one server asked one shape one way.
type target struct {
	label  string // the table's row
	server string
	path   string // URL path on the server
	body   string // file in bench/bodies
	auth   bool   // send the partner key
	role   string
	norm   normaliser // nil: the answer is not compared
}

// A shape is one question asked of every server.
type shape struct {
	id, title string
	targets   []target
}

func ours(label, server, body string, auth bool, norm normaliser) target {
	return target{label: label, server: server, path: "/graphql", body: body, auth: auth, role: roleOurs, norm: norm}
}

func pgTarget(body string, norm normaliser) target {
	return target{label: "PostGraphile v5", server: postgraph, path: "/graphql", body: body, role: rolePG, norm: norm}
}

func floorTarget(path, body string, norm normaliser) target {
	return target{label: "floor (net/http + lib/pq, one statement)", server: floorServer, path: path, body: body, role: roleFloor, norm: norm}
}

// w1Floors are the dashboard's two floors.
var w1Floors = []target{
	{label: "floor, LATERAL … ORDER BY observed_at DESC LIMIT 1 over observations", server: floorServer, path: "/w1",
		body: "w1-mkggraph.json", role: roleFloor, norm: w1Ours},
	{label: "floor, through latest_observations", server: floorServer, path: "/w1-latest",
		body: "w1-mkggraph.json", role: roleFloorLatest, norm: w1Ours},
}

func helloTarget(body string, norm normaliser) target {
	return target{label: "net/http hello-world (our latestEarthquake answer's bytes)", server: floorServer, path: "/hello", body: body, role: roleHello, norm: norm}
}

var shapes = []shape{
	{id: "W1", title: "dashboard: the first 100 SYNOPTIC stations by name, each with its latest observation (partner key)", targets: []target{
		ours("MKG Graph, response cache on (default)", mkgCached, "w1-mkggraph.json", true, w1Ours),
		ours("MKG Graph, response cache off", mkgUncached, "w1-mkggraph.json", true, w1Ours),
		ours("MKG Graph, response cache off, anonymous (SYNOP_L2 opened)", mkgUncached, "w1-mkggraph.json", false, w1Ours),
		pgTarget("w1-postgraphile.json", w1PostGraphile),
		w1Floors[0], w1Floors[1],
	}},
	{id: "W2", title: "a station by WMO index (" + w2Station + ") with its last 24 observations (partner key)", targets: []target{
		ours("MKG Graph, response cache on (default)", mkgCached, "w2-mkggraph.json", true, w2Ours),
		ours("MKG Graph, response cache off", mkgUncached, "w2-mkggraph.json", true, w2Ours),
		pgTarget("w2-postgraphile.json", w2PostGraphile),
		floorTarget("/w2?wmo="+w2Station+"&first=24", "w2-mkggraph.json", w2Ours),
	}},
	{id: "W3", title: "the latest 50 earthquakes (anonymous)", targets: []target{
		ours("MKG Graph, response cache on (default)", mkgCached, "w3-mkggraph.json", false, w3Ours),
		ours("MKG Graph, response cache off", mkgUncached, "w3-mkggraph.json", false, w3Ours),
		pgTarget("w3-postgraphile.json", w3PostGraphile),
		floorTarget("/w3?first=50", "w3-mkggraph.json", w3Ours),
	}},
	{id: "W4", title: "a page of 50 stations by name (anonymous; a cached read for MKG Graph)", targets: []target{
		ours("MKG Graph, response cache on (default)", mkgCached, "w4-mkggraph.json", false, w4Ours),
		ours("MKG Graph, response cache off", mkgUncached, "w4-mkggraph.json", false, w4Ours),
		pgTarget("w4-postgraphile.json", w4PostGraphile),
		floorTarget("/w4?first=50", "w4-mkggraph.json", w4Ours),
		helloTarget("w4-mkggraph.json", nil),
	}},
	{id: "LE", title: "latestEarthquake (anonymous; a cached read for MKG Graph)", targets: []target{
		ours("MKG Graph, response cache on (default)", mkgCached, "latest-earthquake-mkggraph.json", false, latestEarthquakeOurs),
		ours("MKG Graph, response cache off", mkgUncached, "latest-earthquake-mkggraph.json", false, latestEarthquakeOurs),
		pgTarget("latest-earthquake-postgraphile.json", latestEarthquakePostGraphile),
		helloTarget("latest-earthquake-mkggraph.json", latestEarthquakeOurs),
	}},
}

func shapeIDs() []string {
	var ids []string
	for _, s := range shapes {
		ids = append(ids, s.id)
	}
	return ids
}

// selectShapes reads -shapes: "all" or a comma-separated list of ids.
func selectShapes(spec string) ([]shape, error) {
	if spec == "all" {
		return shapes, nil
	}
	var out []shape
	for _, id := range strings.Split(spec, ",") {
		i := slices.IndexFunc(shapes, func(s shape) bool { return strings.EqualFold(s.id, strings.TrimSpace(id)) })
		if i < 0 {
			return nil, fmt.Errorf("-shapes: unknown shape %q (known: all, %s)", id, strings.Join(shapeIDs(), ", "))
		}
		out = append(out, shapes[i])
	}
	return out, nil
}

// reference is the target the others' answers are compared with.
func (s shape) reference() target { return s.targets[0] }

func (s shape) withRole(role string) (target, bool) {
	for _, t := range s.targets {
		if t.role == role {
			return t, true
		}
	}
	return target{}, false
}
