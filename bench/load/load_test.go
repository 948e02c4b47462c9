package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Answers as each server gives them (shortened from real ones).
const (
	w1OursAnswer = `{"data":{"stations":{"edges":[
		{"node":{"id":"U3RhdGlvbjoxNTI","wmoIndex":null,"name":"ACHMAD YANI","latitude":-6.973,"longitude":110.375,"latestObservation":null}},
		{"node":{"id":"U3RhdGlvbjo1OQ","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta","latitude":-6.12,"longitude":106.65,
		 "latestObservation":{"observedAt":"2026-12-06T04:00:00Z","decoded":{"airTemperature":10.3,"dewPointTemperature":-9,"relativeHumidity":25,
		 "stationPressure":976.5,"seaLevelPressure":null,"wind":{"direction":250,"speed":1}}}}}]}}}`
	w1PostGraphileAnswer = `{"data":{"allStations":{"edges":[
		{"node":{"rowId":"152","wmoIndex":null,"name":"ACHMAD YANI","latitude":-6.973,"longitude":110.375,"observationsByStationWmo":{"nodes":[]}}},
		{"node":{"rowId":"59","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta","latitude":-6.12,"longitude":106.65,
		 "observationsByStationWmo":{"nodes":[{"observedAt":"2026-12-06T11:00:00.000000+07:00",
		 "valuesJson":"{\"region\":\"V\",\"wind\":{\"directionDeg\":250,\"speedMS\":1,\"reportedSpeed\":1},\"airTemperatureC\":10.3,\"dewPointC\":-9,\"relativeHumidityPct\":25,\"stationPressureHPa\":976.5}"}]}}}]}}}`
	w2OursAnswer = `{"data":{"stationByWmo":{"id":"U3RhdGlvbjo1OQ","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta","observations":{"edges":[
		{"node":{"id":"T2JzZXJ2YXRpb246MTAwMzE","observedAt":"2026-12-06T04:00:00Z","isNil":false,"decoded":{"airTemperature":10.3,"wind":null}}},
		{"node":{"id":"T2JzZXJ2YXRpb246MTAwMzA","observedAt":"2026-12-06T03:00:00Z","isNil":true,"decoded":null}}]}}}}`
	w2PostGraphileAnswer = `{"data":{"stationByWmoIndex":{"rowId":"59","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta","observationsByStationWmo":{"nodes":[
		{"rowId":"10031","observedAt":"2026-12-06T04:00:00.000000+00:00","isNil":false,"valuesJson":"{\"airTemperatureC\":10.3}"},
		{"rowId":"10030","observedAt":"2026-12-06T03:00:00.000000+00:00","isNil":true,"valuesJson":null}]}}}}`
	w3OursAnswer = `{"data":{"earthquakes":{"edges":[{"node":{"id":"RWFydGhxdWFrZToyMzk","eventId":null,"originTime":"2025-12-24T05:30:34Z",
		"latitude":-4.46,"longitude":102.6,"depth":30,"magnitude":4.6,"region":"Pusat gempa berada di laut 34 km barat Bengkulu Selatan"}}]}}}`
	w3PostGraphileAnswer = `{"data":{"allEarthquakes":{"nodes":[{"rowId":"239","eventId":null,"originTime":"2025-12-24T05:30:34.000000+00:00",
		"latitude":-4.46,"longitude":102.6,"depthKm":30,"magnitude":4.6,"region":"Pusat gempa berada di laut 34 km barat Bengkulu Selatan"}]}}}`
	w4OursAnswer = `{"data":{"stations":{"edges":[{"node":{"id":"U3RhdGlvbjo1OQ","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta",
		"kinds":["SYNOPTIC","CLIMATE"],"latitude":-6.12,"longitude":106.65,"elevation":8}}]}}}`
	w4PostGraphileAnswer = `{"data":{"allStations":{"nodes":[{"rowId":"59","wmoIndex":"96749","name":"Jakarta / Soekarno-Hatta",
		"kinds":",CLIMATE,SYNOPTIC,","latitude":-6.12,"longitude":106.65,"elevationM":8}]}}}`
)

func rowsOf(t *testing.T, norm normaliser, answer string) []row {
	t.Helper()
	rows, err := decodeAnswer(target{label: "test", norm: norm}, []byte(answer))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestServersReduceToTheSameRows: each shape's two answers, in their own
// names, units and time zones, reduce to the same rows.
func TestServersReduceToTheSameRows(t *testing.T) {
	for _, c := range []struct {
		name         string
		ours, theirs normaliser
		a, b         string
	}{
		{"W1", w1Ours, w1PostGraphile, w1OursAnswer, w1PostGraphileAnswer},
		{"W2", w2Ours, w2PostGraphile, w2OursAnswer, w2PostGraphileAnswer},
		{"W3", w3Ours, w3PostGraphile, w3OursAnswer, w3PostGraphileAnswer},
		{"W4", w4Ours, w4PostGraphile, w4OursAnswer, w4PostGraphileAnswer},
	} {
		a, b := rowsOf(t, c.ours, c.a), rowsOf(t, c.theirs, c.b)
		if err := sameRows(a, b); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if len(a) == 0 {
			t.Errorf("%s: no rows", c.name)
		}
	}
}

// TestDifferencesAreFound: a different value, a missing row or another
// station are each reported.
func TestDifferencesAreFound(t *testing.T) {
	want := rowsOf(t, w1Ours, w1OursAnswer)
	for name, answer := range map[string]string{
		"temperature": strings.Replace(w1PostGraphileAnswer, `\"airTemperatureC\":10.3`, `\"airTemperatureC\":10.4`, 1),
		"time":        strings.Replace(w1PostGraphileAnswer, "11:00:00.000000+07:00", "11:00:00.000000+00:00", 1),
		"station":     strings.Replace(w1PostGraphileAnswer, `"rowId":"59"`, `"rowId":"60"`, 1),
		"no report":   strings.Replace(w1PostGraphileAnswer, `"nodes":[{"observedAt"`, `"nodes":[],"x":[{"observedAt"`, 1),
	} {
		if answer == w1PostGraphileAnswer {
			t.Fatalf("%s: the fixture did not change", name)
		}
		if err := sameRows(want, rowsOf(t, w1PostGraphile, answer)); err == nil {
			t.Errorf("%s: the difference was not found", name)
		}
	}
	if err := sameRows(want, want[:1]); err == nil {
		t.Error("a missing row was not found")
	}
}

func TestAnswersWithErrorsAreRefused(t *testing.T) {
	for _, answer := range []string{`{"data":null,"errors":[{"message":"forbidden"}]}`,
		`{"data":{"stations":null},"errors":[{"message":"forbidden"}]}`, `<html>`} {
		if _, err := decodeAnswer(target{label: "test", norm: w1Ours}, []byte(answer)); err == nil {
			t.Errorf("%s was accepted", answer)
		}
	}
	if err := enough("W1", rowsOf(t, w1Ours, `{"data":{"stations":{"edges":[{"node":{"id":"U3RhdGlvbjoxNTI","latestObservation":null}}]}}}`)); err == nil {
		t.Error("a dashboard without any observation was accepted")
	}
}

func TestDatabaseIDs(t *testing.T) {
	if id, err := dbID("U3RhdGlvbjo1OQ", "Station"); err != nil || id != 59 {
		t.Errorf("global ID: %d, %v", id, err)
	}
	if id, err := dbID("Observation:10031", "Observation"); err != nil || id != 10031 {
		t.Errorf("row id: %d, %v", id, err)
	}
	if _, err := dbID("U3RhdGlvbjo1OQ", "Earthquake"); err == nil {
		t.Error("a station's ID was read as an earthquake's")
	}
}

func TestParseResult(t *testing.T) {
	out := "Running 2s test @ http://127.0.0.1:1/graphql\n  2 threads and 32 connections\n" +
		"RESULT requests=4520 seconds=2.004 rps=2255.49 p50_ms=12.500 p90_ms=20.125 p99_ms=41.000 max_ms=80.250 non2xx=3 errors=0 timeouts=1\n"
	r, err := parseResult(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Requests != 4520 || r.RPS != 2255.49 || r.P50 != 12.5 || r.P99 != 41 || r.Non2xx != 3 || r.Timeouts != 1 {
		t.Errorf("%+v", r)
	}
	if r.failed() == "" {
		t.Error("a run with non-2xx answers counts")
	}
	if _, err := parseResult("Running 2s test\n"); err == nil {
		t.Error("output without a RESULT line was accepted")
	}
	if _, err := parseResult("RESULT requests=1 rps=x\n"); err == nil {
		t.Error("a RESULT line without its numbers was accepted")
	}
}

func TestSummaryIsMedian(t *testing.T) {
	s := summarise([]result{{Requests: 1, RPS: 300, P50: 3}, {Requests: 1, RPS: 100, P50: 9}, {Requests: 1, RPS: 200, P50: 5}})
	if s.rps != 200 || s.minRPS != 100 || s.maxRPS != 300 || s.p50 != 5 || len(s.invalid) != 0 {
		t.Errorf("%+v", s)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2.5 {
		t.Errorf("median of an even count: %v", m)
	}
}

func TestParseBench(t *testing.T) {
	out := `goos: linux
BenchmarkLightningVolume/sqlite-2         	       5	 912345678 ns/op	     26700 strikes/s-ingest	         4.900 ms-list-500-java-1h
--- BENCH: BenchmarkLightningVolume/sqlite-2
    lightning_bench_test.go:180: 5000000 strikes loaded in 3m7s
BenchmarkLightningVolume/postgres-2       	       5	 412345678 ns/op	    210000 strikes/s-ingest	        60.50 ms-density-10km-indonesia-1d
PASS`
	lines, logs := parseBench(out)
	if len(lines) != 2 || lines[1].name != "LightningVolume/postgres" || lines[1].n != 5 ||
		len(lines[1].metrics) != 3 || lines[1].metrics[1] != (metric{210000, "strikes/s-ingest"}) {
		t.Fatalf("%+v", lines)
	}
	if len(logs) != 1 || logs[0] != "LightningVolume/sqlite: 5000000 strikes loaded in 3m7s" {
		t.Errorf("logs: %q", logs)
	}
}

func TestCommandLineHidesURLs(t *testing.T) {
	got := commandLine([]string{"-database-url", "postgres://u:secret@h/db", "-rounds", "3", "-redis-url=redis://:pw@h", "-duration", "10s"})
	if strings.Contains(got, "secret") || strings.Contains(got, "pw@") || !strings.Contains(got, "-rounds 3") {
		t.Errorf("%s", got)
	}
}

func TestEveryShapeHasItsComparisons(t *testing.T) {
	for _, s := range shapes {
		if s.reference().role != roleOurs || s.reference().norm == nil {
			t.Errorf("%s: the reference must be MKG Graph's answer", s.id)
		}
		if _, ok := s.withRole(rolePG); !ok {
			t.Errorf("%s has no PostGraphile target", s.id)
		}
		_, floor := s.withRole(roleFloor)
		_, hello := s.withRole(roleHello)
		if !floor && !hello {
			t.Errorf("%s has no floor", s.id)
		}
	}
	b, _ := json.Marshal(shapeIDs())
	if string(b) != `["W1","W2","W3","W4","LE"]` {
		t.Errorf("shapes: %s", b)
	}
}

func TestNumbers(t *testing.T) {
	for v, want := range map[float64]string{1234567.4: "1,234,567", 100: "100", 96: "96.0", 4.567: "4.57"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %s, want %s", v, got, want)
		}
	}
	for n, want := range map[int64]string{0: "0", 96: "96", 1000: "1,000", 5000000: "5,000,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %s, want %s", n, got, want)
		}
	}
}
