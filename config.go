package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/bmkg/mkggraph/dataloaders"
	"github.com/bmkg/mkggraph/download"
	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/redis"
	"github.com/bmkg/mkggraph/sqlstore"
)

// Config is every setting of the server and its subcommands. Each has a
// flag and an environment variable; a flag wins over the variable, the
// variable over the default (defaultConfig). A command reads only the
// settings it uses (command.settings); the others keep their defaults.
type Config struct {
	Addr               string
	AdminAddr          string  // operators' listener (profiler, metrics); empty = none
	MemoryLimit        string  // the Go runtime's soft memory limit: auto, off or a size (memlimit.go)
	OTLPEndpoint       string  // OTLP/HTTP collector the traces are sent to; empty = no tracing
	TraceSampleRatio   float64 // share of requests traced
	DatabaseURL        string
	StmtTimeout        time.Duration // PostgreSQL's statement_timeout per session; 0 = none
	SQLitePath         string
	RedisURL           string
	RedisPrefix        string
	DemoData           string // auto, true or false
	CacheMaxBytes      int
	CacheObjectBytes   int
	ResponseCacheBytes int
	HTTPMaxAge         time.Duration
	TrustedDocuments   string // "true" or "false"
	Federation         string // "true" or "false": serve the API as an Apollo Federation subgraph
	StationTTL         time.Duration
	EarthquakeTTL      time.Duration
	Limits             httpapi.Limits
	Live               httpapi.LiveLimits
	CatchUp            mkg.CatchUp
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
	Feeds              FeedConfig
	Quota              QuotaConfig
	Webhooks           WebhookConfig

	// clock replaces time.Now for the store and the outbox (tests only).
	clock func() time.Time
	// webhookPoll is how often the webhook delivery worker polls when not
	// woken (tests only; 0: webhooks' default).
	webhookPoll time.Duration
	// loaders are the loaders' time limits (tests only; zero: the
	// defaults).
	loaders dataloaders.Options
	// demoFiles, when set, limits the demo data to the files it accepts
	// (tests that start servers of their own load what they use).
	demoFiles func(name string) bool
	// observeCache, when set, wraps the cache backend (tests time the calls
	// that reach Redis).
	observeCache func(mkg.Cache) mkg.Cache
}

// defaultConfig is every setting at its default.
func defaultConfig() Config {
	return Config{
		Addr:               ":8080",
		MemoryLimit:        "auto",
		StmtTimeout:        sqlstore.DefaultStatementTimeout,
		SQLitePath:         "mkggraph.db",
		RedisPrefix:        "mkg:",
		DemoData:           "auto",
		CacheMaxBytes:      64 << 20,
		CacheObjectBytes:   32 << 20,
		ResponseCacheBytes: 16 << 20,
		HTTPMaxAge:         time.Minute,
		TrustedDocuments:   "false",
		Federation:         "false",
		StationTTL:         10 * time.Minute,
		EarthquakeTTL:      30 * time.Second,
		Limits:             httpapi.DefaultLimits,
		Live:               httpapi.DefaultLiveLimits,
		CatchUp:            mkg.DefaultCatchUp,
		CORSOrigins:        "*",
		ShutdownTimeout:    20 * time.Second,
		LogLevel:           "info",
		LogFormat:          "json",
		MailFrom:           "MKG Graph <noreply@localhost>",
		OutboxInterval:     5 * time.Second,
		Standards:          mkg.DefaultStandards,
		DownloadTTL:        15 * time.Minute,
		Feeds:              FeedConfig{Poll: "true", AllowPrivate: "false", SpoolDir: "mkggraph-spool", Timeout: 30 * time.Second, MaxBytes: 32 << 20},
		Quota:              DefaultQuota,
		Webhooks: WebhookConfig{AllowHTTP: "false", AllowPrivate: "false", PauseAfter: 10, Timeout: 10 * time.Second,
			FirstRetry: 10 * time.Second, MaxRetry: time.Hour},
		TraceSampleRatio: 0.1,
	}
}

// setting binds one flag to its environment variable.
type setting struct {
	flag, env string
}

// settings defines settings of a Config as flags of fs, each with its
// variable named in its usage and its current value as its default.
type settings struct {
	fs   *flag.FlagSet
	list []setting
}

func (s *settings) add(name, env string) { s.list = append(s.list, setting{name, env}) }

func (s *settings) str(p *string, name, env, usage string) {
	s.fs.StringVar(p, name, *p, usage+" (env "+env+")")
	s.add(name, env)
}

func (s *settings) dur(p *time.Duration, name, env, usage string) {
	s.fs.DurationVar(p, name, *p, usage+" (env "+env+")")
	s.add(name, env)
}

func (s *settings) num(p *int, name, env, usage string) {
	s.fs.IntVar(p, name, *p, usage+" (env "+env+")")
	s.add(name, env)
}

func (s *settings) float(p *float64, name, env, usage string) {
	s.fs.Float64Var(p, name, *p, usage+" (env "+env+")")
	s.add(name, env)
}

func (s *settings) bytes(p *int64, name, env, usage string) {
	s.fs.Int64Var(p, name, *p, usage+" (env "+env+")")
	s.add(name, env)
}

// A settingGroup defines some of the settings; each command reads the
// groups it needs.
type settingGroup func(s *settings, c *Config)

// databaseSettings say which database to use and how.
func databaseSettings(s *settings, c *Config) {
	s.str(&c.DatabaseURL, "database-url", "DATABASE_URL", "PostgreSQL URL (postgres://user:pass@host/db?sslmode=disable); empty = embedded SQLite")
	s.dur(&c.StmtTimeout, "db-statement-timeout", "MKG_DB_STATEMENT_TIMEOUT", "longest a PostgreSQL statement may run, and a transaction sit idle, before the server ends it (statement_timeout); 0 = no limit; the database URL's own statement_timeout wins")
	s.str(&c.SQLitePath, "sqlite-path", "MKG_SQLITE_PATH", "SQLite database file used when no database URL is set")
}

// fileSettings say where stored files are kept.
func fileSettings(s *settings, c *Config) {
	s.str(&c.FileDir, "file-dir", "MKG_FILE_DIR", "directory of the file store (radar and satellite files, rendered pictures); empty = beside the SQLite file (<sqlite-path>-files), or ./mkggraph-files with PostgreSQL")
}

// logSettings say what is logged and how.
func logSettings(s *settings, c *Config) {
	s.str(&c.LogLevel, "log-level", "MKG_LOG_LEVEL", "debug, info, warn or error")
	s.str(&c.LogFormat, "log-format", "MKG_LOG_FORMAT", "json or text")
}

// redisSettings say which Redis to share: the server's cache and events,
// and where ingest publishes what it stores.
func redisSettings(s *settings, c *Config) {
	s.str(&c.RedisURL, "redis-url", "REDIS_URL", "Redis URL for the shared cache and the events of subscriptions: redis://host:6379/0, redis-sentinel://host:26379,host:26379/master or redis-cluster://host:7000,host:7001; empty = in-process cache and events")
	s.str(&c.RedisPrefix, "redis-prefix", "MKG_REDIS_PREFIX", "prefix of every Redis key (and of the events channel)")
}

// serverSettings are the settings of the server alone.
func serverSettings(s *settings, c *Config) {
	s.str(&c.Addr, "addr", "MKG_ADDR", "address to listen on")
	s.str(&c.AdminAddr, "admin-addr", "MKG_ADMIN_ADDR", "address of the operators' listener with the Prometheus metrics (/metrics) and the Go profiler (/debug/pprof/), e.g. 127.0.0.1:6060; never expose it publicly; empty = none")
	s.str(&c.MemoryLimit, "memory-limit", "MKG_MEMORY_LIMIT", "soft memory limit of the Go runtime: the collector works harder near it instead of letting garbage double the heap; auto = GOMEMLIMIT when set, else 90% of the container's memory limit, else none; off; or a size such as 512MiB or 2GiB")
	s.str(&c.OTLPEndpoint, "otlp-endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "OpenTelemetry collector (OTLP over HTTP, e.g. http://127.0.0.1:4318) the traces are sent to, at /v1/traces; empty = no tracing")
	s.float(&c.TraceSampleRatio, "trace-sample-ratio", "MKG_TRACE_SAMPLE_RATIO", "share of requests traced when tracing is on, 0 to 1")
	s.str(&c.DemoData, "demo-data", "MKG_DEMO_DATA", "load the bundled real demo data into an empty database: auto (only for the embedded SQLite), true or false")
	s.num(&c.CacheMaxBytes, "cache-max-bytes", "MKG_CACHE_MAX_BYTES", "size of the in-process cache")
	s.num(&c.ResponseCacheBytes, "response-cache-bytes", "MKG_RESPONSE_CACHE_BYTES", "memory for whole GraphQL responses answered again while their data are unchanged; 0 turns it off")
	s.dur(&c.HTTPMaxAge, "http-max-age", "MKG_HTTP_MAX_AGE", "longest max-age given to browsers and CDNs for a GET answer they may keep (shorter for data that change more often); 0 = they revalidate every time, with the ETag")
	s.str(&c.TrustedDocuments, "trusted-documents", "MKG_TRUSTED_DOCUMENTS", "trusted-documents mode, true or false: anonymous callers may run only the documents admins registered (registerTrustedDocuments), sent by documentId; signed-in accounts keep sending their own")
	s.str(&c.Federation, "federation", "MKG_FEDERATION", "serve the API as an Apollo Federation v2 subgraph, true or false: _service { sdl } and _entities(representations:) for a router; false = those fields are refused and not in the schema")
	s.num(&c.CacheObjectBytes, "cache-object-bytes", "MKG_CACHE_OBJECT_BYTES", "decoded cached values kept in process memory in front of the cache (estimated size); as much again for decoded observations")
	s.dur(&c.StationTTL, "cache-station-ttl", "MKG_CACHE_STATION_TTL", "how long station catalogue reads are cached")
	s.dur(&c.EarthquakeTTL, "cache-earthquake-ttl", "MKG_CACHE_EARTHQUAKE_TTL", "how long the latest-earthquake read is cached")
	s.bytes(&c.Limits.MaxBodyBytes, "max-body-bytes", "MKG_MAX_BODY_BYTES", "largest request body accepted")
	s.bytes(&c.Limits.MaxUploadBytes, "max-upload-bytes", "MKG_MAX_UPLOAD_BYTES", "largest multipart request (with a request letter) accepted; the letter itself is at most 10 MiB")
	s.num(&c.Limits.MaxDepth, "max-query-depth", "MKG_MAX_QUERY_DEPTH", "deepest field nesting a query may have")
	s.num(&c.Limits.MaxComplexity, "max-query-cost", "MKG_MAX_QUERY_COST", "largest query cost (each list field costs its children times its page size)")
	s.num(&c.Limits.MaxWork, "max-query-work", "MKG_MAX_QUERY_WORK", "most work a query may cost before it runs: fields compared and selections visited to validate it, argument values it reads")
	s.num(&c.Limits.MaxTokens, "max-query-tokens", "MKG_MAX_QUERY_TOKENS", "largest query document, in lexer tokens")
	s.num(&c.Limits.MaxRunning, "max-running-requests", "MKG_MAX_RUNNING_REQUESTS", "GraphQL requests executed at once; more wait for a turn within their time limit (requests answered from stored responses never wait); 0 = no limit")
	s.dur(&c.Limits.RequestTimeout, "request-timeout", "MKG_REQUEST_TIMEOUT", "time limit of one GraphQL request")
	s.num(&c.Live.PerConnection, "max-subscriptions-per-connection", "MKG_MAX_SUBSCRIPTIONS_PER_CONNECTION", "subscriptions one WebSocket connection may run at once")
	s.num(&c.Live.PerAccount, "max-live-per-account", "MKG_MAX_LIVE_PER_ACCOUNT", "live connections (WebSocket, event streams) one account may hold on this instance")
	s.num(&c.Live.PerAddress, "max-live-per-address", "MKG_MAX_LIVE_PER_ADDRESS", "live connections one client address may hold on this instance")
	s.dur(&c.Live.KeepAlive, "live-keepalive", "MKG_LIVE_KEEPALIVE", "keep-alive interval of live connections: a WebSocket ping (no pong within two intervals closes it) or an event-stream comment")
	s.dur(&c.Live.WriteTimeout, "live-write-timeout", "MKG_LIVE_WRITE_TIMEOUT", "longest one message to a live connection may take to write; a client that does not read is cut off")
	s.num(&c.Live.Buffer, "live-buffer", "MKG_LIVE_BUFFER", "events that may wait for one subscriber; one more ends its connection as a slow consumer")
	s.dur(&c.CatchUp.Window, "live-catch-up-window", "MKG_LIVE_CATCH_UP_WINDOW", "how far back a subscription's since may be")
	s.num(&c.CatchUp.Max, "live-catch-up-max", "MKG_LIVE_CATCH_UP_MAX", "stored events a subscription's since may replay; more is refused (BAD_USER_INPUT)")
	s.str(&c.CORSOrigins, "cors-origins", "MKG_CORS_ORIGINS", "comma-separated origins browsers may call the API from; * = any")
	s.str(&c.TrustedProxies, "trusted-proxies", "MKG_TRUSTED_PROXIES", "comma-separated networks (CIDRs) of reverse proxies whose Forwarded / X-Forwarded-For headers name the client; empty = the peer address is the client")
	s.dur(&c.ShutdownTimeout, "shutdown-timeout", "MKG_SHUTDOWN_TIMEOUT", "how long in-flight requests may finish on SIGTERM")
	s.str(&c.SMTPURL, "smtp-url", "MKG_SMTP_URL", "mail server for notifications to applicants (smtp://user:pass@host:587, smtps://…); empty = write them to the log")
	s.str(&c.MailFrom, "mail-from", "MKG_MAIL_FROM", "sender address of notifications")
	s.dur(&c.OutboxInterval, "outbox-interval", "MKG_OUTBOX_INTERVAL", "how often undelivered notifications are retried")
	s.dur(&c.Standards.Applicant, "standard-applicant", "MKG_STANDARD_APPLICANT", "service standard: the applicant's form, when started in the system")
	s.dur(&c.Standards.Review, "standard-review", "MKG_STANDARD_REVIEW", "service standard: the service desk's check")
	s.dur(&c.Standards.Fulfilment, "standard-fulfilment", "MKG_STANDARD_FULFILMENT", "service standard: the officer's fulfilment, forward to close")
	s.str(&c.DownloadKey, "download-key", "MKG_DOWNLOAD_KEY", "secret of at least 32 bytes that signs download links; empty = a random key per start (links then die with a restart and are not shared between instances)")
	s.dur(&c.DownloadTTL, "download-ttl", "MKG_DOWNLOAD_TTL", "how long a download link works")
	s.str(&c.PublicURL, "public-url", "MKG_PUBLIC_URL", "the API's public base URL (https://api.example.go.id) to make download links absolute; empty = links relative to the API")
}

// QuotaConfig is the default budgets, in cost points (mkg.Budget): of
// accounts without a budget of their own, and of each anonymous client
// address.
type QuotaConfig struct {
	Enforce             string // "true" or "false": false = no budget is kept or charged
	Accounts, Anonymous mkg.Budget
}

// DefaultQuota are the default budgets (README, Quotas): an account may
// spend 500,000 points a minute (ten queries at the cost limit, or some
// 5,000 calls of a 20-row page) and 20 million a day; an anonymous address
// a fifth of that a minute and a tenth a day.
var DefaultQuota = QuotaConfig{
	Enforce:   "true",
	Accounts:  mkg.Budget{PerMinute: 500_000, PerDay: 20_000_000},
	Anonymous: mkg.Budget{PerMinute: 100_000, PerDay: 2_000_000},
}

// quotaSettings set the default budgets.
func quotaSettings(s *settings, c *Config) {
	s.str(&c.Quota.Enforce, "quotas", "MKG_QUOTAS", "keep and charge the budgets below, true or false: false = no budget, no extensions.cost, no X-RateLimit headers, and rateLimit answers NOT_FOUND saying so (a gateway in front rate-limits, or a benchmark measures the engine)")
	s.bytes(&c.Quota.Accounts.PerMinute, "quota-account-minute", "MKG_QUOTA_ACCOUNT_MINUTE", "cost points an account may spend per minute, unless an admin set its own budget")
	s.bytes(&c.Quota.Accounts.PerDay, "quota-account-day", "MKG_QUOTA_ACCOUNT_DAY", "cost points an account may spend per UTC day, unless it has its own budget (set by an admin, or from its access request's calls a day)")
	s.bytes(&c.Quota.Anonymous.PerMinute, "quota-anonymous-minute", "MKG_QUOTA_ANONYMOUS_MINUTE", "cost points one client address without a key may spend per minute")
	s.bytes(&c.Quota.Anonymous.PerDay, "quota-anonymous-day", "MKG_QUOTA_ANONYMOUS_DAY", "cost points one client address without a key may spend per UTC day")
}

// FeedConfig is the feed poller's settings (see feeds.Options).
type FeedConfig struct {
	File         string // config file seeding feeds; "" = the built-in defaults only
	Poll         string // "true" or "false": whether this instance runs the poller
	AllowPrivate string // "true" or "false": feed URLs may reach private addresses
	SpoolDir     string // the root spool feeds' folders are below
	Timeout      time.Duration
	MaxBytes     int64
}

// feedSettings configure the feed poller.
func feedSettings(s *settings, c *Config) {
	s.str(&c.Feeds.File, "feeds", "MKG_FEEDS", "JSON file of feeds added to the database at start (those not there yet); the built-in defaults are added disabled either way")
	s.str(&c.Feeds.Poll, "feeds-poll", "MKG_FEEDS_POLL", "run the feed poller: true or false (with PostgreSQL one instance polls at a time, whatever the number with true)")
	s.str(&c.Feeds.AllowPrivate, "feeds-allow-private", "MKG_FEEDS_ALLOW_PRIVATE", "let feed URLs reach loopback, private and link-local addresses: true or false")
	s.str(&c.Feeds.SpoolDir, "feeds-spool-dir", "MKG_FEEDS_SPOOL_DIR", "folder the spool feeds' folders are below")
	s.dur(&c.Feeds.Timeout, "feeds-timeout", "MKG_FEEDS_TIMEOUT", "time limit of one feed fetch, body included")
	s.bytes(&c.Feeds.MaxBytes, "feeds-max-bytes", "MKG_FEEDS_MAX_BYTES", "largest feed body or spool file; reading stops there and the poll fails")
}

// WebhookConfig is the webhooks' settings (see webhooks.Options).
type WebhookConfig struct {
	AllowHTTP    string // "true" or "false": http:// callback URLs accepted (tests)
	AllowPrivate string // "true" or "false": callbacks may reach private addresses
	PauseAfter   int
	Timeout      time.Duration
	FirstRetry   time.Duration
	MaxRetry     time.Duration
	SecretKey    string // secret: seals the webhooks' secrets; never logged
}

// webhookSettings configure the partners' webhooks.
func webhookSettings(s *settings, c *Config) {
	s.str(&c.Webhooks.AllowHTTP, "webhooks-allow-http", "MKG_WEBHOOKS_ALLOW_HTTP", "accept http:// webhook callback URLs, not only https://: true or false (tests)")
	s.str(&c.Webhooks.AllowPrivate, "webhooks-allow-private", "MKG_WEBHOOKS_ALLOW_PRIVATE", "let webhook callbacks reach loopback, private and link-local addresses: true or false")
	s.num(&c.Webhooks.PauseAfter, "webhooks-pause-after", "MKG_WEBHOOKS_PAUSE_AFTER", "failed deliveries in a row after which a webhook is paused")
	s.dur(&c.Webhooks.Timeout, "webhooks-timeout", "MKG_WEBHOOKS_TIMEOUT", "time limit of one webhook delivery, the receiver's answer included")
	s.dur(&c.Webhooks.FirstRetry, "webhooks-first-retry", "MKG_WEBHOOKS_FIRST_RETRY", "wait after a webhook delivery's first failure, doubled after each further one (with jitter)")
	s.dur(&c.Webhooks.MaxRetry, "webhooks-max-retry", "MKG_WEBHOOKS_MAX_RETRY", "longest wait between a webhook delivery's attempts")
	s.str(&c.Webhooks.SecretKey, "webhooks-secret-key", "MKG_WEBHOOKS_SECRET_KEY", "secret of at least 32 bytes that seals the webhooks' signing secrets in the database (AES-256-GCM); empty = stored unsealed")
}

// applyEnv sets every flag not given on the command line from its
// environment variable, through the flag's own parser so values are
// checked the same way.
func (s *settings) applyEnv(getenv func(string) string) error {
	given := map[string]bool{}
	s.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, set := range s.list {
		if v := getenv(set.env); v != "" && !given[set.flag] {
			if err := s.fs.Set(set.flag, v); err != nil {
				return fmt.Errorf("%s=%q: %w", set.env, v, err)
			}
		}
	}
	return nil
}

// Validate checks the settings together.
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := memoryLimit(c.MemoryLimit, "", func(string) ([]byte, error) { return nil, os.ErrNotExist }); err != nil {
		errs = append(errs, err)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") &&
		!strings.HasPrefix(c.DatabaseURL, "sqlite:") {
		//lint:ignore ST1005 the message begins with the environment variable's name
		errs = append(errs, errors.New("DATABASE_URL must start with postgres://, postgresql:// or sqlite:"))
	}
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			errs = append(errs, err)
		}
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
	for _, q := range []struct {
		name string
		b    mkg.Budget
	}{{"quota-account-", c.Quota.Accounts}, {"quota-anonymous-", c.Quota.Anonymous}} {
		var bad *mkg.Error
		if err := q.b.Validate(""); errors.As(err, &bad) {
			flag := map[string]string{"perMinute": "minute", "perDay": "day"}[bad.Field]
			errs = append(errs, fmt.Errorf("%s%s: %s", q.name, flag, bad.Message))
		}
	}
	if c.HTTPMaxAge < 0 || c.HTTPMaxAge > 24*time.Hour {
		errs = append(errs, errors.New("http-max-age must be between 0 and 24h"))
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
	for name, v := range map[string]string{"feeds-poll": c.Feeds.Poll, "feeds-allow-private": c.Feeds.AllowPrivate,
		"trusted-documents": c.TrustedDocuments, "federation": c.Federation, "quotas": c.Quota.Enforce} {
		if v != "true" && v != "false" {
			errs = append(errs, fmt.Errorf("%s must be true or false (got %q)", name, v))
		}
	}
	if c.Feeds.Timeout < time.Second || c.Feeds.Timeout > 10*time.Minute {
		errs = append(errs, errors.New("feeds-timeout must be between 1s and 10m"))
	}
	if c.Feeds.MaxBytes < 1024 || c.Feeds.MaxBytes > ingest.MaxFileBytes {
		errs = append(errs, fmt.Errorf("feeds-max-bytes must be between 1024 and %d", ingest.MaxFileBytes))
	}
	for name, v := range map[string]string{"webhooks-allow-http": c.Webhooks.AllowHTTP, "webhooks-allow-private": c.Webhooks.AllowPrivate} {
		if v != "true" && v != "false" {
			errs = append(errs, fmt.Errorf("%s must be true or false (got %q)", name, v))
		}
	}
	if c.Webhooks.PauseAfter < 1 || c.Webhooks.PauseAfter > 1000 {
		errs = append(errs, errors.New("webhooks-pause-after must be between 1 and 1000"))
	}
	if c.Webhooks.Timeout < time.Second || c.Webhooks.Timeout > 5*time.Minute {
		errs = append(errs, errors.New("webhooks-timeout must be between 1s and 5m"))
	}
	if c.Webhooks.FirstRetry <= 0 || c.Webhooks.MaxRetry < c.Webhooks.FirstRetry {
		errs = append(errs, errors.New("webhooks-first-retry must be positive and at most webhooks-max-retry"))
	}
	if c.Webhooks.SecretKey != "" && len(c.Webhooks.SecretKey) < 32 {
		errs = append(errs, errors.New("MKG_WEBHOOKS_SECRET_KEY must be at least 32 bytes (e.g. openssl rand -hex 32)"))
	}
	if c.CatchUp.Window < 0 || c.CatchUp.Window > 7*24*time.Hour || c.CatchUp.Max < 0 || c.CatchUp.Max > 10000 {
		errs = append(errs, errors.New("live-catch-up-window must be between 0 and 168h, live-catch-up-max between 0 and 10000"))
	}
	if c.TraceSampleRatio < 0 || c.TraceSampleRatio > 1 {
		errs = append(errs, errors.New("trace-sample-ratio must be between 0 and 1"))
	}
	if c.OTLPEndpoint != "" {
		if u, err := url.Parse(c.OTLPEndpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("OTEL_EXPORTER_OTLP_ENDPOINT (-otlp-endpoint) must be an http:// or https:// URL"))
		}
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

// redact hides the passwords of a URL, for logs: its user's, and any
// query parameter whose name says password (sentinel_password, PostgreSQL's
// password=). It also reads the several hosts of a Redis Sentinel or
// Cluster URL, which net/url does not.
func redact(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		user, _, hasPassword := strings.Cut(authority[:i], ":")
		if hasPassword {
			authority = user + ":xxxxx" + authority[i:]
		}
	}
	if path, query, ok := strings.Cut(tail, "?"); ok {
		q, err := url.ParseQuery(query)
		if err != nil {
			return scheme + "://" + authority + path + "?xxxxx"
		}
		for k := range q {
			if strings.Contains(strings.ToLower(k), "password") {
				q[k] = []string{"xxxxx"}
			}
		}
		tail = path + "?" + q.Encode()
	}
	return scheme + "://" + authority + tail
}

// now is the clock of the store and the outbox.
func (c *Config) now() time.Time {
	if c.clock != nil {
		return c.clock()
	}
	return time.Now()
}
