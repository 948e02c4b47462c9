package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bmkg/mkggraph/download"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
)

// fetch GETs a download link (relative to the server) without any key.
func fetch(t *testing.T, base, link string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+link, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

const scansQuery = `{ radarScans(first: 10) { edges { node { id format fileName fileSize sha256 scanType start angles
	metadataExtracted site { code latitude longitude } moments { name quantity units }
	download { url fileName size contentType expiresAt } quickLook { url contentType } } } } }`

// scanByFile returns the scan of a demo file from a radarScans response.
func scanByFile(t *testing.T, d map[string]any, name string) map[string]any {
	t.Helper()
	for _, e := range dig(d, "radarScans", "edges").([]any) {
		if n := dig(e, "node").(map[string]any); n["fileName"] == name {
			return n
		}
	}
	t.Fatalf("no scan of %s in %v", name, d)
	return nil
}

const rainbowSample = "2013051000000600dBZ.vol"

// TestRadarCatalogueAndDownloads: the demo radar files are catalogued from
// their contents; an anonymous caller sees the catalogue and the open
// quick-look but not the volume; a partner with RADAR_VOLUME downloads it
// whole and by ranges, byte for byte.
func TestRadarCatalogueAndDownloads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		anon := post(t, srv.URL, scansQuery, nil)
		scan := scanByFile(t, anon.Data, rainbowSample)
		if dig(scan, "site", "code") != "143DEX" || scan["format"] != "RAINBOW5" || scan["scanType"] != "VOLUME" ||
			len(scan["angles"].([]any)) != 14 || scan["start"] != "2013-05-10T00:00:06Z" {
			t.Fatalf("Rainbow scan catalogued as %v", scan)
		}
		if scan["download"] != nil || !strings.Contains(anon.Raw, "RADAR_VOLUME") {
			t.Fatalf("anonymous caller got the volume link or no denial: %s", anon.Raw)
		}
		ql, body := fetch(t, srv.URL, dig(scan, "quickLook", "url").(string))
		if ql.StatusCode != 200 || ql.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("quick-look: %d %s", ql.StatusCode, ql.Header.Get("Content-Type"))
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil || img.Bounds().Dx() != 800 {
			t.Fatalf("quick-look is not an 800 px PNG: %v", err)
		}

		full := mustData(t, postAs(t, srv.URL, c.full, scansQuery, nil))
		dl := scanByFile(t, full, rainbowSample)["download"].(map[string]any)
		resp, data := fetch(t, srv.URL, dl["url"].(string))
		want, _ := os.ReadFile(filepath.Join("demo", "samples", "radar", rainbowSample))
		if resp.StatusCode != 200 || !bytes.Equal(data, want) || resp.Header.Get("Content-Length") != fmt.Sprint(len(want)) {
			t.Fatalf("download: %d, %d bytes (want %d)", resp.StatusCode, len(data), len(want))
		}
		sum := sha256.Sum256(want)
		if scanByFile(t, full, rainbowSample)["sha256"] != hex.EncodeToString(sum[:]) {
			t.Fatal("sha256 in the catalogue differs from the file's")
		}
		part, data := fetch(t, srv.URL, dl["url"].(string), "Range", "bytes=100-199")
		if part.StatusCode != http.StatusPartialContent || !bytes.Equal(data, want[100:200]) ||
			part.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(want)) {
			t.Fatalf("range request: %d %q, %d bytes", part.StatusCode, part.Header.Get("Content-Range"), len(data))
		}

		// A partner without the right gets a FORBIDDEN null, not a link.
		none := postAs(t, srv.URL, c.none, scansQuery, nil)
		if dig(scanByFile(t, none.Data, rainbowSample), "download") != nil || !strings.Contains(none.Raw, "FORBIDDEN") {
			t.Fatalf("partner without RADAR_VOLUME: %s", none.Raw)
		}
	})
}

// TestEveryRadarSampleIsCatalogued checks each demo radar file against
// what the file itself states.
func TestEveryRadarSampleIsCatalogued(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		d := mustData(t, postAs(t, srv.URL, callersOf(t, a).full, scansQuery, nil))
		tag := scanByFile(t, d, "TAG-20120801-140046-02-Z.nc")
		if dig(tag, "site", "code") != "TAG" || tag["format"] != "WDSS2_NETCDF" || tag["start"] != "2012-08-01T14:00:46Z" ||
			fmt.Sprint(tag["angles"]) != "[0.5]" || math.Abs(dig(tag, "site", "latitude").(float64)-14.142) > 1e-3 {
			t.Fatalf("WDSS-II scan catalogued as %v", tag)
		}
		for _, name := range []string{"example_cfradial_ppi.nc", "Z__C_RJTD_20230801200000_RDR_JMAGPV_RS47937_Gar0p250km0p70deg_PRref_N18_ANAL_cfrad.nc"} {
			sc := scanByFile(t, d, name)
			if sc["format"] != "CFRADIAL_NETCDF4" || sc["download"] == nil {
				t.Fatalf("%s catalogued as %v", name, sc)
			}
		}
	})
}

// TestDownloadLinksRefused: a tampered or expired link is 403; a link whose
// caller lost the right is 404, exactly like a link to nothing.
func TestDownloadLinksRefused(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			cfg := testConfig(t, backend)
			cfg.DownloadKey = strings.Repeat("s", 32)
			a, srv := startApp(t, cfg)
			c := &callers{}
			if err := c.setUp(a); err != nil {
				t.Fatal(err)
			}
			d := mustData(t, postAs(t, srv.URL, c.full, scansQuery, nil))
			scan := scanByFile(t, d, rainbowSample)
			link := dig(scan, "download", "url").(string)

			tampered := link[:len(link)-2] + map[bool]string{true: "AA", false: "AB"}[strings.HasSuffix(link, "AA")]
			if r, _ := fetch(t, srv.URL, tampered); r.StatusCode != http.StatusForbidden {
				t.Fatalf("tampered link: %d, want 403", r.StatusCode)
			}
			signer, _ := download.NewSigner([]byte(cfg.DownloadKey))
			id, err := model.ParseTypedID(scan["id"].(string), model.TypeRadarScan)
			if err != nil {
				t.Fatal(err)
			}
			expired := download.Path + signer.Sign(download.Claims{Kind: mkg.DownloadRadarScan, ID: id,
				Key: keyPrefix(t, c.full), Expires: time.Now().Add(-time.Second).Unix()})
			r, body := fetch(t, srv.URL, expired)
			if r.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "expired") {
				t.Fatalf("expired link: %d %s", r.StatusCode, body)
			}
			// The API's error shape, as on /graphql.
			if !strings.Contains(string(body), `{"errors":[{"message":`) || !strings.Contains(string(body), `"extensions":{"code":"FORBIDDEN"}`) {
				t.Errorf("expired link's body: %s; want errors[].extensions.code", body)
			}
			missing := download.Path + signer.Sign(download.Claims{Kind: mkg.DownloadRadarScan, ID: 999999,
				Key: keyPrefix(t, c.full), Expires: time.Now().Add(time.Minute).Unix()})
			_, notFound := fetch(t, srv.URL, missing)
			if !strings.Contains(string(notFound), `"extensions":{"code":"NOT_FOUND"}`) {
				t.Errorf("missing file's body: %s", notFound)
			}

			if _, err := a.Store.RemoveGrant(context.Background(), testActor, c.partnerAccount, mkg.DatasetRadarVolume); err != nil {
				t.Fatal(err)
			}
			r, lost := fetch(t, srv.URL, link)
			if r.StatusCode != http.StatusNotFound || !bytes.Equal(lost, notFound) {
				t.Fatalf("link after the right was removed: %d %s; want the same 404 as a missing file (%s)", r.StatusCode, lost, notFound)
			}

			// An admin removes a scan: its file and picture leave the store,
			// and links issued before answer like any missing file.
			tag := scanByFile(t, d, "TAG-20120801-140046-02-Z.nc")
			tagLink := dig(tag, "download", "url").(string)
			if r, _ := fetch(t, srv.URL, tagLink); r.StatusCode != 200 {
				t.Fatalf("netCDF link before deletion: %d", r.StatusCode)
			}
			del := `mutation($id: ID!) { deleteRadarScan(id: $id) { id filesRemoved } }`
			if res := postAs(t, srv.URL, c.full, del, map[string]any{"id": tag["id"]}); res.code(0) != "FORBIDDEN" {
				t.Fatalf("partner deleting a scan: %s", res.Raw)
			}
			out := mustData(t, postAs(t, srv.URL, c.admin, del, map[string]any{"id": tag["id"]}))
			if dig(out, "deleteRadarScan", "filesRemoved") != 2.0 {
				t.Fatalf("deletion removed %v files, want the file and its picture", out)
			}
			if r, body := fetch(t, srv.URL, tagLink); r.StatusCode != http.StatusNotFound || !bytes.Equal(body, notFound) {
				t.Fatalf("link to a deleted scan: %d %s", r.StatusCode, body)
			}
			if res := postAs(t, srv.URL, c.admin, del, map[string]any{"id": tag["id"]}); res.code(0) != "NOT_FOUND" {
				t.Fatalf("deleting again: %s", res.Raw)
			}
			satelliteDownload(t, a, srv, c)
		})
	}
}

func keyPrefix(t *testing.T, key string) string {
	t.Helper()
	p, ok := mkg.KeyPrefix(key)
	if !ok {
		t.Fatalf("not a key: %q", key)
	}
	return p
}

// TestExports: an export is the list query's result as a file, every page
// of it, under the dataset's right when issued and when fetched.
func TestExports(t *testing.T) {
	forEachBackend(t, func(t *testing.T, a *app, srv *httptest.Server) {
		c := callersOf(t, a)
		total := dig(mustData(t, post(t, srv.URL, `{ earthquakes(first: 1) { totalCount } }`, nil)), "earthquakes", "totalCount").(float64)
		d := mustData(t, post(t, srv.URL, `{ csv: exportEarthquakes { url contentType fileName } geo: exportEarthquakes(format: GEOJSON) { url } }`, nil))
		r, body := fetch(t, srv.URL, dig(d, "csv", "url").(string))
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if r.StatusCode != 200 || err != nil || len(rows) != int(total)+1 {
			t.Fatalf("earthquake CSV: %d, %v, %d rows for %v events", r.StatusCode, err, len(rows), total)
		}
		if strings.Join(rows[0][:5], ",") != "event_id,origin_time (UTC),latitude (degrees north),longitude (degrees east),depth (km)" {
			t.Fatalf("CSV header %v", rows[0])
		}
		_, body = fetch(t, srv.URL, dig(d, "geo", "url").(string))
		var fc struct {
			Type     string
			Features []struct {
				Geometry struct{ Coordinates []float64 }
			}
		}
		if err := json.Unmarshal(body, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != int(total) {
			t.Fatalf("earthquake GeoJSON: %v, %d features", err, len(fc.Features))
		}

		// Level 1 observations are restricted: no link for the anonymous caller.
		denied := post(t, srv.URL, `{ exportObservations(level: L1) { url } }`, nil)
		if denied.code(0) != "UNAUTHENTICATED" || dig(denied.Data, "exportObservations") != nil {
			t.Fatalf("anonymous L1 export: %s", denied.Raw)
		}
		if r := postAs(t, srv.URL, c.none, `{ exportObservations(level: L1) { url } }`, nil); r.code(0) != "FORBIDDEN" {
			t.Fatalf("L1 export without the SYNOP_L1 grant: %s", r.Raw)
		}
		obs := mustData(t, postAs(t, srv.URL, c.full, `{ observations(first: 1) { totalCount }
			l1: exportObservations(level: L1) { url } l2: exportObservations(level: L2, format: CSV) { url } }`, nil))
		n := int(dig(obs, "observations", "totalCount").(float64))
		for _, level := range []string{"l1", "l2"} {
			_, body := fetch(t, srv.URL, dig(obs, level, "url").(string))
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || len(rows) != n+1 {
				t.Fatalf("%s export: %v, %d rows for %d observations", level, err, len(rows), n)
			}
		}
		bad := post(t, srv.URL, `{ exportEarthquakes(filter: {minMagnitude: 6, maxMagnitude: 5}) { url } }`, nil)
		if bad.code(0) != "BAD_USER_INPUT" {
			t.Fatalf("bad export filter: %s", bad.Raw)
		}
	})
}

// satelliteDownload: a Himawari file is catalogued from its name; SATELLITE
// is REGISTERED by default, so any account downloads it and an anonymous
// caller is told to sign in.
func satelliteDownload(t *testing.T, a *app, srv *httptest.Server, c *callers) {
	t.Helper()
	contents := []byte("Himawari Standard Data, band 13, segment 1 of 10")
	name := "HS_H09_20240101_0000_B13_FLDK_R20_S0110.DAT"
	if _, err := a.Ingest.File(context.Background(), name, contents, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	q := `{ satelliteProducts(filter: {band: 13}) { edges { node { satellite band wavelength area start resolution segment segments
		download { url contentType } } } } }`
	if anon := post(t, srv.URL, q, nil); anon.code(0) != "UNAUTHENTICATED" {
		t.Fatalf("anonymous satellite list: %s", anon.Raw)
	}
	n := dig(mustData(t, postAs(t, srv.URL, c.none, q, nil)), "satelliteProducts", "edges", 0, "node").(map[string]any)
	if n["satellite"] != "Himawari-9" || n["wavelength"] != 10.4 || n["start"] != "2024-01-01T00:00:00Z" || n["segments"] != 10.0 {
		t.Fatalf("catalogued as %v", n)
	}
	r, body := fetch(t, srv.URL, dig(n, "download", "url").(string))
	if r.StatusCode != 200 || !bytes.Equal(body, contents) || !strings.Contains(r.Header.Get("Content-Disposition"), name) {
		t.Fatalf("satellite download: %d %q %q", r.StatusCode, body, r.Header.Get("Content-Disposition"))
	}
}
