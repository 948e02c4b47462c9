package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/mkg"
)

// TestClimateLevels: Level 1 days are restricted (CLIMATE_L1), Level 2
// summaries need an account (CLIMATE_L2); values agree with the Data
// Online export, 8888 stays a flag.
func TestClimateLevels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		q := `{ stationByWmo(wmoIndex: "97182") { id name climate(from: "2020-11-20T00:00:00Z", to: "2020-11-30T00:00:00Z") {
			date rainfall { value flag } meanTemperature { flag } } } }`
		anon := post(t, srv.URL, q, nil)
		if anon.code(0) != "UNAUTHENTICATED" || dig(anon.Data, "stationByWmo", "name") == nil {
			t.Fatalf("anonymous: %s", anon.Raw)
		}
		if r := postAs(t, srv.URL, c.none, q, nil); r.code(0) != "FORBIDDEN" {
			t.Fatalf("account without CLIMATE_L1: %s", r.Raw)
		}
		d := mustData(t, postAs(t, srv.URL, c.full, q, nil))
		days := dig(d, "stationByWmo", "climate").([]any)
		if len(days) != 11 || dig(days[0], "date") != "2020-11-20" || dig(days[0], "rainfall", "value") != 3.0 {
			t.Fatalf("Paotere days: %v", days)
		}
		// 2020-11-23 is 8888 in the export: a flag, never a number.
		if r := dig(days[3], "rainfall"); dig(r, "flag") != "NOT_MEASURABLE" || dig(r, "value") != nil {
			t.Fatalf("2020-11-23 rainfall %v", r)
		}
		if dig(days[0], "meanTemperature", "flag") != "MISSING" {
			t.Fatalf("a parameter the export lacks must be MISSING: %v", days[0])
		}
		id := dig(d, "stationByWmo", "id")
		sq := fmt.Sprintf(`{ climateSummary(station: %q, period: MONTH, from: "2020-12-01T00:00:00Z", to: "2020-12-31T00:00:00Z") {
			period start days rainDays statistics { parameter unit validDays notMeasurableDays total incomplete } } }`, id)
		if r := post(t, srv.URL, sq, nil); r.code(0) != "UNAUTHENTICATED" {
			t.Fatalf("anonymous summary: %s", r.Raw)
		}
		sum := dig(mustData(t, postAs(t, srv.URL, c.none, sq, nil)), "climateSummary", 0).(map[string]any)
		var rr map[string]any
		for _, st := range sum["statistics"].([]any) {
			if dig(st, "parameter") == "RR" {
				rr = st.(map[string]any)
			}
		}
		if sum["days"] != 31.0 || rr["validDays"] != 31.0 || rr["notMeasurableDays"] != 3.0 || rr["total"] == nil || sum["rainDays"] == nil {
			t.Fatalf("December 2020 at Paotere: %v, RR %v", sum, rr)
		}
	})
}

// TestLightningQueries: strikes in a box and window, and the density grid
// counted in SQL, only with LIGHTNING.
func TestLightningQueries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		box := `bbox: {south: 0.5, west: 103, north: 2, east: 104.5}, from: "2025-04-09T00:00:00Z", to: "2025-04-11T00:00:00Z"`
		q := `{ lightningStrikes(` + box + `, first: 500) { edges { node { time latitude longitude type network } } pageInfo { hasNextPage } }
			lightningDensity(` + box + `, cellSizeKm: 10) { rows columns total cells { row column count south west } } }`
		if r := postAs(t, srv.URL, c.none, q, nil); r.code(0) != "FORBIDDEN" || r.Data["lightningStrikes"] != nil {
			t.Fatalf("account without LIGHTNING: %s", r.Raw)
		}
		d := mustData(t, postAs(t, srv.URL, c.full, q, nil))
		edges := dig(d, "lightningStrikes", "edges").([]any)
		if len(edges) != 265 || dig(edges[0], "node", "network") != "NEA-SG" || dig(edges[0], "node", "time") != "2025-04-09T15:58:19.32Z" {
			t.Fatalf("%d strikes of 2025-04-10, first %v", len(edges), edges[0])
		}
		total := dig(d, "lightningDensity", "total").(float64)
		if total != 265 {
			t.Fatalf("density total %v, want the 265 strikes", total)
		}
		sum := 0.0
		for _, cell := range dig(d, "lightningDensity", "cells").([]any) {
			sum += dig(cell, "count").(float64)
		}
		if sum != 265 {
			t.Fatalf("cells add up to %v", sum)
		}
		bad := postAs(t, srv.URL, c.full, `{ lightningDensity(bbox: {south: -11, west: 94, north: 6, east: 142}, from: "2025-01-01T00:00:00Z", to: "2025-01-02T00:00:00Z", cellSizeKm: 0.6) { total } }`, nil)
		if bad.code(0) != "BAD_USER_INPUT" || !strings.Contains(bad.Raw, "cellSizeKm") {
			t.Fatalf("too many cells: %s", bad.Raw)
		}
	})
}

// TestAirQualityLevels: the daily index is open by default (AIR_QUALITY_L2),
// the values as received restricted (AIR_QUALITY_L1).
func TestAirQualityLevels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		q := `{ airQualityStation(code: "DKI1") { name operator
			dailyIndex(from: "2021-12-31T00:00:00Z", to: "2021-12-31T00:00:00Z") { date ispu category criticalPollutants regulation reportedIspu reportedCritical notes }
			measurements(from: "2010-01-01T00:00:00Z", to: "2010-01-01T00:00:00Z") { pollutant kind value } } }`
		anon := post(t, srv.URL, q, nil)
		day := dig(anon.Data, "airQualityStation", "dailyIndex", 0)
		if anon.code(0) != "UNAUTHENTICATED" || dig(day, "ispu") != 85.0 || dig(day, "category") != "SEDANG" ||
			fmt.Sprint(dig(day, "criticalPollutants")) != "[PM25]" || !strings.Contains(dig(day, "regulation").(string), "P.14") {
			t.Fatalf("anonymous: %s", anon.Raw)
		}
		d := mustData(t, postAs(t, srv.URL, c.full, q, nil))
		ms := dig(d, "airQualityStation", "measurements").([]any)
		if len(ms) != 5 || dig(ms[0], "kind") != "ISPU_SUB_INDEX" {
			t.Fatalf("2010-01-01 values: %v", ms)
		}
		us := mustData(t, postAs(t, srv.URL, c.full, `{ airQualityStation(code: "aqicn-jakarta-central-us-consulate") {
			measurements(from: "2022-10-11T00:00:00Z", to: "2022-10-11T00:00:00Z") { pollutant kind value } dailyIndex(from: "2022-10-11T00:00:00Z", to: "2022-10-11T00:00:00Z") { ispu } } }`, nil))
		if m := dig(us, "airQualityStation", "measurements", 0); dig(m, "kind") != "US_AQI" || dig(m, "value") != 119.0 || dig(m, "pollutant") != "PM25" {
			t.Fatalf("US AQI of 2022-10-11: %v", us)
		}
		if n := len(dig(us, "airQualityStation", "dailyIndex").([]any)); n != 0 {
			t.Fatalf("an ISPU was made up from US AQI values: %v", us)
		}
	})
}

// TestGroundMotions: records linked to their earthquakes, PGA as the files
// state it, the ShakeMap grid answering at a point; only with
// GROUND_ACCELERATION.
func TestGroundMotions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		q := `{ earthquakes(filter: {from: "2018-01-24T10:50:00Z", to: "2018-01-24T10:52:00Z"}) { edges { node { magnitude
			groundMotions { station component pga stationPga intensity distance source catalogueStation { name kinds } } } } }
			kepahiang: earthquakes(filter: {from: "2017-10-16T01:52:00Z", to: "2017-10-16T01:54:00Z"}) { edges { node {
			epicentre: shakemapAt(latitude: -3.56, longitude: 102.59) { intensity pga pgv eventId }
			outside: shakemapAt(latitude: 0, longitude: 0) { intensity } } } } }`
		if r := postAs(t, srv.URL, c.none, q, nil); r.code(0) != "FORBIDDEN" {
			t.Fatalf("account without GROUND_ACCELERATION: %s", r.Raw)
		}
		r := postAs(t, srv.URL, c.full, q, nil)
		gms := dig(r.Data, "earthquakes", "edges", 0, "node", "groundMotions").([]any)
		if len(gms) != 3 || dig(gms[0], "station") != "AOM001" || dig(gms[0], "component") != "N" || math.Abs(dig(gms[0], "pga").(float64)-4.954) > 0.001 {
			t.Fatalf("K-NET records of the 2018-01-24 event: %v", gms)
		}
		for _, g := range gms {
			if dig(g, "stationPga") != dig(gms[0], "pga") {
				t.Fatalf("station PGA of %v: want the largest component's, %v", g, dig(gms[0], "pga"))
			}
		}
		if cs := dig(gms[0], "catalogueStation"); dig(cs, "name") != "BO.AOM001" || fmt.Sprint(dig(cs, "kinds")) != "[ACCELEROGRAPH]" {
			t.Fatalf("the record's station in the catalogue: %v", cs)
		}
		at := dig(r.Data, "kepahiang", "edges", 0, "node", "epicentre")
		if dig(at, "intensity") != 2.91 || math.Abs(dig(at, "pga").(float64)-1.35*9.80665) > 0.01 {
			t.Fatalf("ShakeMap at the epicentre: %v (want MMI 2.91, PGA 1.35 %%g as info.xml states)", at)
		}
		if len(r.Errors) != 1 || r.code(0) != "BAD_USER_INPUT" || dig(r.Data, "kepahiang", "edges", 0, "node", "outside") != nil {
			t.Fatalf("a point outside the grid: %s", r.Raw)
		}
		eq := dig(mustData(t, postAs(t, srv.URL, c.full, `{ earthquakes(filter: {from: "2018-01-24T10:50:00Z", to: "2018-01-24T10:52:00Z"}) { edges { node { id } } } }`, nil)),
			"earthquakes", "edges", 0, "node", "id")
		ex := mustData(t, postAs(t, srv.URL, c.full, `query($id: ID!) { exportGroundMotions(earthquake: $id) { url } }`, map[string]any{"id": eq}))
		_, body := fetch(t, srv.URL, dig(ex, "exportGroundMotions", "url").(string))
		if lines := strings.Split(strings.TrimSpace(string(body)), "\n"); len(lines) != 4 || !strings.Contains(lines[0], "pga (gal)") || !strings.Contains(lines[1], "AOM001") {
			t.Fatalf("ground-motion export: %q", body)
		}
		st := mustData(t, postAs(t, srv.URL, c.full, `{ groundMotions(station: "Bandung") { pga intensity intensityStated earthquake { magnitude } } }`, nil))
		if g := dig(st, "groundMotions", 0); dig(g, "intensity") != 6.4 || dig(g, "intensityStated") != true || dig(g, "earthquake", "magnitude") != 6.2 {
			t.Fatalf("ShakeMap station Bandung: %v", st)
		}
	})
}

// TestExportsOfTheOtherKinds: lightning, climate and air quality export
// like the rest: under their dataset, with units in the CSV header.
func TestExportsOfTheOtherKinds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		id := dig(mustData(t, post(t, srv.URL, `{ stationByWmo(wmoIndex: "96733") { id } }`, nil)), "stationByWmo", "id")
		q := fmt.Sprintf(`{ l: exportLightning(bbox: {south: 0.5, west: 103, north: 2, east: 104.5}, from: "2025-04-09T00:00:00Z", to: "2025-04-11T00:00:00Z") { url }
			c: exportClimate(station: %[1]q, from: "2023-09-01T00:00:00Z", to: "2023-10-01T00:00:00Z") { url }
			s: exportClimate(station: %[1]q, level: L2, period: MONTH, from: "2023-09-01T00:00:00Z", to: "2023-09-30T00:00:00Z") { url }
			a: exportAirQuality(station: "DKI1", level: L2, from: "2021-01-01T00:00:00Z", to: "2021-12-31T00:00:00Z") { url } }`, id)
		if r := postAs(t, srv.URL, c.none, q, nil); dig(r.Data, "l") != nil || dig(r.Data, "c") != nil || dig(r.Data, "s") == nil || dig(r.Data, "a") == nil {
			t.Fatalf("account without LIGHTNING and CLIMATE_L1 (CLIMATE_L2 needs any account, AIR_QUALITY_L2 is open): %s", r.Raw)
		}
		if r := post(t, srv.URL, q, nil); dig(r.Data, "s") != nil || dig(r.Data, "a") == nil {
			t.Fatalf("anonymous caller: climate L2 needs an account: %s", r.Raw)
		}
		d := mustData(t, postAs(t, srv.URL, c.full, q, nil))
		bodies := map[string][]string{}
		for key, want := range map[string]struct {
			rows   int
			header string
		}{"l": {265, "time (UTC),latitude"}, "c": {31, "station_wmo,date,Tn (°C),Tn_flag"}, "a": {0, "station,date,ispu,category"},
			"s": {len(mkg.ClimateNumeric), "station_wmo,period,start,days,rain_days,parameter,unit,valid_days"}} {
			_, body := fetch(t, srv.URL, dig(d, key, "url").(string))
			lines := strings.Split(strings.TrimSpace(string(body)), "\n")
			if !strings.HasPrefix(lines[0], want.header) || (want.rows > 0 && len(lines) != want.rows+1) || len(lines) < 2 {
				t.Fatalf("%s export: %d lines, header %q", key, len(lines), lines[0])
			}
			bodies[key] = lines
		}
		// The Level 2 export holds what climateSummary gives.
		sum := mustData(t, postAs(t, srv.URL, c.full, fmt.Sprintf(`{ climateSummary(station: %q, period: MONTH, from: "2023-09-01T00:00:00Z", to: "2023-09-30T00:00:00Z") {
			start rainDays statistics { parameter validDays mean total } } }`, id), nil))
		stats := dig(sum, "climateSummary", 0, "statistics").([]any)
		rows, err := csv.NewReader(strings.NewReader(strings.Join(bodies["s"], "\n"))).ReadAll()
		if err != nil || len(stats) != len(rows)-1 {
			t.Fatalf("climate L2 export: %v, %d rows for %d statistics", err, len(rows)-1, len(stats))
		}
		compared := 0
		for i, st := range stats {
			r := rows[i+1]
			value := dig(st, "mean")
			if value == nil {
				value = dig(st, "total")
			}
			got := r[10]
			if got == "" {
				got = r[11]
			}
			if r[2] != "2023-09-01" || r[5] != dig(st, "parameter") || r[7] != fmt.Sprint(dig(st, "validDays")) || (value != nil && got != fmt.Sprint(value)) {
				t.Errorf("climate L2 export row %v; climateSummary gives %v", r, st)
			}
			if value != nil {
				compared++
			}
		}
		if compared < 5 {
			t.Errorf("only %d of the month's statistics have a value to compare: %v", compared, rows)
		}
	})
}
