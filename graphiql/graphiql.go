// Package graphiql serves the GraphiQL IDE from files embedded in the
// binary, so that it works on networks without internet access: no CDN, no
// fonts or scripts from anywhere but the server itself.
//
// The vendored GraphiQL and React builds, their versions, checksums and
// licences are listed in assets/README.md.
//
// Mount the handler under a path ending in a slash; the page refers to its
// assets with relative URLs ("assets/…"), so it works at any mount point:
//
//	mux.Handle("/graphiql/", http.StripPrefix("/graphiql", graphiql.Handler("/graphql")))
//
// (http.ServeMux redirects "/graphiql" to "/graphiql/".)
package graphiql

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// Handler serves GraphiQL at its mount point: the HTML page and /assets/*,
// from embed.FS. endpoint is the GraphQL URL the page posts to, e.g.
// "/graphql"; a relative URL is resolved against the page. An absolute
// endpoint on another origin is added to the page's connect-src.
//
// Only GET and HEAD are answered. The page is sent with a strict
// Content-Security-Policy (see [Policy]).
func Handler(endpoint string) http.Handler {
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, struct{ Endpoint string }{endpoint}); err != nil {
		panic("graphiql: page template: " + err.Error()) // the template is embedded and fixed
	}
	return &handler{
		page:   newAsset("index.html", page.Bytes(), noCache),
		assets: loadAssets(),
		csp:    Policy(endpoint),
	}
}

var pageTemplate = template.Must(template.ParseFS(files, "assets/index.html"))

// Policy returns the Content-Security-Policy sent with every response for a
// page that posts to endpoint.
//
// Scripts, styles and connections are limited to the server itself. The
// bootstrap script is a file, so scripts need no 'unsafe-inline'. Styles
// do: GraphiQL's dialogs (settings, short keys; Radix UI with
// react-remove-scroll) insert a <style> element when they open, which a
// policy without 'unsafe-inline' blocks (browser_test.go shows it). Fonts
// and a few icons are data: URIs inside graphiql.min.css. A cross-origin
// endpoint is added to connect-src, with its WebSocket counterpart for
// subscriptions.
func Policy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.IsAbs() && u.Host != "" {
		origin := u.Scheme + "://" + u.Host
		connect += " " + origin
		switch u.Scheme {
		case "https":
			connect += " wss://" + u.Host
		case "http":
			connect += " ws://" + u.Host
		}
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

type handler struct {
	page   *asset
	assets map[string]*asset
	csp    string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/")
	if p == "" || p == "index.html" {
		h.page.serve(w, r)
		return
	}
	if name, ok := strings.CutPrefix(p, "assets/"); ok {
		if a := h.assets[name]; a != nil {
			a.serve(w, r)
			return
		}
	}
	http.NotFound(w, r)
}
