package nealightning

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/format/internal/fixture"
)

var samples = []struct {
	name            string
	rows, kept, dup int
}{
	{"nea-sg-lightning_2025-04-10.csv", 266, 265, 1},
	{"nea-sg-lightning_2025-04-18.csv", 81, 79, 2},
}

const header = "fetch_time,observation_window,data_updated,latitude,longitude,strike_type,description,strike_time"

func row(strikeTime, lat, lon, typ, desc string) string {
	return strings.Join([]string{"2025-04-19 10:51:48", "2025-04-18T22:48:00+08:00", "2025-04-18T22:50:03+08:00",
		lat, lon, typ, desc, strikeTime}, ",")
}

func TestSamples(t *testing.T) {
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		if !Detect(data[:200]) {
			t.Errorf("%s: Detect = false", s.name)
		}
		strikes, rejects, dups, err := Parse(data)
		if err != nil || len(rejects) != 0 {
			t.Fatalf("%s: rejects %+v, err %v", s.name, rejects, err)
		}
		if len(strikes) != s.kept || dups != s.dup || len(strikes)+dups != s.rows {
			t.Errorf("%s: %d strikes, %d duplicates", s.name, len(strikes), dups)
		}
		for _, k := range strikes {
			// Singapore and the Riau Islands.
			if k.Latitude < 0.5 || k.Latitude > 2 || k.Longitude < 103 || k.Longitude > 105 {
				t.Errorf("%s row %d: position %v, %v", s.name, k.Row, k.Latitude, k.Longitude)
			}
		}
	}
}

// The first rows of each sample, read by hand.
func TestFirstStrikes(t *testing.T) {
	strikes, _, _, _ := Parse(fixture.Read(t, samples[0].name))
	// 2025-04-10 03:20:55.860000+08:00, 1.5121, 103.439, G
	checkStrike(t, strikes[0], "2025-04-09T19:20:55.86Z", 1.5121, 103.439, CloudToGround, 2)
	// 2025-04-10 03:17:30.309000+08:00, 1.59, 103.2598, C
	checkStrike(t, strikes[1], "2025-04-09T19:17:30.309Z", 1.59, 103.2598, IntraCloud, 3)
	strikes, _, _, _ = Parse(fixture.Read(t, samples[1].name))
	// 2025-04-18T22:46:15.389+08:00, 1.1637, 103.3198, C
	checkStrike(t, strikes[0], "2025-04-18T14:46:15.389Z", 1.1637, 103.3198, IntraCloud, 2)
	// 2025-04-18T22:40:04.537+08:00, 1.15, 103.377, G
	checkStrike(t, strikes[1], "2025-04-18T14:40:04.537Z", 1.15, 103.377, CloudToGround, 3)
}

func checkStrike(t *testing.T, s Strike, tm string, lat, lon float64, typ string, row int) {
	t.Helper()
	if got := s.Time.Format(time.RFC3339Nano); got != tm || s.Time.Location() != time.UTC {
		t.Errorf("row %d: time %s, want %s", s.Row, got, tm)
	}
	if s.Latitude != lat || s.Longitude != lon || s.Type != typ || s.Row != row {
		t.Errorf("got %+v, want %v %v %s row %d", s, lat, lon, typ, row)
	}
}

func TestDuplicates(t *testing.T) {
	a := row("2025-04-18T22:46:15.389+08:00", "1.1637", "103.3198", "C", "Cloud to Cloud")
	same := row("2025-04-18 14:46:15.389000+00:00", "1.16370", "103.3198", "C", "Cloud to Cloud") // same instant, other style
	ground := row("2025-04-18T22:46:15.389+08:00", "1.1637", "103.3198", "G", "Cloud to Ground")
	later := row("2025-04-18T22:46:15.390+08:00", "1.1637", "103.3198", "C", "Cloud to Cloud")
	strikes, rejects, dups, err := Parse([]byte(strings.Join([]string{header, a, same, ground, a, later}, "\r\n")))
	if err != nil || len(rejects) != 0 {
		t.Fatal(rejects, err)
	}
	if dups != 2 || len(strikes) != 3 || strikes[0].Row != 2 || strikes[1].Row != 4 || strikes[2].Row != 6 {
		t.Errorf("%d duplicates, kept %+v", dups, strikes)
	}
}

func TestTimeStyles(t *testing.T) {
	for in, want := range map[string]string{
		"2025-04-10 03:22:00+08:00":        "2025-04-09T19:22:00Z",
		"2025-04-10 03:22:00.860000+08:00": "2025-04-09T19:22:00.86Z",
		"2025-04-18T22:48:00.123+08:00":    "2025-04-18T14:48:00.123Z",
		"2025-04-18T22:48:00Z":             "2025-04-18T22:48:00Z",
		"2025-04-18T22:48:00.5-0330":       "2025-04-19T02:18:00.5Z",
	} {
		got, err := parseTime(in)
		if err != nil || got.Format(time.RFC3339Nano) != want {
			t.Errorf("%s: %v %v, want %s", in, got, err, want)
		}
	}
}

func TestBadRows(t *testing.T) {
	now := time.Date(2025, 4, 19, 0, 0, 0, 0, time.UTC)
	good := row("2025-04-18T22:46:15.389+08:00", "1.1637", "103.3198", "C", "Cloud to Cloud")
	rows := []struct{ line, reason string }{
		{"2025-04-19 10:51:48,garbled", "2 fields, the header has 8"},
		{good + ",extra", "9 fields, the header has 8"},
		{row("yesterday", "1.1", "103.3", "C", "Cloud to Cloud"), `strike time "yesterday" is not`},
		{row("2025-04-18 22:46:15", "1.1", "103.3", "C", "Cloud to Cloud"), "with a UTC offset"},
		{row("2025-04-20T08:00:00.001+08:00", "1.1", "103.3", "C", "Cloud to Cloud"), "in the future"},
		{row("2025-04-18T22:46:15+08:00", "91", "103.3", "C", "Cloud to Cloud"), `latitude "91"`},
		{row("2025-04-18T22:46:15+08:00", "NaN", "103.3", "C", "Cloud to Cloud"), `latitude "NaN"`},
		{row("2025-04-18T22:46:15+08:00", "1.1", "-180.5", "C", "Cloud to Cloud"), `longitude "-180.5"`},
		{row("2025-04-18T22:46:15+08:00", "1.1", "", "C", "Cloud to Cloud"), `longitude ""`},
		{row("2025-04-18T22:46:15+08:00", "1.1", "103.3", "G", "Cloud to Cloud"), `strike type "G" but description "Cloud to Cloud"`},
		{row("2025-04-18T22:46:15+08:00", "1.1", "103.3", "C", ""), `strike type "C" but description ""`},
		{row("2025-04-18T22:46:15+08:00", "1.1", "103.3", "X", "Cloud to Air"), `unknown strike type "X"`},
	}
	lines := []string{header, good}
	for _, r := range rows {
		lines = append(lines, r.line)
	}
	lines = append(lines, "", good) // a blank line, then a repeat
	// A strike a day away from now is still accepted (clock skew).
	lines = append(lines, row("2025-04-20T07:59:59+08:00", "1.1", "103.3", "G", "cloud to ground"))
	strikes, rejects, dups, err := parse([]byte(strings.Join(lines, "\n")), now)
	if err != nil {
		t.Fatal(err)
	}
	if len(strikes) != 2 || dups != 1 || strikes[1].Row != len(lines) || strikes[1].Type != CloudToGround {
		t.Errorf("%d duplicates, kept %+v", dups, strikes)
	}
	if len(rejects) != len(rows) {
		t.Fatalf("rejects %+v", rejects)
	}
	for i, r := range rows {
		if rejects[i].Record != i+3 || !strings.Contains(rejects[i].Reason, r.reason) {
			t.Errorf("row %d: reject %+v, want %q", i+3, rejects[i], r.reason)
		}
	}
}

func TestNotNEA(t *testing.T) {
	for name, in := range map[string]string{
		"empty":     "",
		"other csv": "time,lat,lon\n2025-04-18T22:46:15Z,1,103\n",
		"no type":   "latitude,longitude,description,strike_time\n",
		"twice":     "latitude,longitude,strike_type,description,strike_time,latitude\n",
		"binary":    "\x89HDF\r\n\x1a\n",
		"bad first": row("2025-04-18T22:46:15", "1.1", "103.3", "C", "Cloud to Cloud") + "\n" + header,
	} {
		if Detect([]byte(in)) {
			t.Errorf("%s: Detect = true", name)
		}
		if s, r, d, err := Parse([]byte(in)); err == nil || s != nil || r != nil || d != 0 {
			t.Errorf("%s: %v %v %d %v", name, s, r, d, err)
		}
	}
	// Columns in another order, with a byte-order mark and quotes.
	in := "\xef\xbb\xbf\"strike_time\",\"latitude\",\"longitude\",\"strike_type\",\"description\"\n" +
		"\"2025-04-18T22:46:15+08:00\",\"1.1\",\"103.3\",\"C\",\"Cloud to Cloud\"\n"
	if !Detect([]byte(in)) {
		t.Error("reordered: Detect = false")
	}
	if s, r, _, err := Parse([]byte(in)); err != nil || len(r) != 0 || len(s) != 1 || s[0].Latitude != 1.1 {
		t.Errorf("reordered: %+v %+v %v", s, r, err)
	}
}

// TestHeaderless reads the real samples as the scraper leaves a file it
// appended to before it wrote a header (kevwee-lab's lightning_data.csv
// starts so: a blank line, then rows): the same strikes, on the same
// lines.
func TestHeaderless(t *testing.T) {
	for _, s := range samples {
		data := fixture.Read(t, s.name)
		want, _, _, _ := Parse(data)
		headerless := append([]byte("\n"), data[len(header)+1:]...)
		if !Detect(headerless[:200]) {
			t.Errorf("%s: Detect = false", s.name)
		}
		got, rejects, dups, err := Parse(headerless)
		if err != nil || len(rejects) != 0 || dups != s.dup || !slices.Equal(got, want) {
			t.Errorf("%s: %d strikes, %d duplicates, rejects %v, err %v", s.name, len(got), dups, rejects, err)
		}
	}
}

// TestJoinedFiles: two days' files joined, the second header included,
// give both days' strikes; the header line is not a reject.
func TestJoinedFiles(t *testing.T) {
	a, b := fixture.Read(t, samples[0].name), fixture.Read(t, samples[1].name)
	wantA, _, _, _ := Parse(a)
	wantB, _, _, _ := Parse(b)
	got, rejects, dups, err := Parse(append(slices.Clone(a), b...))
	if err != nil || len(rejects) != 0 || dups != samples[0].dup+samples[1].dup || len(got) != len(wantA)+len(wantB) {
		t.Fatalf("%d strikes, %d duplicates, rejects %v, err %v", len(got), dups, rejects, err)
	}
	lines := strings.Count(string(a), "\n")
	if last := got[len(got)-1]; last.Time != wantB[len(wantB)-1].Time || last.Row != wantB[len(wantB)-1].Row+lines {
		t.Errorf("last strike %+v", last)
	}
}

// TestNoLocation: the scraper writes 0, 0 for a reading without a
// location; it is not a strike in the Gulf of Guinea.
func TestNoLocation(t *testing.T) {
	in := header + "\n" + row("2025-04-18T22:46:15.389+08:00", "0.0", "0.0", "C", "Cloud to Cloud") + "\n"
	s, r, _, err := Parse([]byte(in))
	if err != nil || len(s) != 0 || len(r) != 1 || !strings.Contains(r[0].Reason, "no location") {
		t.Errorf("%+v %+v %v", s, r, err)
	}
}
