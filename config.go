package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/download"
	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/sqlstore"
)

// Config is every setting of the server and its subcommands. Each has a
// flag and an environment variable; a flag wins over the variable, the
// variable over the default.
type Config struct {
	Addr               string
	AdminAddr          string // operators' listener (profiler); empty = none
	DatabaseURL        string
	StmtTimeout        time.Duration // PostgreSQL's statement_timeout per session; 0 = none
	SQLitePath         string
	RedisURL           string
	RedisPrefix        string
	DemoData           string // auto, true or false
	CacheMaxBytes      int
	CacheObjectBytes   int
	ResponseCacheBytes int
	StationTTL         time.Duration
	EarthquakeTTL      time.Duration
	Limits             httpapi.Limits
	CORSOrigins        string
	TrustedProxies     string // comma-separated CIDRs
	ShutdownTimeout    time.Duration
	LogLevel           string
	LogFormat          string
	SMTPURL            string
	MailFrom           string
	OutboxInterval     time.Duration
	Standards          mkg.Standards
	FileDir            string
	DownloadKey        string // secret: signs download links; never logged
	DownloadTTL        time.Duration
	PublicURL          string

	// clock replaces time.Now for the store and the outbox (tests only).
	clock func() time.Time
	// demoFiles, when set, limits the demo data to the files it accepts
	// (tests that start servers of their own load what they use).
	demoFiles func(name string) bool
	// observeCache, when set, wraps the cache backend (tests time the calls
	// that reach Redis).
	observeCache func(mkg.Cache) mkg.Cache
}

// setting binds one flag to its environment variable.
type setting struct {
	flag, env string
}

func defineFlags(fs *flag.FlagSet, c *Config) []setting {
	lim := httpapi.DefaultLimits
	var s []setting
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, def, usage+" (env "+env+")")
		s = append(s, setting{name, env})
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		fs.DurationVar(p, name, def, usage+" (env "+env+")")
		s = append(s, setting{name, env})
	}
	num := func(p *int, name, env string, def int, usage string) {
		fs.IntVar(p, name, def, usage+" (env "+env+")")
		s = append(s, setting{name, env})
	}
	str(&c.Addr, "addr", "MKG_ADDR", ":8080", "address to listen on")
	str(&c.AdminAddr, "admin-addr", "MKG_ADMIN_ADDR", "", "address of the operators' listener with the Go profiler (/debug/pprof/), e.g. 127.0.0.1:6060; never expose it publicly; empty = none")
	str(&c.DatabaseURL, "database-url", "DATABASE_URL", "", "PostgreSQL URL (postgres://user:pass@host/db?sslmode=disable); empty = embedded SQLite")
	dur(&c.StmtTimeout, "db-statement-timeout", "MKG_DB_STATEMENT_TIMEOUT", sqlstore.DefaultStatementTimeout, "longest a PostgreSQL statement may run, and a transaction sit idle, before the server ends it (statement_timeout); 0 = no limit; the database URL's own statement_timeout wins")
	str(&c.SQLitePath, "sqlite-path", "MKG_SQLITE_PATH", "mkggraph.db", "SQLite database file used when no database URL is set")
	str(&c.RedisURL, "redis-url", "REDIS_URL", "", "Redis URL (redis://host:6379/0) for the shared cache; empty = in-process cache")
	str(&c.RedisPrefix, "redis-prefix", "MKG_REDIS_PREFIX", "mkg:", "prefix of every Redis key")
	str(&c.DemoData, "demo-data", "MKG_DEMO_DATA", "auto", "load the bundled real demo data into an empty database: auto (only for the embedded SQLite), true or false")
	num(&c.CacheMaxBytes, "cache-max-bytes", "MKG_CACHE_MAX_BYTES", 64<<20, "size of the in-process cache")
	num(&c.ResponseCacheBytes, "response-cache-bytes", "MKG_RESPONSE_CACHE_BYTES", 16<<20, "memory for whole GraphQL responses answered again while their data are unchanged; 0 turns it off")
	num(&c.CacheObjectBytes, "cache-object-bytes", "MKG_CACHE_OBJECT_BYTES", 32<<20, "decoded cached values kept in process memory in front of the cache (estimated size)")
	dur(&c.StationTTL, "cache-station-ttl", "MKG_CACHE_STATION_TTL", 10*time.Minute, "how long station catalogue reads are cached")
	dur(&c.EarthquakeTTL, "cache-earthquake-ttl", "MKG_CACHE_EARTHQUAKE_TTL", 30*time.Second, "how long the latest-earthquake read is cached")
	fs.Int64Var(&c.Limits.MaxBodyBytes, "max-body-bytes", lim.MaxBodyBytes, "largest request body accepted (env MKG_MAX_BODY_BYTES)")
	s = append(s, setting{"max-body-bytes", "MKG_MAX_BODY_BYTES"})
	fs.Int64Var(&c.Limits.MaxUploadBytes, "max-upload-bytes", lim.MaxUploadBytes, "largest multipart request (with a request letter) accepted; the letter itself is at most 10 MiB (env MKG_MAX_UPLOAD_BYTES)")
	s = append(s, setting{"max-upload-bytes", "MKG_MAX_UPLOAD_BYTES"})
	num(&c.Limits.MaxDepth, "max-query-depth", "MKG_MAX_QUERY_DEPTH", lim.MaxDepth, "deepest field nesting a query may have")
	num(&c.Limits.MaxComplexity, "max-query-cost", "MKG_MAX_QUERY_COST", lim.MaxComplexity, "largest query cost (each list field costs its children times its page size)")
	num(&c.Limits.MaxWork, "max-query-work", "MKG_MAX_QUERY_WORK", lim.MaxWork, "most work a query may cost before it runs: fields compared and selections visited to validate it, argument values it reads")
	num(&c.Limits.MaxTokens, "max-query-tokens", "MKG_MAX_QUERY_TOKENS", lim.MaxTokens, "largest query document, in lexer tokens")
	num(&c.Limits.MaxRunning, "max-running-requests", "MKG_MAX_RUNNING_REQUESTS", lim.MaxRunning, "GraphQL requests executed at once; more wait for a turn within their time limit (requests answered from stored responses never wait); 0 = no limit")
	dur(&c.Limits.RequestTimeout, "request-timeout", "MKG_REQUEST_TIMEOUT", lim.RequestTimeout, "time limit of one GraphQL request")
	str(&c.CORSOrigins, "cors-origins", "MKG_CORS_ORIGINS", "*", "comma-separated origins browsers may call the API from; * = any")
	str(&c.TrustedProxies, "trusted-proxies", "MKG_TRUSTED_PROXIES", "", "comma-separated networks (CIDRs) of reverse proxies whose Forwarded / X-Forwarded-For headers name the client; empty = the peer address is the client")
	dur(&c.ShutdownTimeout, "shutdown-timeout", "MKG_SHUTDOWN_TIMEOUT", 20*time.Second, "how long in-flight requests may finish on SIGTERM")
	str(&c.SMTPURL, "smtp-url", "MKG_SMTP_URL", "", "mail server for notifications to applicants (smtp://user:pass@host:587, smtps://…); empty = write them to the log")
	str(&c.MailFrom, "mail-from", "MKG_MAIL_FROM", "MKG Graph <noreply@localhost>", "sender address of notifications")
	dur(&c.OutboxInterval, "outbox-interval", "MKG_OUTBOX_INTERVAL", 5*time.Second, "how often undelivered notifications are retried")
	dur(&c.Standards.Applicant, "standard-applicant", "MKG_STANDARD_APPLICANT", mkg.DefaultStandards.Applicant, "service standard: the applicant's form, when started in the system")
	dur(&c.Standards.Review, "standard-review", "MKG_STANDARD_REVIEW", mkg.DefaultStandards.Review, "service standard: the service desk's check")
	dur(&c.Standards.Fulfilment, "standard-fulfilment", "MKG_STANDARD_FULFILMENT", mkg.DefaultStandards.Fulfilment, "service standard: the officer's fulfilment, forward to close")
	str(&c.FileDir, "file-dir", "MKG_FILE_DIR", "", "directory of the file store (radar and satellite files, rendered pictures); empty = beside the SQLite file (<sqlite-path>-files), or ./mkggraph-files with PostgreSQL")
	str(&c.DownloadKey, "download-key", "MKG_DOWNLOAD_KEY", "", "secret of at least 32 bytes that signs download links; empty = a random key per start (links then die with a restart and are not shared between instances)")
	dur(&c.DownloadTTL, "download-ttl", "MKG_DOWNLOAD_TTL", 15*time.Minute, "how long a download link works")
	str(&c.PublicURL, "public-url", "MKG_PUBLIC_URL", "", "the API's public base URL (https://api.example.go.id) to make download links absolute; empty = links relative to the API")
	str(&c.LogLevel, "log-level", "MKG_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.LogFormat, "log-format", "MKG_LOG_FORMAT", "json", "json or text")
	return s
}

// applyEnv sets every flag not given on the command line from its
// environment variable, through the flag's own parser so values are
// checked the same way.
func applyEnv(fs *flag.FlagSet, settings []setting, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings {
		if v := getenv(s.env); v != "" && !given[s.flag] {
			if err := fs.Set(s.flag, v); err != nil {
				return fmt.Errorf("%s=%q: %w", s.env, v, err)
			}
		}
	}
	return nil
}

// Validate checks the settings together.
func (c *Config) Validate() error {
	var errs []error
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") &&
		!strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		//lint:ignore ST1005 the message begins with the environment variable's name
		errs = append(errs, errors.New("DATABASE_URL must start with postgres://, postgresql:// or sqlite:"))
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		errs = append(errs, errors.New("REDIS_URL must start with redis:// or rediss://"))
	}
	switch c.DemoData {
	case "auto", "true", "false":
	default:
		errs = append(errs, fmt.Errorf("demo-data must be auto, true or false (got %q)", c.DemoData))
	}
	if c.Standards.Applicant <= 0 || c.Standards.Review <= 0 || c.Standards.Fulfilment <= 0 {
		errs = append(errs, errors.New("service standards must be positive durations"))
	}
	if c.SMTPURL != "" && !strings.HasPrefix(c.SMTPURL, "smtp://") && !strings.HasPrefix(c.SMTPURL, "smtps://") {
		errs = append(errs, errors.New("MKG_SMTP_URL must start with smtp:// or smtps://"))
	}
	if c.StmtTimeout < 0 {
		errs = append(errs, errors.New("db-statement-timeout must not be negative (0 = no limit)"))
	}
	if c.Limits.MaxUploadBytes < c.Limits.MaxBodyBytes {
		errs = append(errs, errors.New("max-upload-bytes must be at least max-body-bytes"))
	}
	if c.Limits.MaxBodyBytes < 1024 || c.Limits.MaxDepth < 2 || c.Limits.MaxComplexity < 10 || c.Limits.MaxTokens < 100 || c.Limits.MaxWork < 10000 {
		errs = append(errs, errors.New("limits are too small to run any query (max-body-bytes ≥ 1024, max-query-depth ≥ 2, max-query-cost ≥ 10, max-query-tokens ≥ 100, max-query-work ≥ 10000)"))
	}
	if c.Limits.MaxWork > 1e9 {
		errs = append(errs, errors.New("max-query-work must be at most 1000000000 (a billion units is minutes of work)"))
	}
	if _, err := httpapi.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("trusted-proxies: %w", err))
	}
	if c.DownloadKey != "" && len(c.DownloadKey) < download.MinKeyBytes {
		errs = append(errs, fmt.Errorf("MKG_DOWNLOAD_KEY must be at least %d bytes (e.g. openssl rand -hex 32)", download.MinKeyBytes))
	}
	if c.DownloadTTL < time.Minute || c.DownloadTTL > 24*time.Hour {
		errs = append(errs, errors.New("download-ttl must be between 1m and 24h"))
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "https://") && !strings.HasPrefix(c.PublicURL, "http://") {
		errs = append(errs, errors.New("MKG_PUBLIC_URL must start with https:// or http://"))
	}
	switch c.LogFormat {
	case "json", "text":
	default:
		errs = append(errs, fmt.Errorf("log-format must be json or text (got %q)", c.LogFormat))
	}
	return errors.Join(errs...)
}

// storeOptions are the store's settings.
func (c *Config) storeOptions(log *slog.Logger) sqlstore.Options {
	st := c.StmtTimeout
	if st == 0 {
		st = -1 // no limit (the store's zero is its default)
	}
	return sqlstore.Options{Logger: log, Standards: c.Standards, Now: c.clock, StatementTimeout: st}
}

// databaseURL is the URL the store opens.
func (c *Config) databaseURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite:" + c.SQLitePath
}

// fileDir is where the file store keeps files.
func (c *Config) fileDir() string {
	switch {
	case c.FileDir != "":
		return c.FileDir
	case c.embedded():
		return c.SQLitePath + "-files"
	}
	return "mkggraph-files"
}

// embedded reports whether the server runs on its own SQLite default.
func (c *Config) embedded() bool { return c.DatabaseURL == "" }

// redact hides the password of a URL, for logs.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

const usageText = `MKG Graph: a GraphQL server for BMKG's meteorology, climatology and geophysics data.

Usage:
  mkggraph [serve] [flags]        run the server (GraphiQL at http://localhost:8080/graphiql/)
  mkggraph migrate [flags]        apply pending database migrations and exit
  mkggraph ingest [flags] FILE…   load data files (format detected from content)
  mkggraph create-admin -organisation ORG -name NAME -email EMAIL [flags]
                                  create an administrator account and print its API key (once)
  mkggraph generate-volume [flags] fill the database with a year of synthetic data, marked synthetic
                                  (SYNOP, earthquakes, lightning, climate, air quality; README "Volume data")

Ingest flags:
  -reference-time RFC3339   completes SYNOP day/hour times of files whose name carries no date (WMO names do)
  -station CODE             the station of a file that does not name it: a WMO index (processed Data Online CSV), a monitor code (aqicn.org export)
  -sac-unit UNIT            unit of SAC samples: g, m/s2, cm/s2 or nm/s2 (SAC headers say only "acceleration")
  -inventory FILE           StationXML with the responses of miniSEED channels (counts to acceleration)
  -event FILE               event descriptor (gmprocess event.json) that SAC and miniSEED records belong to
  -progress auto|always|never  progress bar on stderr (auto: for files over 1 MB on a terminal)

Generate-volume flags:
  -days N -start YYYY-MM-DD  the window of hourly SYNOP, earthquakes and lightning (default: the 365 days before today)
  -stations all|N           synoptic stations of the catalogue that report (the bundled lists are loaded when it has none)
  -earthquakes-per-year N   -lightning-strikes N (default 5 million a year, pro rata)
  -climate-stations N -climate-years N -aq-stations N -aq-years N
  -kinds synop,earthquakes,lightning,climate,air-quality   -seed N (same seed, same data)
  -allow-real-data          write beside real data (refused otherwise, exit 2); real rows are never replaced

Flags (every one also read from the environment variable named):
`

func usage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprint(w, usageText)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
