package ingest_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/filestore"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

// storedFiles counts the files in a file store directory.
func storedFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if rel, _ := filepath.Rel(dir, p); err == nil && !d.IsDir() && !strings.HasPrefix(rel, "tmp"+string(filepath.Separator)) {
			n++
		}
		return nil
	})
	return n
}

// TestRadarScansFromTheirContents checks each radar sample's catalogue
// entry against what the file states (sites, times, angles, moments).
func TestRadarScansFromTheirContents(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		for _, name := range []string{"2013051000000600dBZ.vol", "TAG-20120801-140046-02-Z.nc", "example_cfradial_ppi.nc",
			"Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc"} {
			if _, err := in.File(ctx, name, sample(t, "radar/"+name), ingest.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		page, err := s.RadarScans(ctx, mkg.RadarScanFilter{}, mkg.Page{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		sites, _ := s.RadarSites(ctx)
		code := map[int64]string{}
		for _, st := range sites {
			code[st.ID] = st.Code
		}
		want := map[string]struct {
			site, start, typ string
			sweeps           int
			angle0           float64
			rays, bins       int
			gate             float64
			moment           string
		}{
			"2013051000000600dBZ.vol":     {"143DEX", "2013-05-10T00:00:06Z", "VOLUME", 14, 0.6, 361, 400, 250, "DBZH"},
			"TAG-20120801-140046-02-Z.nc": {"TAG", "2012-08-01T14:00:46Z", "PPI", 1, 0.5, 360, 240, 500, "DBZH"},
			"example_cfradial_ppi.nc":     {"xsapr-sgp", "2011-05-20T10:54:16Z", "PPI", 1, 0.5, 40, 42, 960, "DBZH"},
			"Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc": {"47937", "2023-08-01T19:59:01Z", "PPI", 1, 1.2, 512, 600, 250, "DBZH"},
		}
		if len(page.Scans) != len(want) {
			t.Fatalf("%d scans, want %d", len(page.Scans), len(want))
		}
		for _, sc := range page.Scans {
			w := want[sc.File.Name]
			sw := sc.Sweeps[0]
			got := []any{code[*sc.SiteID], sc.Start.Format(time.RFC3339), sc.ScanType, len(sc.Sweeps), sw.Rays, sw.Bins, sw.RangeResolutionM, sw.Moments[0].Quantity}
			exp := []any{w.site, w.start, w.typ, w.sweeps, w.rays, w.bins, w.gate, w.moment}
			for i := range got {
				if got[i] != exp[i] {
					t.Errorf("%s: got %v, want %v", sc.File.Name, got, exp)
					break
				}
			}
			if d := sw.FixedAngle - w.angle0; d > 0.01 || d < -0.01 {
				t.Errorf("%s: first angle %v, want %v", sc.File.Name, sw.FixedAngle, w.angle0)
			}
			if !sc.Metadata || sc.QuickLook == nil {
				t.Errorf("%s: metadata %v, quick-look %v", sc.File.Name, sc.Metadata, sc.QuickLook)
			}
		}
	})
}

// TestBadFilesAreRefusedWhole: a truncated or corrupt radar file, a file
// whose header lies, an unknown format and a badly named satellite file
// are refused with the reason, and nothing of them is kept: no catalogue
// row, no stored file.
func TestBadFilesAreRefusedWhole(t *testing.T) {
	vol := sample(t, "radar/2013051000000600dBZ.vol")
	tag := sample(t, "radar/TAG-20120801-140046-02-Z.nc")
	cf := sample(t, "radar/example_cfradial_ppi.nc")
	lying := bytes.Replace(vol, []byte(`size="`), []byte(`size="9`), 1)
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"cut.vol", vol[:len(vol)/2], ""},
		{"cut-header.vol", vol[:2000], ""},
		{"lying.vol", lying, ""},
		{"cut.nc", tag[:len(tag)-1000], ""},
		{"cut-cf.nc", cf[:len(cf)/3], ""},
		{"noise.bin", bytes.Repeat([]byte{0x5a, 0x17}, 5000), "format not recognised"},
		{"HS_H09_20240101_0000_B17_FLDK_R20_S0110.DAT", []byte("x"), "band"},
		{"HS_H09_20230230_0000_B13_FLDK_R20_S0110.DAT", []byte("x"), "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			s, in, dir := sqliteIngester(t)
			_, err := in.File(ctx, c.name, c.data, ingest.Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
			if strings.Contains(err.Error(), dir) {
				t.Fatalf("error leaks a path: %v", err)
			}
			page, _ := s.RadarScans(ctx, mkg.RadarScanFilter{}, mkg.Page{Limit: 5})
			sat, _ := s.SatelliteProducts(ctx, mkg.SatelliteFilter{}, mkg.Page{Limit: 5})
			if len(page.Scans)+len(sat.Products) != 0 || storedFiles(t, filepath.Join(dir, "files")) != 0 {
				t.Fatalf("refused file left %d scans, %d products, %d stored files", len(page.Scans), len(sat.Products), storedFiles(t, filepath.Join(dir, "files")))
			}
			t.Logf("refused: %v", err)
		})
	}
}

// TestSatelliteProductsFromTheirNames: a Himawari file is catalogued from
// its name and kept as received; the same contents again change nothing.
func TestSatelliteProductsFromTheirNames(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *sqlstore.Store, in *ingest.Ingester) {
		ctx := context.Background()
		name := "HS_H09_20240101_0250_B13_FLDK_R20_S0310.DAT"
		sum, err := in.File(ctx, name, []byte("segment 3 of band 13"), ingest.Options{})
		if err != nil || sum.Inserted != 1 || sum.Format != "himawari" {
			t.Fatalf("summary %+v, %v", sum, err)
		}
		again, err := in.File(ctx, name, []byte("segment 3 of band 13"), ingest.Options{})
		if err != nil || again.Unchanged != 1 {
			t.Fatalf("second ingest %+v, %v", again, err)
		}
		page, err := s.SatelliteProducts(ctx, mkg.SatelliteFilter{}, mkg.Page{Limit: 5})
		if err != nil || len(page.Products) != 1 {
			t.Fatalf("%+v, %v", page, err)
		}
		p := page.Products[0]
		if p.Satellite != "Himawari-9" || p.Band != 13 || p.WavelengthUM != 10.4 || p.Area != "FLDK" ||
			!p.Start.Equal(time.Date(2024, 1, 1, 2, 50, 0, 0, time.UTC)) || p.ResolutionKm != 2 || p.Segment != 3 || p.Segments != 10 {
			t.Fatalf("catalogued as %+v", p)
		}
	})
}

// TestFileKeptWhenCatalogueWriteFails: the file reaches the file store
// before its catalogue row; when the row cannot be written the file stays,
// and a retry catalogues it without storing it twice.
func TestFileKeptWhenCatalogueWriteFails(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "t.db")
	files, _ := filestore.NewLocal(filepath.Join(dir, "files"))
	s, err := sqlstore.Open(ctx, url, sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	s.Close() // the database goes away before the catalogue write
	vol := sample(t, "radar/2013051000000600dBZ.vol")
	if _, err := ingest.New(s, quiet).WithFiles(files).File(ctx, "a.vol", vol, ingest.Options{}); err == nil {
		t.Fatal("ingest into a closed database succeeded")
	}
	kept := storedFiles(t, filepath.Join(dir, "files"))
	if kept != 2 {
		t.Fatalf("%d files kept after the failed catalogue write, want the volume and its picture", kept)
	}
	s, err = sqlstore.Open(ctx, url, sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum, err := ingest.New(s, quiet).WithFiles(files).File(ctx, "a.vol", vol, ingest.Options{})
	if err != nil || sum.Inserted != 1 {
		t.Fatalf("retry: %+v, %v", sum, err)
	}
	if n := storedFiles(t, filepath.Join(dir, "files")); n != kept {
		t.Fatalf("retry left %d files, want the same %d", n, kept)
	}
}

// TestBinarySACDetectedLast: binary SAC's only signature is the header
// version (6 or 7) at byte 304, which any binary file may hold by chance;
// files of formats with a real signature are never taken for SAC.
func TestBinarySACDetectedLast(t *testing.T) {
	ctx := context.Background()
	_, in, _ := sqliteIngester(t)
	for name, want := range map[string]string{
		"strong-motion/mseed-nc72282711/BK.CMB.00.HNE__20140824T102014Z__20140824T102244Z.mseed": "miniseed",
		"radar/example_cfradial_ppi.nc":                                                   "cfradial-netcdf4",
		"radar/TAG-20120801-140046-02-Z.nc":                                               "wdss2-netcdf",
		"lightning/OR_GLM-L2-LCFA_G16_s20181830433000_e20181830433200_c20181830433231.nc": "goes-glm",
	} {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := bytes.Clone(sample(t, name))
			order.PutUint32(data[304:], 6)
			sum, _ := in.File(ctx, filepath.Base(name), data, ingest.Options{})
			if sum.Format != want {
				t.Errorf("%s with 6 (%v) at byte 304: detected as %q, want %q", name, order, sum.Format, want)
			}
		}
	}
}

// sqliteIngester returns an ingester over a fresh SQLite store and a file
// store, both in dir (files under dir/files).
func sqliteIngester(t *testing.T) (*sqlstore.Store, *ingest.Ingester, string) {
	t.Helper()
	dir := t.TempDir()
	s, err := sqlstore.Open(context.Background(), "sqlite:"+filepath.Join(dir, "t.db"), sqlstore.Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	files, err := filestore.NewLocal(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	return s, ingest.New(s, quiet).WithFiles(files), dir
}
