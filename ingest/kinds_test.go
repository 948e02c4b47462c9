package ingest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/sqlstore"
)

// TestIssue6SamplesIngestTwice: every climate, air-quality, lightning and
// strong-motion sample loads (rejecting only what the file gets wrong),
// and a second run changes nothing.
func TestIssue6SamplesIngestTwice(t *testing.T) {
	sm := "strong-motion/"
	want := []struct {
		name           string
		format         string
		read, rejected int
		opt            func(t *testing.T) ingest.Options
	}{
		{"climate/bmkg-dataonline-96733-klimatologi-banten-202309.xlsx", "bmkg-dataonline", 31, 0, nil},
		{"climate/bmkg-dataonline-97182-maritim-paotere-RR-202011-202101.xlsx", "bmkg-dataonline", 62, 0, nil},
		// The processed CSV names no station; 18 rows break physical limits
		// (ddd_x 370°, ff_x up to 185 m/s, Tx below Tn).
		{"climate/semarang-bmkg-daily-2017-2023-processed.csv", "bmkg-dataonline", 2525, 18,
			func(*testing.T) ingest.Options { return ingest.Options{Station: "96839"} }},
		{"air-quality/jakarta-ispu-dki1-bundaran-hi-2010-2021.csv", "jakarta-ispu", 4273, 0, nil},
		{"air-quality/aqicn-jakarta-central-us-consulate-daily-aqi.csv", "aqicn", 3795, 0,
			func(*testing.T) ingest.Options { return ingest.Options{Station: "aqicn-jakarta-central-us-consulate"} }},
		{"lightning/nea-sg-lightning_2025-04-10.csv", "nea-lightning", 265, 0, nil},
		{"lightning/nea-sg-lightning_2025-04-18.csv", "nea-lightning", 79, 0, nil},
		{"lightning/OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc", "goes-glm", 302, 0, nil},
		{sm + "bmkg-shakemap-20171016085300-grid.xml", "shakemap", 1, 0, nil},
		{sm + "bmkg-shakemap-bmg2010attp-stationlist.xml", "shakemap", 2, 0, nil},
		{sm + "knet-us2000cnnl/AOM0011801241951.NS", "knet-ascii", 1, 0, nil},
		{sm + "sac-ci38457511/20190706031952.CJ.T001230.HNE.sac", "sac", 1, 0, func(t *testing.T) ingest.Options {
			return ingest.Options{SACUnit: "g", Event: sample(t, sm+"sac-ci38457511/event.json")}
		}},
		{sm + "mseed-nc72282711/BK.CMB.00.HNZ__20140824T102014Z__20140824T102244Z.mseed", "miniseed", 1, 0, func(t *testing.T) ingest.Options {
			return ingest.Options{Inventory: sample(t, sm+"mseed-nc72282711/BK.CMB.xml")}
		}},
	}
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		for _, pass := range []string{"first", "second"} {
			for _, w := range want {
				opt := ingest.Options{}
				if w.opt != nil {
					opt = w.opt(t)
				}
				sum, err := in.File(ctx, path.Base(w.name), sample(t, w.name), opt)
				if err != nil {
					t.Fatalf("%s: %v", w.name, err)
				}
				if sum.Format != w.format || sum.Read != w.read || len(sum.Rejected) != w.rejected {
					t.Errorf("%s pass %s: format %s, read %d, rejected %d; want %s, %d, %d", pass, w.name, sum.Format, sum.Read, len(sum.Rejected), w.format, w.read, w.rejected)
				}
				if pass == "first" && sum.Inserted+len(sum.Rejected) != sum.Read {
					t.Errorf("%s: read %d, inserted %d, rejected %d", w.name, sum.Read, sum.Inserted, len(sum.Rejected))
				}
				if pass == "second" && (sum.Inserted != 0 || sum.Updated != 0) {
					t.Errorf("%s: re-ingest inserted %d, updated %d; want nothing changed", w.name, sum.Inserted, sum.Updated)
				}
			}
		}
	})
}

// TestBadRecordsRejectedRestLoads: garbled rows, out-of-range positions,
// future times and unit slips are rejected with their reason; the file's
// other records still load.
func TestBadRecordsRejectedRestLoads(t *testing.T) {
	nea := string(sample(t, "lightning/nea-sg-lightning_2025-04-18.csv"))
	ispuCSV := string(sample(t, "air-quality/jakarta-ispu-dki1-bundaran-hi-2010-2021.csv"))
	cases := []struct {
		name, data string
		opt        ingest.Options
		read       int
		reasons    []string
	}{
		{"nea-bad.csv", nea +
			"2025-04-19 10:51:48,2025-04-18T22:48:00+08:00,2025-04-18T22:50:03+08:00,95.5,103.3,C,Cloud to Cloud,2025-04-18T22:46:15.389+08:00\n" +
			"2025-04-19 10:51:48,2025-04-18T22:48:00+08:00,2025-04-18T22:50:03+08:00,1.1,103.3,C,Cloud to Cloud,2099-04-18T22:46:15.389+08:00\n" +
			"garbled,row\n", ingest.Options{}, 79 + 3, []string{"latitude", "future", "fields"}},
		{"ispu-bad.csv", ispuCSV + "13/45/2021,DKI1 (Bunderan HI),1,2,3,4,5,5,NO2,BAIK\n", ingest.Options{}, 4273 + 1, []string{"date"}},
		{"climate-bad.csv", ",Tanggal,Tn,Tx,Tavg,RH_avg,RR,ss,ff_x,ddd_x,ff_avg,ddd_car\n0,2023-01-01,24,31,27,80,0,5,4,90,2,E\n1,2023-01-02,24,31,27,180,0,5,4,90,2,E\n2,2099-01-03,24,31,27,80,0,5,4,90,2,E\n",
			ingest.Options{Station: "96839"}, 3, []string{"RH_avg", "future"}},
	}
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		for _, c := range cases {
			sum, err := in.File(context.Background(), c.name, []byte(c.data), c.opt)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if sum.Read != c.read || len(sum.Rejected) != len(c.reasons) || sum.Inserted+sum.Unchanged != c.read-len(c.reasons) {
				t.Fatalf("%s: %+v", c.name, sum)
			}
			for i, r := range sum.Rejected {
				if !strings.Contains(r.Reason, c.reasons[i]) {
					t.Errorf("%s: reject %d %q, want it to mention %q", c.name, i, r.Reason, c.reasons[i])
				}
			}
		}
	})
}

// TestMiniSEEDTextRecordsNoted: a text (log) record among the data records
// is left out, and the summary says so; the trace still loads.
func TestMiniSEEDTextRecordsNoted(t *testing.T) {
	const sm = "strong-motion/mseed-nc72282711/"
	data := bytes.Clone(sample(t, sm+"BK.CMB.00.HNZ__20140824T102014Z__20140824T102244Z.mseed"))
	b1000 := int(binary.BigEndian.Uint16(data[46:])) // the first blockette: 1000 in this file
	recLen := 1 << data[b1000+6]                     // its record length exponent
	data[len(data)-recLen+b1000+4] = 0               // the last record's encoding: text
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		sum, err := in.File(context.Background(), "BK.CMB.00.HNZ.mseed", data, ingest.Options{Inventory: sample(t, sm+"BK.CMB.xml")})
		if err != nil || sum.Read != 1 || sum.Inserted != 1 {
			t.Fatalf("%+v, %v; want the trace stored", sum, err)
		}
		if !slices.ContainsFunc(sum.Notes, func(n string) bool { return strings.Contains(n, "skipped: BK.CMB.00.HNZ: text records") }) {
			t.Errorf("notes %q: want the skipped text record named", sum.Notes)
		}
	})
}
