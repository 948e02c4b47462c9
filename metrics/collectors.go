package metrics

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bmkg/mkggraph/mkg"
)

// WatchDatabase exports the connection pools' figures (sql.DBStats), read
// at each scrape: pools names each pool ("main", and on PostgreSQL "side"
// for the generations' reads and "prepared" for the prepared reads).
func (m *Metrics) WatchDatabase(pools func() map[string]sql.DBStats) {
	m.reg.MustRegister(dbCollector{pools})
}

var (
	dbOpen      = prometheus.NewDesc("mkg_db_connections", "Connections of the database pool, by state (in_use, idle).", []string{"pool", "state"}, nil)
	dbMaxOpen   = prometheus.NewDesc("mkg_db_max_open_connections", "Most connections the pool may open.", []string{"pool"}, nil)
	dbWaits     = prometheus.NewDesc("mkg_db_waits_total", "Times a statement waited for a free connection.", []string{"pool"}, nil)
	dbWaitTime  = prometheus.NewDesc("mkg_db_wait_seconds_total", "Time statements waited for a free connection.", []string{"pool"}, nil)
	dbClosedFor = prometheus.NewDesc("mkg_db_connections_closed_total", "Connections closed by the pool, by reason (max_idle, max_idle_time, max_lifetime).", []string{"pool", "reason"}, nil)
)

type dbCollector struct{ pools func() map[string]sql.DBStats }

func (c dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbOpen, dbMaxOpen, dbWaits, dbWaitTime, dbClosedFor} {
		ch <- d
	}
}

func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	for pool, s := range c.pools() {
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, float64(s.InUse), pool, "in_use")
		ch <- prometheus.MustNewConstMetric(dbOpen, prometheus.GaugeValue, float64(s.Idle), pool, "idle")
		ch <- prometheus.MustNewConstMetric(dbMaxOpen, prometheus.GaugeValue, float64(s.MaxOpenConnections), pool)
		ch <- prometheus.MustNewConstMetric(dbWaits, prometheus.CounterValue, float64(s.WaitCount), pool)
		ch <- prometheus.MustNewConstMetric(dbWaitTime, prometheus.CounterValue, s.WaitDuration.Seconds(), pool)
		ch <- prometheus.MustNewConstMetric(dbClosedFor, prometheus.CounterValue, float64(s.MaxIdleClosed), pool, "max_idle")
		ch <- prometheus.MustNewConstMetric(dbClosedFor, prometheus.CounterValue, float64(s.MaxIdleTimeClosed), pool, "max_idle_time")
		ch <- prometheus.MustNewConstMetric(dbClosedFor, prometheus.CounterValue, float64(s.MaxLifetimeClosed), pool, "max_lifetime")
	}
}

// RedisPool is the Redis client's pool figures (go-redis PoolStats).
type RedisPool struct {
	Hits, Misses, Timeouts            uint32
	TotalConns, IdleConns, StaleConns uint32
}

// WatchCache exports the shared cache's state, read at each scrape:
// status is the circuit breaker's (cache.Resilient.Status), pool the Redis
// client's pool (nil without Redis).
func (m *Metrics) WatchCache(status func() mkg.CacheStatus, pool func() RedisPool) {
	m.reg.MustRegister(cacheCollector{status, pool})
}

var (
	cacheUp      = prometheus.NewDesc("mkg_cache_up", "1 while the shared cache answers (its circuit breaker is closed), else 0.", []string{"backend"}, nil)
	cacheBreaker = prometheus.NewDesc("mkg_cache_breaker_state", "The cache's circuit breaker: 1 for its current state (closed, half-open, open), 0 for the others.", []string{"backend", "state"}, nil)
	redisConns   = prometheus.NewDesc("mkg_redis_pool_connections", "Connections of the Redis client's pool, by state (total, idle, stale).", []string{"state"}, nil)
	redisEvents  = prometheus.NewDesc("mkg_redis_pool_events_total", "Redis pool events: hit (a free connection was found), miss (one was dialled), timeout (none came in time).", []string{"event"}, nil)
)

type cacheCollector struct {
	status func() mkg.CacheStatus
	pool   func() RedisPool
}

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheUp, cacheBreaker, redisConns, redisEvents} {
		ch <- d
	}
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.status()
	ch <- prometheus.MustNewConstMetric(cacheUp, prometheus.GaugeValue, boolValue(s.OK), s.Backend)
	for _, state := range []string{"closed", "half-open", "open"} {
		ch <- prometheus.MustNewConstMetric(cacheBreaker, prometheus.GaugeValue, boolValue(s.State == state), s.Backend, state)
	}
	if c.pool == nil {
		return
	}
	p := c.pool()
	ch <- prometheus.MustNewConstMetric(redisConns, prometheus.GaugeValue, float64(p.TotalConns), "total")
	ch <- prometheus.MustNewConstMetric(redisConns, prometheus.GaugeValue, float64(p.IdleConns), "idle")
	ch <- prometheus.MustNewConstMetric(redisConns, prometheus.GaugeValue, float64(p.StaleConns), "stale")
	ch <- prometheus.MustNewConstMetric(redisEvents, prometheus.CounterValue, float64(p.Hits), "hit")
	ch <- prometheus.MustNewConstMetric(redisEvents, prometheus.CounterValue, float64(p.Misses), "miss")
	ch <- prometheus.MustNewConstMetric(redisEvents, prometheus.CounterValue, float64(p.Timeouts), "timeout")
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// ServiceData is what the service standards are computed from (the store).
type ServiceData interface {
	// OpenTickets returns the tickets not in a final state, at most limit.
	OpenTickets(ctx context.Context, limit int) ([]*mkg.Ticket, error)
	// Stats returns the figures of the tickets submitted in [from, to].
	Stats(ctx context.Context, from, to time.Time) (*mkg.TicketStats, error)
}

// The service standards' figures are read at a scrape, in two bounded
// statements (at most serviceOpenLimit open tickets; the tickets submitted
// in the last serviceWindow) within serviceTimeout, and kept for
// serviceFresh so that frequent scrapes (or several Prometheus servers)
// do not repeat them.
const (
	serviceOpenLimit = 10000
	serviceWindow    = 30 * 24 * time.Hour
	serviceTimeout   = 2 * time.Second
	serviceFresh     = 10 * time.Second
)

// WatchServiceStandards exports the SOP's service standards: the open
// tickets per state, the steps running past their standard per step, and
// the median working time per step of the runs finished by tickets
// submitted in the last 30 days. now is the clock (the store's).
func (m *Metrics) WatchServiceStandards(data ServiceData, now func() time.Time) {
	m.reg.MustRegister(&serviceCollector{data: data, now: now})
}

var (
	ticketsOpen    = prometheus.NewDesc("mkg_tickets_open", "Access requests not yet final, by state.", []string{"state"}, nil)
	stepsPastDue   = prometheus.NewDesc("mkg_ticket_steps_past_due", "Steps of open access requests running past their service standard, by step.", []string{"step"}, nil)
	stepMedian     = prometheus.NewDesc("mkg_ticket_step_median_seconds", "Median working time of the finished runs of each step, for the requests submitted in the last 30 days.", []string{"step"}, nil)
	stepBreachRate = prometheus.NewDesc("mkg_ticket_step_breach_rate", "Share of each step's runs past their standard, for the requests submitted in the last 30 days.", []string{"step"}, nil)
	serviceErrors  = prometheus.NewDesc("mkg_ticket_figures_errors_total", "Scrapes whose service-standard figures could not be read (the database did not answer in time).", nil, nil)
)

type serviceCollector struct {
	data ServiceData
	now  func() time.Time

	mu      sync.Mutex
	at      time.Time
	figures mkg.ServiceFigures
	stats   *mkg.TicketStats
	errors  int
}

func (c *serviceCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{ticketsOpen, stepsPastDue, stepMedian, stepBreachRate, serviceErrors} {
		ch <- d
	}
}

func (c *serviceCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stats == nil || time.Since(c.at) > serviceFresh {
		c.read()
	}
	ch <- prometheus.MustNewConstMetric(serviceErrors, prometheus.CounterValue, float64(c.errors))
	if c.stats == nil {
		return // never read: no figure rather than a false zero
	}
	for state, n := range c.figures.Open {
		ch <- prometheus.MustNewConstMetric(ticketsOpen, prometheus.GaugeValue, float64(n), string(state))
	}
	for step, n := range c.figures.PastDue {
		ch <- prometheus.MustNewConstMetric(stepsPastDue, prometheus.GaugeValue, float64(n), string(step))
	}
	for _, s := range c.stats.Steps {
		ch <- prometheus.MustNewConstMetric(stepMedian, prometheus.GaugeValue, s.Median.Seconds(), string(s.Kind))
		ch <- prometheus.MustNewConstMetric(stepBreachRate, prometheus.GaugeValue, s.BreachRate, string(s.Kind))
	}
}

// read refreshes the figures; on failure the last ones are kept (and
// exported: they say when they were read by being stale, and the error
// counter rises).
func (c *serviceCollector) read() {
	ctx, cancel := context.WithTimeout(context.Background(), serviceTimeout)
	defer cancel()
	now := c.now()
	open, err := c.data.OpenTickets(ctx, serviceOpenLimit)
	if err != nil {
		c.errors++
		return
	}
	stats, err := c.data.Stats(ctx, now.Add(-serviceWindow), now)
	if err != nil {
		c.errors++
		return
	}
	c.figures, c.stats, c.at = mkg.ComputeServiceFigures(open, now), stats, time.Now()
}

// feedState is what a feed poller last reported.
type feedState struct {
	polled, newest time.Time
}

// FeedPolled records one poll of a feed (the feed poller reports each):
// when it ran, and whether it succeeded (the source answered and what it
// gave was stored, or was unchanged). feed is the feed's configured name;
// at most maxFeeds distinct names are kept (the others are "other").
func (m *Metrics) FeedPolled(feed string, polledAt time.Time, ok bool) {
	feed = m.feeds.label(feed)
	m.feedMu.Lock()
	defer m.feedMu.Unlock()
	s := m.feed[feed]
	s.polled = polledAt
	if ok {
		s.newest = polledAt
	}
	m.feed[feed] = s
}

var (
	feedPolled = prometheus.NewDesc("mkg_feed_last_poll_timestamp_seconds", "When each feed was last polled (Unix time).", []string{"feed"}, nil)
	feedLag    = prometheus.NewDesc("mkg_feed_lag_seconds", "Time since each feed was last polled successfully, at the scrape (absent until it has been).", []string{"feed"}, nil)
)

type feedCollector struct{ m *Metrics }

func (c feedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- feedPolled; ch <- feedLag }

func (c feedCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.feedMu.Lock()
	defer c.m.feedMu.Unlock()
	now := time.Now()
	for feed, s := range c.m.feed {
		ch <- prometheus.MustNewConstMetric(feedPolled, prometheus.GaugeValue, float64(s.polled.UnixNano())/1e9, feed)
		if !s.newest.IsZero() {
			ch <- prometheus.MustNewConstMetric(feedLag, prometheus.GaugeValue, now.Sub(s.newest).Seconds(), feed)
		}
	}
}
