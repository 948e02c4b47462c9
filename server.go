// Command mkggraph is MKG Graph: a GraphQL server for BMKG's meteorology,
// climatology and geophysics data. This file only wires the parts together:
// config → store → cache → readers → resolvers → GraphQL (graph.NewExecutor:
// schema, directives, limits, error presenter) → HTTP → shutdown.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/bmkg/mkggraph/authn"
	"github.com/bmkg/mkggraph/cache"
	"github.com/bmkg/mkggraph/demo"
	"github.com/bmkg/mkggraph/download"
	"github.com/bmkg/mkggraph/export"
	"github.com/bmkg/mkggraph/feeds"
	"github.com/bmkg/mkggraph/filestore"
	"github.com/bmkg/mkggraph/graph"
	"github.com/bmkg/mkggraph/graph/model"
	"github.com/bmkg/mkggraph/httpapi"
	"github.com/bmkg/mkggraph/ingest"
	"github.com/bmkg/mkggraph/inmem"
	"github.com/bmkg/mkggraph/metrics"
	"github.com/bmkg/mkggraph/mkg"
	"github.com/bmkg/mkggraph/notify"
	"github.com/bmkg/mkggraph/redis"
	"github.com/bmkg/mkggraph/resolvers"
	"github.com/bmkg/mkggraph/shakemaps"
	"github.com/bmkg/mkggraph/sqlstore"
	"github.com/bmkg/mkggraph/webhooks"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// defineServe: the server takes no flags of its own, only settings.
func defineServe(*flag.FlagSet) action {
	return func(ctx context.Context, in *invocation) int {
		if err := serve(ctx, in.cfg, in.log); err != nil {
			return in.fail(err)
		}
		return 0
	}
}

func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func openStore(ctx context.Context, cfg *Config, log *slog.Logger) (*sqlstore.Store, error) {
	return openStoreWith(ctx, cfg, cfg.storeOptions(log))
}

func openStoreWith(ctx context.Context, cfg *Config, opt sqlstore.Options) (*sqlstore.Store, error) {
	opt.Logger.Info("opening database", "url", redact(cfg.databaseURL()))
	return sqlstore.Open(ctx, cfg.databaseURL(), opt)
}

// openCache returns Redis when configured (even if it does not answer yet:
// the server then answers from the database and reports the cache on
// /readyz until Redis is back), else the in-process cache; and the counter
// shared by instances (Redis; nil without it). Start-up waits for Redis one
// second at most.
func openCache(ctx context.Context, cfg *Config, log *slog.Logger, m *metrics.Metrics) (*cache.Resilient, mkg.Counter, func()) {
	if cfg.RedisURL == "" {
		c := cache.NewResilient(inmem.NewCache(cfg.CacheMaxBytes), "memory", log)
		m.WatchCache(c.Status, nil)
		return c, nil, func() {}
	}
	rc, err := redis.New(cfg.RedisURL, cfg.RedisPrefix, log)
	if err != nil {
		log.Error("Redis URL unusable; using the in-process cache", "err", err)
		c := cache.NewResilient(inmem.NewCache(cfg.CacheMaxBytes), "memory", log)
		m.WatchCache(c.Status, nil)
		return c, nil, func() {}
	}
	log.Info("using Redis", "url", redact(cfg.RedisURL))
	var backend mkg.Cache = rc
	if cfg.observeCache != nil {
		backend = cfg.observeCache(rc)
	}
	c := cache.NewResilient(backend, "redis", log)
	m.WatchCache(c.Status, func() metrics.RedisPool {
		p := rc.PoolStats()
		return metrics.RedisPool{Hits: p.Hits, Misses: p.Misses, Timeouts: p.Timeouts, TotalConns: p.TotalConns,
			IdleConns: p.IdleConns, StaleConns: p.StaleConns}
	})
	pctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	c.Ping(pctx) // a failure opens the breaker, logged and shown on /readyz
	return c, rc, func() { rc.Close() }
}

// Usage is summed in memory (at most usageLines account-day-dataset lines)
// and written every usageFlush.
const (
	usageLines = 100_000
	usageFlush = 10 * time.Second
)

func serve(ctx context.Context, cfg *Config, log *slog.Logger) error {
	limit, err := applyMemoryLimit(cfg.MemoryLimit)
	if err != nil {
		return err
	}
	log.Info("memory limit", "limit", limit)
	keepHeapFloor(ctx)
	a, err := newApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	// The outbox stops with ctx, like the listener, and gets the same grace
	// period to finish what it is doing before the store is closed.
	outbox := make(chan struct{})
	go func() { a.Outbox.Run(ctx); close(outbox) }()
	// So do the webhooks' dispatcher and delivery worker.
	hooks := a.RunWebhooks(ctx)
	// Usage is written every usageFlush, and once more at the end.
	usage := make(chan struct{})
	go func() {
		a.Usage.FlushEvery(ctx, a.Store, usageFlush, cfg.ShutdownTimeout, func(err error) {
			log.Warn("usage not written; kept for the next write", "err", err)
		})
		close(usage)
	}()
	// So does the feed poller, which then cancels the polls in flight.
	poller := make(chan struct{})
	if cfg.Feeds.Poll == "true" {
		go func() { a.Feeds.Run(ctx); close(poller) }()
	} else {
		close(poller)
	}
	graceOver := make(chan struct{})
	context.AfterFunc(ctx, func() { time.AfterFunc(cfg.ShutdownTimeout, func() { close(graceOver) }) })
	if cfg.AdminAddr != "" {
		stop, err := serveAdmin(cfg.AdminAddr, log, a.Metrics.Handler())
		if err != nil {
			return err
		}
		defer stop()
	}
	err = listenAndServe(ctx, cfg, a.Handler, a.API.Shutdown, log)
	if ctx.Err() == nil {
		return err // the listener failed: no shutdown to wait for
	}
	select {
	case <-outbox:
	case <-graceOver:
		log.Warn("shutdown: the outbox did not stop within the shutdown timeout")
	}
	select {
	case <-poller:
	case <-graceOver:
		log.Warn("shutdown: the feed poller did not stop within the shutdown timeout")
	}
	select {
	case <-usage:
	case <-graceOver:
		log.Warn("shutdown: the usage was not written within the shutdown timeout")
	}
	select {
	case <-hooks:
	case <-graceOver:
		log.Warn("shutdown: the webhooks' worker did not stop within the shutdown timeout")
	}
	return err
}

// app is the wired server, without its listener (tests serve it with
// httptest).
type app struct {
	Metrics *metrics.Metrics // served on the operators' listener only
	Store   *sqlstore.Store
	Cache   *cache.Resilient
	Ingest  *ingest.Ingester
	Outbox  *notify.Outbox
	Feeds   *feeds.Poller
	// Webhooks runs partners' webhooks (RunWebhooks).
	Webhooks *webhooks.Service
	// Usage sums what accounts use until it is written (serve flushes it
	// every usageFlush).
	Usage   *mkg.UsageTally
	Events  *inmem.Bus
	API     *httpapi.Server // its live connections end first at shutdown
	Handler http.Handler
	closers []func()
}

// Close releases the cache and the database.
func (a *app) Close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
}

func newApp(ctx context.Context, cfg *Config, log *slog.Logger) (*app, error) {
	m := metrics.New()
	tracing, stopTracing, err := newTracing(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	opt := cfg.storeOptions(log)
	opt.StatementTime = m.StatementTime
	// The server keeps decoded observations beside the decoded cached
	// values, with a budget of the same size.
	opt.Decoded = inmem.NewObjects(cfg.CacheObjectBytes)
	store, err := openStoreWith(ctx, cfg, opt)
	if err != nil {
		stopTracing()
		return nil, err
	}
	m.WatchDatabase(store.PoolStats)
	m.WatchServiceStandards(store, cfg.now)
	a := &app{Metrics: m, Store: store, closers: []func(){func() { store.Close() }, stopTracing}}
	// The generations (what cached reads are keyed by) are kept in memory,
	// current within milliseconds on PostgreSQL and a quarter second on
	// SQLite, so that a read answered from the cache costs no statement.
	watch, stopWatching := context.WithCancel(context.WithoutCancel(ctx))
	go store.Watch(watch)
	a.closers = append(a.closers, stopWatching)
	c, counter, closeCache := openCache(ctx, cfg, log, m)
	a.Cache, a.closers = c, append(a.closers, closeCache)
	// Committed changes reach this instance's subscribers at once, and the
	// other instances' through Redis pub/sub when there is a Redis.
	var relay mkg.EventRelay
	if rc, ok := counter.(*redis.Cache); ok {
		relay = redis.NewRelay(rc, log)
	}
	a.Events = inmem.NewBus(relay, log)
	go a.Events.Run(watch)
	files, err := filestore.NewLocal(cfg.fileDir())
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Ingest = ingest.New(store, log).WithFiles(files).WithEvents(a.Events).WithObserver(func(s *ingest.Summary, err error) {
		m.IngestOutcome(s.Format, s.Inserted, s.Updated, s.Unchanged, len(s.Rejected), err != nil)
	})
	if err := maybeLoadDemo(ctx, cfg, store, a.Ingest, log); err != nil {
		a.Close()
		return nil, err
	}
	if a.Feeds, err = newPoller(ctx, cfg, store, a.Ingest, m, log); err != nil {
		a.Close()
		return nil, err
	}
	// Cached reads are keyed by the caller's rights: never served to a
	// caller who may see something else.
	opts := cache.Options{StationTTL: cfg.StationTTL, EarthquakeTTL: cfg.EarthquakeTTL, Generations: store,
		Scope: func(ctx context.Context) string { return mkg.PrincipalFrom(ctx).Fingerprint() }}
	// Decoded values are kept in process memory in front of the shared
	// cache: a hit costs no round trip and no decoding.
	layered := cache.NewLayered(c, cfg.CacheObjectBytes)
	layered.Lookups = m.CacheLookup
	// The access directives, read from the schema: the executor enforces
	// them on every field, the resolvers check node types with them.
	authz, err := graph.SchemaAuthorizer()
	if err != nil {
		a.Close()
		return nil, err
	}
	res := &resolvers.Resolver{
		StationData:      cache.NewStationReader(store, layered, opts),
		ObservationData:  store,
		EarthquakeData:   cache.NewEarthquakeReader(store, layered, opts),
		AccessData:       store,
		TicketData:       mkg.PublishingTickets{TicketStore: store, Bus: a.Events, Now: cfg.clock},
		RadarData:        store,
		LightningData:    store,
		ClimateData:      store,
		AirQualityData:   store,
		GroundMotionData: store,
		SatelliteData:    store,
		Catalogue:        a.Ingest,
		FeedData:         store,
		Documents:        store,
		UsageData:        store,
		FeedFormats:      ingest.FormatNames(),
		Types:            authz,
		Live: resolvers.Live{Events: a.Events, Buffer: cfg.Live.Buffer, CatchUp: cfg.CatchUp, Opened: m.SubscriptionOpened,
			Sent: m.SubscriptionEvent},
	}
	// Bad keys are counted in Redis when there is one, so every instance
	// throttles the same clients.
	auth := authn.NewAuthenticator(store, layered, log, cfg.clock).WithLimiter(authn.NewLimiter(20, time.Minute, counter, log))
	a.Usage = mkg.NewUsageTally(usageLines)
	downloads, err := newDownloads(cfg, log, store, files, auth, a.Usage)
	if err != nil {
		a.Close()
		return nil, err
	}
	res.Downloads = downloads
	sender, err := notify.NewSender(cfg.SMTPURL, cfg.MailFrom, log)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Outbox = notify.NewOutbox(store, sender, log, notify.Options{Interval: cfg.OutboxInterval, Now: cfg.clock})
	loaders := loaderReads{Store: store, latest: cache.NewObservationReader(store, layered, opts),
		shakemaps: shakemaps.Reader{Grids: store}}
	a.Webhooks = webhooks.New(store, auth, loaders, log, cfg.webhookOptions(m))
	res.Webhooks = a.Webhooks
	// Automatic persisted queries are shared through Redis when there is
	// one, so that any instance knows a hash one of them was sent.
	var persisted mkg.Cache
	if _, ok := counter.(*redis.Cache); ok {
		persisted = c
	}
	// Budgets are spent in Redis when there is one, so that every instance
	// draws on the same; in-process otherwise, and while Redis fails.
	var sharedQuotas mkg.Quotas
	if rc, ok := counter.(*redis.Cache); ok {
		sharedQuotas = redis.NewQuotas(rc, 0)
	}
	var quota *mkg.QuotaPolicy        // nil: quotas off (-quotas false)
	if cfg.Quota.Enforce != "false" { // on unless turned off
		quota = &mkg.QuotaPolicy{Store: cache.NewQuotas(sharedQuotas, log), Accounts: cfg.Quota.Accounts,
			Anonymous: cfg.Quota.Anonymous, Now: cfg.now}
	}
	res.Quota, res.Live.Quota = quota, quota
	limits := cfg.Limits.GraphQL()
	limits.Quota = quota
	api := &httpapi.Server{
		GraphQL: graph.NewExecutor(res, authz, limits, graph.Documents{Shared: persisted,
			Trusted: &graph.TrustedDocuments{Set: store, Enforce: cfg.TrustedDocuments == "true"}},
			cfg.Federation == "true", log, m.GraphQL()),
		Quota:         quota,
		Usage:         a.Usage,
		UsageData:     store,
		Auth:          auth,
		Downloads:     downloads,
		Loaders:       loaders,
		LoaderOptions: cfg.loaders,
		Letters:       store,
		Responses: &httpapi.ResponseCache{Generations: store, MaxBytes: cfg.ResponseCacheBytes, MaxResponse: 1 << 20,
			TTL: 10 * time.Minute, MaxAge: cfg.HTTPMaxAge, Lookups: m.CacheLookup},
		Readiness:   httpapi.Readiness{Database: store.Ping, Cache: func(ctx context.Context) mkg.CacheStatus { c.Ping(ctx); return c.Status() }},
		Limits:      cfg.Limits,
		CORSOrigins: httpapi.ParseOrigins(cfg.CORSOrigins),
		Log:         log,
		Metrics:     m,
		Tracing:     tracing,
		Live:        cfg.Live,
	}
	api.TrustedProxies, _ = httpapi.ParseProxies(cfg.TrustedProxies) // checked by Validate
	a.Webhooks.Exec = api.GraphQL                                    // the same executor, limits and access rules as the API
	a.Handler = api.Handler()
	a.API = api
	return a, nil
}

// RunWebhooks starts the webhooks' dispatcher (events to queued
// deliveries) and delivery worker until ctx ends; the channel is closed
// when both have stopped.
func (a *app) RunWebhooks(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	worker := a.Webhooks.Worker()
	go func() {
		var wg sync.WaitGroup
		wg.Go(func() { a.Webhooks.Dispatch(ctx, a.Events) })
		wg.Go(func() { worker.Run(ctx) })
		wg.Wait()
		close(done)
	}()
	return done
}

// webhookOptions are the webhooks' settings, their outcomes counted in m.
func (c *Config) webhookOptions(m *metrics.Metrics) webhooks.Options {
	w := c.Webhooks
	return webhooks.Options{AllowHTTP: w.AllowHTTP == "true", AllowPrivate: w.AllowPrivate == "true", PauseAfter: w.PauseAfter,
		Timeout: w.Timeout, FirstRetry: w.FirstRetry, MaxRetry: w.MaxRetry, SecretKey: w.SecretKey, Delivered: m.WebhookAttempt,
		Interval: c.webhookPoll, Now: c.clock}
}

// leaseCheck is how often the feed poller's lease (PostgreSQL) is checked;
// a standby tries to take it as often, so a dead holder's feeds are polled
// again within a few seconds (its session's end, plus leaseCheck).
const leaseCheck = 2 * time.Second

// newPoller adds the built-in and configured feeds the database lacks and
// returns the poller, which feeds what it fetches to in (the ingest path).
func newPoller(ctx context.Context, cfg *Config, store *sqlstore.Store, in *ingest.Ingester, m *metrics.Metrics, log *slog.Logger) (*feeds.Poller, error) {
	added, err := feeds.Seed(ctx, store, cfg.Feeds.File)
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	if added > 0 {
		log.Info("feeds added to the database (the built-in ones disabled)", "added", added)
	}
	return feeds.New(store, in, log, feeds.Options{
		TryLease: func(ctx context.Context) (feeds.Lease, error) {
			l, err := store.TryPollerLease(ctx, leaseCheck)
			if l == nil {
				return nil, err
			}
			return l, nil
		},
		LeaseRetry:   leaseCheck,
		SpoolRoot:    cfg.Feeds.SpoolDir,
		AllowPrivate: cfg.Feeds.AllowPrivate == "true",
		Timeout:      cfg.Feeds.Timeout,
		MaxBytes:     cfg.Feeds.MaxBytes,
		Now:          cfg.clock,
		Polled:       m.FeedPolled,
	}), nil
}

// loaderReads is what the per-request loaders read: the store, with each
// station's latest observation through the cache, and the ShakeMap grids
// sampled at the asked points.
type loaderReads struct {
	*sqlstore.Store
	latest    *cache.ObservationReader
	shakemaps shakemaps.Reader
}

func (r loaderReads) ShakemapsAt(ctx context.Context, qs []mkg.ShakemapQuery) ([]*mkg.ShakemapPoint, []error) {
	return r.shakemaps.ShakemapsAt(ctx, qs)
}

func (r loaderReads) LatestObservations(ctx context.Context, wmos []string) ([]*mkg.Observation, error) {
	return r.latest.LatestObservations(ctx, wmos)
}

// newDownloads wires the signed download links. Without a configured key
// the links are signed with a random key of this process.
func newDownloads(cfg *Config, log *slog.Logger, store *sqlstore.Store, files mkg.FileStore, auth *authn.Authenticator, usage *mkg.UsageTally) (*download.Service, error) {
	key := []byte(cfg.DownloadKey)
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		log.Warn("no download key configured (MKG_DOWNLOAD_KEY): download links are signed with a random key and stop working when this process stops; instances do not accept each other's links")
	}
	signer, err := download.NewSigner(key)
	if err != nil {
		return nil, err
	}
	return download.New(download.Options{Signer: signer, TTL: cfg.DownloadTTL, Files: files, Radar: store,
		Satellite: store, Principals: auth, BaseURL: strings.TrimSuffix(cfg.PublicURL, "/"), Now: cfg.clock, Log: log, Usage: usage,
		Exporter: &export.Exporter{Observations: store, Stations: store, Earthquakes: store, Lightning: store, Climate: store,
			AirQuality: store, GroundMotion: store, Usage: store,
			AccountID: func(id int64) string { return model.NodeID(model.TypeAccount, id) }}}), nil
}

// maybeLoadDemo fills an empty database with the bundled real samples: by
// default only the embedded SQLite one, so a production PostgreSQL is never
// filled with samples unless asked.
func maybeLoadDemo(ctx context.Context, cfg *Config, store mkg.Store, in *ingest.Ingester, log *slog.Logger) error {
	if cfg.DemoData == "false" || (cfg.DemoData == "auto" && !cfg.embedded()) {
		return nil
	}
	empty, err := store.IsEmpty(ctx)
	if err != nil || !empty {
		return err
	}
	log.Info("empty database: loading the bundled demo data (real public samples, see demo/samples/ATTRIBUTION.md)")
	_, err = demo.LoadSome(ctx, in, log, cfg.demoFiles)
	return err
}

// listenAndServe serves h until ctx ends, then shuts down within
// cfg.ShutdownTimeout: requests in flight get most of that time to finish,
// then their contexts are cancelled so that they answer (with a timeout)
// whatever they wait on, and the server stops in time.
func listenAndServe(ctx context.Context, cfg *Config, h http.Handler, onShutdown func(), log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	requests, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      cfg.Limits.RequestTimeout + 30*time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return requests },
	}
	// Live connections are told to reconnect as shutdown begins: Shutdown
	// itself waits for neither WebSockets nor open event streams.
	srv.RegisterOnShutdown(onShutdown)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "graphiql", "http://"+displayAddr(ln.Addr())+"/graphiql/")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	grace := cfg.ShutdownTimeout
	log.Info("shutting down: finishing requests in flight", "timeout", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	done := make(chan error, 2)
	go func() { done <- srv.Shutdown(sctx) }()
	// Leave the cancelled requests a moment to write their answers.
	late := time.NewTimer(grace - min(grace/4, time.Second))
	defer late.Stop()
	select {
	case err = <-done:
	case <-late.C:
		cancelRequests()
		// Shutdown checks for idle connections less and less often (every
		// 500 ms in the end); a second call checks again from the start, so
		// the server stops as soon as the cancelled requests have answered.
		go func() { done <- srv.Shutdown(sctx) }()
		err = <-done
	}
	if err != nil {
		srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("stopped")
	return nil
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "::" || host == "0.0.0.0" || host == "" {
		return "localhost:" + port
	}
	return a.String()
}
