package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/mkg"
)

func testScan(digest string, start time.Time, code string) *mkg.RadarScan {
	bw := 1.0
	end := start.Add(4 * time.Minute)
	return &mkg.RadarScan{
		Site:  &mkg.RadarSite{Code: code, Name: code, Latitude: 50.857, Longitude: 6.38, AltitudeM: 99.5, BeamWidthDeg: &bw},
		Start: &start, End: &end, ScanType: mkg.ScanVolume, Format: mkg.RadarRainbow5, Metadata: true,
		Sweeps: []mkg.RadarSweep{{Start: start, FixedAngle: 0.6, Rays: 361, Bins: 400, RangeResolutionM: 250,
			Moments: []mkg.RadarMoment{{Name: "dBZ", Quantity: "DBZH", Units: "dBZ"}}}},
		File:      mkg.StoredFile{Digest: digest, Size: 1234, ContentType: "application/octet-stream", Name: "x.vol"},
		QuickLook: &mkg.StoredFile{Digest: strings.Repeat("c", 64), Size: 99, ContentType: "image/png"},
	}
}

func TestRadarScansRoundTripAndIdempotent(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2013, 5, 10, 0, 0, 6, 0, time.UTC)
		res, err := s.PutRadarScan(ctx, testScan(strings.Repeat("a", 64), t0, "143DEX"))
		if err != nil || res.Outcome != mkg.Inserted {
			t.Fatalf("first put: %+v, %v", res, err)
		}
		again, err := s.PutRadarScan(ctx, testScan(strings.Repeat("a", 64), t0, "143DEX"))
		if err != nil || again.Outcome != mkg.Unchanged || again.ID != res.ID {
			t.Fatalf("same file again: %+v, %v; want unchanged", again, err)
		}
		changed := testScan(strings.Repeat("a", 64), t0, "143DEX")
		changed.Sweeps[0].FixedAngle = 1.5
		if up, err := s.PutRadarScan(ctx, changed); err != nil || up.Outcome != mkg.Updated {
			t.Fatalf("changed metadata: %+v, %v; want updated", up, err)
		}
		if _, err := s.PutRadarScan(ctx, testScan(strings.Repeat("b", 64), t0.Add(time.Hour), "143DEX")); err != nil {
			t.Fatal(err)
		}
		sites, err := s.RadarSites(ctx)
		if err != nil || len(sites) != 1 || sites[0].Code != "143DEX" || *sites[0].BeamWidthDeg != 1 {
			t.Fatalf("sites = %+v, %v; want the one site", sites, err)
		}
		page, err := s.RadarScans(ctx, mkg.RadarScanFilter{}, mkg.Page{Limit: 1})
		if err != nil || len(page.Scans) != 1 || !page.HasNext || !page.Scans[0].Start.Equal(t0.Add(time.Hour)) {
			t.Fatalf("first page = %+v, %v; want the newest scan and more", page, err)
		}
		next, err := s.RadarScans(ctx, mkg.RadarScanFilter{}, mkg.Page{Limit: 1, After: &page.Cursors[0]})
		if err != nil || len(next.Scans) != 1 || next.HasNext || next.Scans[0].ID != res.ID {
			t.Fatalf("second page = %+v, %v", next, err)
		}
		got := next.Scans[0]
		if got.Sweeps[0].FixedAngle != 1.5 || got.Sweeps[0].Moments[0].Quantity != "DBZH" || got.QuickLook == nil ||
			got.File.Size != 1234 || *got.SiteID != sites[0].ID {
			t.Fatalf("stored scan = %+v", got)
		}
		from := t0.Add(30 * time.Minute)
		if f, err := s.RadarScans(ctx, mkg.RadarScanFilter{From: &from}, mkg.Page{Limit: 10}); err != nil || len(f.Scans) != 1 {
			t.Fatalf("time filter: %+v, %v", f, err)
		}
	})
}

func TestDeleteRadarScanReportsUnreferencedFiles(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2013, 5, 10, 0, 0, 6, 0, time.UTC)
		a, _ := s.PutRadarScan(ctx, testScan(strings.Repeat("a", 64), t0, "143DEX"))
		b, _ := s.PutRadarScan(ctx, testScan(strings.Repeat("b", 64), t0, "143DEX")) // same picture digest
		gone, err := s.DeleteRadarScan(ctx, a.ID)
		if err != nil || len(gone) != 1 || gone[0] != strings.Repeat("a", 64) {
			t.Fatalf("delete a = %v, %v; want only a's file (the picture is shared)", gone, err)
		}
		gone, err = s.DeleteRadarScan(ctx, b.ID)
		if err != nil || len(gone) != 2 {
			t.Fatalf("delete b = %v, %v; want its file and the picture", gone, err)
		}
		if _, err := s.DeleteRadarScan(ctx, b.ID); mkg.ErrorCode(err) != mkg.ENOTFOUND {
			t.Fatalf("delete again: %v, want NOT_FOUND", err)
		}
	})
}

func TestSatelliteProducts(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		put := func(digest string, band int, at time.Time) mkg.WriteResult {
			t.Helper()
			res, err := s.PutSatelliteProduct(ctx, &mkg.SatelliteProduct{Satellite: "Himawari-9", Sensor: "AHI", Band: band,
				WavelengthUM: 10.4, Product: "L1 HSD", Area: "FLDK", Start: at, ResolutionKm: 2, Segment: 1, Segments: 10,
				Format: "HSD", File: mkg.StoredFile{Digest: digest, Size: 10, ContentType: "application/octet-stream", Name: "n"}})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		first := put(strings.Repeat("1", 64), 13, t0)
		if again := put(strings.Repeat("1", 64), 13, t0); again.Outcome != mkg.Unchanged || again.ID != first.ID {
			t.Fatalf("same contents again = %+v; want unchanged", again)
		}
		put(strings.Repeat("2", 64), 3, t0.Add(10*time.Minute))
		page, err := s.SatelliteProducts(ctx, mkg.SatelliteFilter{Band: 13}, mkg.Page{Limit: 10})
		if err != nil || len(page.Products) != 1 || page.Products[0].Band != 13 || page.Products[0].Segments != 10 {
			t.Fatalf("band filter = %+v, %v", page, err)
		}
		all, err := s.SatelliteProducts(ctx, mkg.SatelliteFilter{}, mkg.Page{Limit: 1})
		if err != nil || len(all.Products) != 1 || all.Products[0].Band != 3 || !all.HasNext {
			t.Fatalf("newest first = %+v, %v", all, err)
		}
		if _, err := s.SatelliteProducts(ctx, mkg.SatelliteFilter{Band: 17}, mkg.Page{Limit: 1}); mkg.ErrorCode(err) != mkg.EINVALID {
			t.Fatalf("band 17: %v, want BAD_USER_INPUT", err)
		}
		gone, err := s.DeleteSatelliteProduct(ctx, first.ID)
		if err != nil || len(gone) != 1 {
			t.Fatalf("delete = %v, %v", gone, err)
		}
	})
}

func TestRadarScansOfSites(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		t0 := time.Date(2013, 5, 10, 0, 0, 0, 0, time.UTC)
		for i, d := range []string{"1", "2", "3"} {
			if _, err := s.PutRadarScan(ctx, testScan(strings.Repeat(d, 64), t0.Add(time.Duration(i)*time.Hour), "AAA")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.PutRadarScan(ctx, testScan(strings.Repeat("4", 64), t0, "BBB")); err != nil {
			t.Fatal(err)
		}
		sites, _ := s.RadarSites(ctx)
		pages, err := s.RadarScansOfSites(ctx, []int64{sites[0].ID, sites[1].ID, 9999}, mkg.RadarScanFilter{}, mkg.Page{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		a, b, none := pages[0], pages[1], pages[2]
		if len(a.Scans) != 2 || !a.HasNext || !a.Scans[0].Start.Equal(t0.Add(2*time.Hour)) {
			t.Fatalf("site AAA page %+v: want its 2 newest of 3", a)
		}
		if len(b.Scans) != 1 || b.HasNext || len(none.Scans) != 0 {
			t.Fatalf("site BBB %+v, unknown site %+v", b, none)
		}
		next, err := s.RadarScansOfSites(ctx, []int64{sites[0].ID}, mkg.RadarScanFilter{}, mkg.Page{Limit: 2, After: &a.Cursors[1]})
		if err != nil || len(next[0].Scans) != 1 || next[0].HasNext || !next[0].Scans[0].Start.Equal(t0) {
			t.Fatalf("second page of AAA: %+v, %v", next, err)
		}
	})
}
