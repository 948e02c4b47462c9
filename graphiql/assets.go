package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed assets/index.html assets/*.js assets/*.css assets/*.json
var files embed.FS

const (
	// immutable is for vendored files whose name carries their version: a
	// new version is a new URL, so a cached copy never goes stale.
	immutable = "public, max-age=31536000, immutable"
	// noCache is for the page and our own files: cache, but revalidate
	// (cheaply, with the ETag) before each use.
	noCache = "no-cache"
)

// versioned matches file names that carry a version, "react-18.3.1.production.min.js".
var versioned = regexp.MustCompile(`-\d+\.\d+\.\d+\.`)

// asset is one file ready to serve: the bytes, a gzip copy when that is
// smaller, and their entity tags.
type asset struct {
	body, gz     []byte
	etag, gzETag string
	contentType  string
	cacheControl string
}

// loadAssets reads the embedded files once per process and compresses them.
var loadAssets = sync.OnceValue(func() map[string]*asset {
	m := map[string]*asset{}
	entries, err := fs.ReadDir(files, "assets")
	if err != nil {
		panic("graphiql: embedded assets: " + err.Error())
	}
	for _, e := range entries {
		name := e.Name()
		if name == "index.html" { // a template, served through Handler
			continue
		}
		body, err := files.ReadFile("assets/" + name)
		if err != nil {
			panic("graphiql: embedded assets: " + err.Error())
		}
		cache := noCache
		if versioned.MatchString(name) {
			cache = immutable
		}
		m[name] = newAsset(name, body, cache)
	}
	return m
})

func newAsset(name string, body []byte, cacheControl string) *asset {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:12])
	a := &asset{
		body:         body,
		etag:         strconv.Quote(tag),
		contentType:  contentType(name),
		cacheControl: cacheControl,
	}
	if gz := gzipped(body); gz != nil && len(gz) < len(body)*9/10 {
		a.gz, a.gzETag = gz, strconv.Quote(tag+"-gzip")
	}
	return a
}

// gzipped compresses b; nil when that fails, which a bytes.Buffer never
// makes it do, and the asset is then served uncompressed.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err == nil {
		_, err = zw.Write(b)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return nil
	}
	return buf.Bytes()
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// serve writes the asset, gzipped when the client accepts it, and answers
// conditional (If-None-Match) and range requests through http.ServeContent.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", a.cacheControl)
	body, etag := a.body, a.etag
	if a.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = a.gz, a.gzETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip,
// honouring "gzip;q=0" as a refusal.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if !ok {
			return true
		}
		v, err := strconv.ParseFloat(q, 64)
		return err == nil && v > 0
	}
	return false
}
