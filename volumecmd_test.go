package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGenerateVolumeCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	args := []string{"generate-volume", "--sqlite-path", db, "--log-level", "error", "-days", "2", "-stations", "2",
		"-climate-stations", "1", "-climate-years", "1", "-aq-stations", "1", "-aq-years", "1", "-lightning-strikes", "500"}
	code, out, errOut := runCLI(t, nil, args...)
	if code != 0 || !strings.Contains(out, "synop: 2 files, read 96, inserted 96,") || !strings.Contains(out, "lightning: 2 files, read 500, inserted 500,") {
		t.Fatalf("first run: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, nil, args...)
	if code != 0 || !strings.Contains(out, "synop: 2 files, read 96, inserted 0, updated 0, unchanged 96") {
		t.Errorf("second run: %d\n%s", code, out)
	}

	real := filepath.Join(t.TempDir(), "r.db")
	quake := filepath.Join("demo", "samples", "earthquakes", "bmkg-gempaterkini-20230712.json")
	if code, out, errOut := runCLI(t, nil, "ingest", "--sqlite-path", real, "--log-level", "error", quake); code != 0 {
		t.Fatalf("ingest: %d %s %s", code, out, errOut)
	}
	args[2] = real
	code, out, errOut = runCLI(t, nil, args...)
	if code != 2 || out != "" || !strings.Contains(errOut, "real (non-synthetic) data (earthquakes)") || !strings.Contains(errOut, "-allow-real-data") {
		t.Errorf("into a database with real data: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, nil, "generate-volume", "--sqlite-path", db, "-stations", "none")
	if code != 2 || !strings.Contains(errOut, "-stations") {
		t.Errorf("bad -stations: %d %q", code, errOut)
	}
}
