// Command floor is the physical floor of a Go server over MKG Graph's
// PostgreSQL tables, for the load benchmark (bench/load): net/http,
// database/sql and lib/pq, one SQL statement per request, JSON shaped like
// MKG Graph's GraphQL answer to the same question. No GraphQL, no access
// checks, no cache: what is left is what any Go server must pay.
//
//	floor -addr 127.0.0.1:18104 -database-url postgres://…
//
//	/w1              the dashboard: the first 100 SYNOPTIC stations by name, each
//	                 with its latest non-NIL observation (LEFT JOIN LATERAL …
//	                 ORDER BY observed_at DESC LIMIT 1)
//	/w1-latest       the same through latest_observations, the table MKG
//	                 Graph keeps with each station's latest report
//	/w2?wmo=96749    a station by WMO index with its last 24 observations
//	/w3              the latest 50 earthquakes
//	/w4              a page of 50 stations by name
//	/hello           a fixed body (-hello-file: the bytes of MKG Graph's own
//	                 latestEarthquake answer), the floor of a cached read
//
// Every route accepts GET and POST and ignores the request body, so the
// benchmark can send each server the same request.
package main

import (
	"database/sql"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/lib/pq"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18104", "address to listen on")
	dbURL := flag.String("database-url", os.Getenv("DATABASE_URL"), "PostgreSQL URL of the benchmark database (env DATABASE_URL)")
	helloFile := flag.String("hello-file", "", "file whose bytes /hello answers; empty = a built-in latestEarthquake answer")
	maxOpen := flag.Int("max-open", 20, "database connections (MKG Graph's default is 20)")
	flag.Parse()
	if *dbURL == "" {
		log.Fatal("floor: -database-url (or DATABASE_URL) is required")
	}
	hello := defaultHello
	if *helloFile != "" {
		b, err := os.ReadFile(*helloFile)
		if err != nil {
			log.Fatalf("floor: -hello-file: %v", err)
		}
		hello = b
	}
	db, err := sql.Open("postgres", *dbURL)
	if err != nil {
		log.Fatalf("floor: -database-url: %v", err)
	}
	db.SetMaxOpenConns(*maxOpen)
	db.SetMaxIdleConns(*maxOpen)
	srv := &http.Server{Addr: *addr, Handler: routes(db, hello), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("floor listening on %s", *addr)
	log.Fatal(srv.ListenAndServe())
}

func routes(db *sql.DB, hello []byte) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/w1", handle(db, dashboard))
	mux.HandleFunc("/w1-latest", handle(db, dashboardLatest))
	mux.HandleFunc("/w2", handle(db, stationObservations))
	mux.HandleFunc("/w3", handle(db, latestEarthquakes))
	mux.HandleFunc("/w4", handle(db, stationsPage))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(hello)
	})
	return mux
}

// defaultHello is a latestEarthquake answer of MKG Graph on the demo data
// (the runner passes the server's current answer with -hello-file instead).
var defaultHello = []byte(`{"data":{"latestEarthquake":{"id":"RWFydGhxdWFrZToyMzk","originTime":"2025-12-24T05:30:34Z","latitude":-4.46,"longitude":102.6,"depth":30,"magnitude":4.6,"region":"Pusat gempa berada di laut 34 km barat Bengkulu Selatan","tsunamiPotential":null}}}` + "\n")
