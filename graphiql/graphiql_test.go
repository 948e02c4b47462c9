package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

// mounted serves the handler the way the server does, under /graphiql/.
func mounted(endpoint string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", Handler(endpoint)))
	return mux
}

func get(t *testing.T, h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestPage(t *testing.T) {
	rec := get(t, mounted("/graphql"), "/graphiql/")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q", cc)
	}
	if rec.Header().Get("ETag") == "" {
		t.Error("no ETag")
	}
	body := rec.Body.String()
	for _, want := range []string{
		"<title>MKG Graph — GraphiQL</title>",
		`data-endpoint="/graphql"`,
		`<script src="assets/bootstrap.js"></script>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") || strings.Contains(body, "//cdn") {
		t.Error("page contains an absolute URL")
	}
	// Every src/href is a local relative asset (or the empty data: icon) and is served.
	refs := regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(body, -1)
	if len(refs) < 6 {
		t.Fatalf("page refers to only %d resources", len(refs))
	}
	for _, m := range refs {
		ref := m[1]
		if ref == "data:," {
			continue
		}
		if !strings.HasPrefix(ref, "assets/") {
			t.Errorf("reference %q is not a relative assets/ URL", ref)
			continue
		}
		if rec := get(t, mounted("/graphql"), "/graphiql/"+ref); rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", ref, rec.Code)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "style=") {
		t.Error("page has an inline script or style")
	}
}

func TestPageEscapesEndpoint(t *testing.T) {
	body := get(t, mounted(`/graphql"><script>alert(1)</script>`), "/graphiql/").Body.String()
	if strings.Contains(body, "<script>alert") {
		t.Error("endpoint is not escaped")
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	for _, path := range []string{"/graphiql/", "/graphiql/assets/bootstrap.js", "/graphiql/nothing"} {
		rec := get(t, mounted("/graphql"), path)
		csp := rec.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
	}
	csp := Policy("https://api.example.org/graphql")
	if !strings.Contains(csp, "connect-src 'self' https://api.example.org wss://api.example.org;") {
		t.Errorf("cross-origin endpoint: CSP %q", csp)
	}
}

func TestAssets(t *testing.T) {
	h := mounted("/graphql")
	for name, want := range map[string]struct{ contentType, cache string }{
		"graphiql-4.1.2.min.js":              {"text/javascript; charset=utf-8", immutable},
		"graphiql-4.1.2.min.css":             {"text/css; charset=utf-8", immutable},
		"react-18.3.1.production.min.js":     {"text/javascript; charset=utf-8", immutable},
		"react-dom-18.3.1.production.min.js": {"text/javascript; charset=utf-8", immutable},
		"bootstrap.js":                       {"text/javascript; charset=utf-8", noCache},
		"page.css":                           {"text/css; charset=utf-8", noCache},
	} {
		orig, err := os.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		rec := get(t, h, "/graphiql/assets/"+name)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), orig) {
			t.Errorf("%s: status %d, %d bytes; want 200, the file", name, rec.Code, rec.Body.Len())
		}
		hdr := rec.Header()
		if hdr.Get("Content-Type") != want.contentType || hdr.Get("Cache-Control") != want.cache {
			t.Errorf("%s: Content-Type %q, Cache-Control %q", name, hdr.Get("Content-Type"), hdr.Get("Cache-Control"))
		}
		etag := hdr.Get("ETag")
		if rec := get(t, h, "/graphiql/assets/"+name, "If-None-Match", etag); rec.Code != http.StatusNotModified {
			t.Errorf("%s: If-None-Match: status %d, want 304", name, rec.Code)
		}

		rec = get(t, h, "/graphiql/assets/"+name, "Accept-Encoding", "br, gzip")
		if rec.Header().Get("Content-Encoding") == "gzip" {
			if gunzip(t, rec.Body.Bytes()) != string(orig) || rec.Header().Get("ETag") == etag {
				t.Errorf("%s: gzip body or ETag wrong", name)
			}
		} else if len(orig) > 1000 {
			t.Errorf("%s: not gzipped", name)
		}
		if rec := get(t, h, "/graphiql/assets/"+name, "Accept-Encoding", "gzip;q=0"); rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: gzipped although refused", name)
		}
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestNotFound(t *testing.T) {
	h := mounted("/graphql")
	for _, path := range []string{
		"/graphiql/assets/nothing.js", "/graphiql/assets/", "/graphiql/assets/index.html",
		"/graphiql/assets/README.md", "/graphiql/assets/LICENSE.react",
		"/graphiql/other", "/graphiql/assets/bootstrap.js/x",
	} {
		if rec := get(t, h, path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, rec.Code)
		}
	}
	// Unclean paths, which http.ServeMux would have redirected, straight to the handler.
	for _, path := range []string{"/assets/../graphiql.go", "/assets/./page.css", "//assets/page.css", "/assets/%2e%2e/x"} {
		if rec := get(t, Handler("/graphql"), path); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, rec.Code)
		}
	}
}

func TestMethodsAndMounts(t *testing.T) {
	h := mounted("/graphql")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphiql/", nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/graphiql/assets/bootstrap.js", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: status %d, %d bytes, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	// Mounted with the slash stripped too, or at the root.
	for prefix, path := range map[string]string{"/graphiql/": "/graphiql/assets/page.css", "": "/assets/page.css"} {
		mux := http.NewServeMux()
		mux.Handle("/", http.StripPrefix(prefix, Handler("/graphql")))
		if rec := get(t, mux, path); rec.Code != http.StatusOK {
			t.Errorf("StripPrefix(%q) %s: status %d", prefix, path, rec.Code)
		}
	}
	// http.ServeMux sends /graphiql to /graphiql/, where relative URLs work.
	if rec := get(t, h, "/graphiql"); rec.Code/100 != 3 || rec.Header().Get("Location") != "/graphiql/" {
		t.Errorf("/graphiql: status %d, Location %q", rec.Code, rec.Header().Get("Location"))
	}
}

// TestVendoredChecksums keeps assets/README.md honest: every vendored file
// has the sha256 the README states.
func TestVendoredChecksums(t *testing.T) {
	readme, err := os.ReadFile("assets/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"graphiql-4.1.2.min.js", "graphiql-4.1.2.min.css", "react-18.3.1.production.min.js",
		"react-dom-18.3.1.production.min.js", "LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom",
		"graphiql-plugin-explorer-4.0.6.umd.js", "graphiql-plugin-explorer-4.0.6.css",
		"graphql-ws-6.4.2.min.js", "LICENSE.graphql-ws",
	} {
		b, err := os.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		row := "| `" + name + "` |"
		i := bytes.Index(readme, []byte(row))
		if i < 0 {
			t.Errorf("README has no row for %s", name)
			continue
		}
		line, _, _ := bytes.Cut(readme[i:], []byte("\n"))
		if !bytes.Contains(line, []byte(hex.EncodeToString(sum[:]))) {
			t.Errorf("%s: sha256 %x is not the one in README.md", name, sum)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"": false, "gzip": true, "deflate, gzip;q=1.0, *;q=0.5": true, "GZIP": true,
		"gzip;q=0": false, "gzip; q=0.0": false, "br": false, "gzipx": false, "gzip;q=0.001": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
