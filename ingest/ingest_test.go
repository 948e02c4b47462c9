package ingest_test

import (
	"bytes"
	"context"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/filestore"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/internal/testenv"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

var quiet = slog.New(slog.DiscardHandler)

func forEachStore(t *testing.T, fn func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester)) {
	open := func(t *testing.T, url string) {
		s, err := sqlstore.Open(context.Background(), url, sqlstore.Options{Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		files, err := filestore.NewLocal(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s, ingest.New(s, quiet).WithFiles(files))
	}
	t.Run("sqlite", func(t *testing.T) { open(t, "sqlite:"+filepath.Join(t.TempDir(), "t.db")) })
	t.Run("postgres", func(t *testing.T) { open(t, testenv.PostgresURL(t)) })
}

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(demo.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEverySampleIngests: each bundled real file is recognised and stored;
// only what the file itself gets wrong is rejected, and a second run
// changes nothing.
func TestEverySampleIngests(t *testing.T) {
	want := map[string]struct {
		format   string
		read     int
		rejected int
	}{
		"stations/indonesia-synop-stations-kensein.json":                                              {"synop-station-directory", 149, 0},
		"stations/noaa-isd-history-indonesia-96xxx.csv":                                               {"noaa-isd", 88, 1}, // 965070 has no position
		"stations/bmkg-seismic-sensors.tsv":                                                           {"bmkg-seismic-sensors", 1320, 0},
		"synop/romania-station_list.csv":                                                              {"wis2box-stations", 23, 0},
		"synop/cuba-station_list.csv":                                                                 {"wis2box-stations", 68, 0},
		"synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt":                                 {"synop", 23, 0},
		"synop/cuba-SMCU20-MUHV-310000.WX.00.txt":                                                     {"synop", 68, 0},
		"earthquakes/bmkg-autogempa-20211005-dompu.json":                                              {"bmkg-infogempa", 1, 0},
		"earthquakes/bmkg-autogempa-20220822-poso.xml":                                                {"bmkg-infogempa", 1, 0},
		"earthquakes/bmkg-gempaterkini-20230712.json":                                                 {"bmkg-infogempa", 15, 0},
		"earthquakes/bmkg-gempadirasakan-20251224.json":                                               {"bmkg-infogempa", 15, 0},
		"earthquakes/bmkg-realtime-20220925.geojson":                                                  {"bmkg-realtime", 1, 0},
		"earthquakes/bmkg-legacy-autogempa-20131108.xml":                                              {"bmkg-infogempa", 1, 0},
		"earthquakes/bmkg-legacy-gempaterkini-20131108.xml":                                           {"bmkg-infogempa", 60, 0},
		"earthquakes/bmkg-legacy-gempadirasakan-20131107.xml":                                         {"bmkg-infogempa", 20, 0},
		"earthquakes/bmkg-repogempa-20081101.html":                                                    {"bmkg-repogempa", 21, 0},
		"earthquakes/bmkg-repogempa-20221121.html":                                                    {"bmkg-repogempa", 101, 0},
		"earthquakes/isc-20041226-sumatra-m6plus.qml":                                                 {"quakeml", 23, 0},
		"radar/2013051000000600dBZ.vol":                                                               {"rainbow5", 1, 0},
		"radar/TAG-20120801-140046-02-Z.nc":                                                           {"wdss2-netcdf", 1, 0},
		"radar/example_cfradial_ppi.nc":                                                               {"cfradial-netcdf4", 1, 0},
		"radar/Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc": {"cfradial-netcdf4", 1, 0},
	}
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		for _, pass := range []string{"first", "second"} {
			for _, name := range sortedKeys(want) {
				w := want[name]
				sum, err := in.File(ctx, path.Base(name), sample(t, name), ingest.Options{})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if sum.Format != w.format || sum.Read != w.read || len(sum.Rejected) != w.rejected {
					t.Errorf("%s pass: %s: format %s, read %d, rejected %v; want %s, %d, %d", pass, name, sum.Format, sum.Read, sum.Rejected, w.format, w.read, w.rejected)
				}
				stored := sum.Inserted + sum.Updated + sum.Unchanged
				if stored+len(sum.Rejected) < sum.Read {
					t.Errorf("%s: read %d but accounted for %d", name, sum.Read, stored+len(sum.Rejected))
				}
				if pass == "second" && (sum.Inserted != 0 || sum.Updated != 0) {
					t.Errorf("%s: re-ingest inserted %d, updated %d; want nothing changed", name, sum.Inserted, sum.Updated)
				}
			}
		}
	})
}

// TestCorrectionBulletins uses a real original bulletin and its real CCA
// and CCB corrections (Romania, 2023-01-17 12 UTC): the corrections replace
// what they correct, in whatever order the files arrive.
func TestCorrectionBulletins(t *testing.T) {
	files := []string{
		"A_SMRO01YRBK171200_C_EDZW_20230117120502_51362175.txt",
		"A_SMRO01YRBK171200CCA_C_EDZW_20230117174401_51649529.txt",
		"A_SMRO01YRBK171200CCB_C_EDZW_20230118094300_52396633.txt",
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}} {
		forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
			ctx := context.Background()
			for _, i := range order {
				data, err := os.ReadFile(filepath.Join("testdata", files[i]))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := in.File(ctx, files[i], data, ingest.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			latest, err := s.LatestObservations(ctx, []string{"15108", "15280", "15015"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(latest[0].Text, "48014") || latest[0].Heading.BBB != "CCA" {
				t.Errorf("15108 = %q (%s), want the CCA's snow depth 48014", latest[0].Text, latest[0].Heading.BBB)
			}
			if sd := latest[0].Values.SnowDepth; sd == nil || sd.DepthM == nil || *sd.DepthM != 0.14 {
				t.Errorf("15108 snow depth = %+v, want 0.14 m from the correction", latest[0].Values.SnowDepth)
			}
			if latest[1].Heading.BBB != "CCB" || latest[2].Heading.BBB != "" {
				t.Errorf("15280 heading %+v, 15015 heading %+v", latest[1].Heading, latest[2].Heading)
			}
			n, _ := s.CountObservations(ctx, mkg.ObservationFilter{})
			if n != 23 {
				t.Errorf("%d observations, want 23: corrections replace, they do not add", n)
			}
		})
	}
}

// TestBadRecordsAreReportedAndTheRestKept feeds real files with records
// broken in the ways feeds break.
func TestBadRecordsAreReportedAndTheRestKept(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		quakes := sample(t, "earthquakes/bmkg-gempaterkini-20230712.json")
		quakes = bytes.Replace(quakes, []byte(`"Magnitude": "5.3"`), []byte(`"Magnitude": "lima"`), 1)
		quakes = bytes.Replace(quakes, []byte(`"Coordinates": "3.65,95.84"`), []byte(`"Coordinates": "93.65,95.84"`), 1)
		sum, err := in.File(ctx, "gempaterkini.json", quakes, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Read != 15 || len(sum.Rejected) != 2 || sum.Inserted != 13 {
			t.Fatalf("summary %+v: want 2 rejected with reasons, 13 stored", sum)
		}
		for _, r := range sum.Rejected {
			if !strings.HasPrefix(r.Position, "record ") || r.Reason == "" {
				t.Errorf("rejection without position or reason: %+v", r)
			}
		}
		text := sample(t, "synop/A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt")
		text = bytes.Replace(text, []byte("15015 02999 02501 10103"), []byte("15015 02999 02501 1X103"), 1)
		sum, err = in.File(ctx, "A_SMRO01YRBK211200_C_EDZW_20220321120500_12524785.txt", text, ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Inserted != 23 || len(sum.Rejected) != 0 {
			t.Errorf("SYNOP with one bad group: %+v; want every report stored", sum)
		}
		latest, _ := s.LatestObservations(ctx, []string{"15015"})
		o := latest[0]
		if len(o.Problems) == 0 || o.Problems[0].Group != "1X103" || o.Values == nil || o.Values.AirTemperatureC != nil || o.Values.DewPointC == nil {
			t.Errorf("15015 = problems %+v, values %+v; want the bad group listed, the rest decoded", o.Problems, o.Values)
		}
	})
}

func TestUnknownFormatIsRefusedNamingTheKnownOnes(t *testing.T) {
	in := ingest.New(nil, quiet)
	for _, data := range []string{"hello, world", `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{"Name":"fault"}}]}`, ""} {
		_, err := in.File(context.Background(), "x.dat", []byte(data), ingest.Options{})
		if err == nil || !strings.Contains(err.Error(), "known formats") || !strings.Contains(err.Error(), "synop") {
			t.Errorf("%.30q: %v", data, err)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	// Stations first, so the other files find them (as the demo loads).
	order := func(k string) string {
		if strings.HasPrefix(k, "stations/") || strings.HasSuffix(k, ".csv") {
			return "0" + k
		}
		return "1" + k
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if order(keys[j]) < order(keys[i]) {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// TestCompletedDatesAreTheStoredDates: a bulletin whose name carries no
// date, ingested without a reference time, is completed from today's date
// (day 31, 00 UTC: the latest 31st at or before today, which may be months
// back), and the note names the time the reports were stored at, not
// today's.
func TestCompletedDatesAreTheStoredDates(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		name := "synop/cuba-SMCU20-MUHV-310000.WX.00.txt"
		sum, err := in.File(ctx, path.Base(name), sample(t, name), ingest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		latest, err := s.LatestObservations(ctx, []string{"78310"})
		if err != nil || len(latest) != 1 || latest[0] == nil {
			t.Fatalf("78310: %v %v", latest, err)
		}
		stored := latest[0].ObservedAt.UTC().Format(time.RFC3339)
		if latest[0].ObservedAt.Day() != 31 {
			t.Fatalf("stored at %s, want a 31st", stored)
		}
		notes := strings.Join(sum.Notes, "\n")
		if !strings.Contains(notes, "stored as "+stored) || !strings.Contains(notes, "-reference-time") {
			t.Errorf("notes do not say the reports were stored as %s:\n%s", stored, notes)
		}
	})
}
