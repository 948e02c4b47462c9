// Package metrics is the server's Prometheus metrics: a registry of its
// own (never the global default), the collectors of every part of the
// server, and a gqlgen extension that measures GraphQL operations and
// resolver fields. Served only on the operators' listener (-admin-addr).
//
// Label values are bounded and never carry what a caller sent but did not
// have validated: routes are the server's patterns, operation names come
// from validated documents only (the first maxOperations distinct ones;
// the others, and names that look like a key or a tracking token, are
// "other"), error codes are the server's own, fields are the schema's
// coordinates, and every other label is a fixed vocabulary. No key, token
// or e-mail address can become a label value.
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bmkg/mkggraph/internal/telemetry"
)

// Metrics holds the registry and the server's collectors.
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	latency         *prometheus.HistogramVec
	fields          *prometheus.HistogramVec
	statementsPer   prometheus.Histogram
	sqlTimePer      prometheus.Histogram
	statementTime   prometheus.Histogram
	cacheLookups    *prometheus.CounterVec
	ingestRecords   *prometheus.CounterVec
	ingestFiles     *prometheus.CounterVec
	webhookAttempts *prometheus.CounterVec
	subscriptions   prometheus.Gauge
	subscriptionEvt prometheus.Counter

	operations *boundedSet
	codes      *boundedSet
	feeds      *boundedSet

	fieldMu  sync.RWMutex
	fieldObs map[[2]string]prometheus.Observer

	feedMu sync.Mutex
	feed   map[string]feedState
}

// Limits of the label sets that come from outside the code.
const (
	maxOperations = 100 // distinct operation names
	maxCodes      = 40  // distinct error codes
	maxFeeds      = 50  // distinct feed names
)

// New returns the metrics, registered in a registry of their own with the
// Go runtime's and the process's collectors.
func New() *Metrics {
	m := &Metrics{
		reg:        prometheus.NewRegistry(),
		operations: newBoundedSet(maxOperations),
		codes:      newBoundedSet(maxCodes),
		feeds:      newBoundedSet(maxFeeds),
		fieldObs:   map[[2]string]prometheus.Observer{},
		feed:       map[string]feedState{},
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mkg_http_requests_total",
		Help: "HTTP requests answered, by route, GraphQL operation name, status and the response's first error code."},
		[]string{"route", "operation", "status", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mkg_http_request_duration_seconds",
		Help:    "Time from a request's arrival to the end of its answer, by route and GraphQL operation name.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}},
		[]string{"route", "operation"})
	m.fields = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "mkg_graphql_resolver_duration_seconds",
		Help:    "Time spent in resolvers, by field coordinate (Type.field; resolver fields only).",
		Buckets: []float64{.0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1, 5}},
		[]string{"field"})
	m.statementsPer = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mkg_sql_statements_per_request",
		Help:    "SQL statements sent for one HTTP request.",
		Buckets: []float64{0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100, 200}})
	m.sqlTimePer = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mkg_sql_seconds_per_request",
		Help:    "Time spent waiting for SQL statements in one HTTP request (statements run concurrently add up).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5}})
	m.statementTime = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "mkg_sql_statement_duration_seconds",
		Help:    "Time of one SQL statement, until its first rows are ready.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1, 5}})
	m.cacheLookups = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mkg_cache_lookups_total",
		Help: "Reads through the cache by namespace (stations, observations, earthquakes, auth; response: whole responses) and result (hit or miss)."},
		[]string{"namespace", "result"})
	m.ingestRecords = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mkg_ingest_records_total",
		Help: "Records ingested by this process, by format and outcome (inserted, updated, unchanged, rejected)."},
		[]string{"format", "outcome"})
	m.ingestFiles = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mkg_ingest_files_total",
		Help: "Files ingested by this process, by format and result (ok, or failed: refused as a whole)."},
		[]string{"format", "result"})
	m.webhookAttempts = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "mkg_webhook_deliveries_total",
		Help: "Webhook delivery attempts by this instance, by outcome (delivered; failed: to be retried; paused: the failure paused the webhook)."},
		[]string{"outcome"})
	m.subscriptions = prometheus.NewGauge(prometheus.GaugeOpts{Name: "mkg_graphql_subscriptions_open",
		Help: "GraphQL subscriptions open on this instance."})
	m.subscriptionEvt = prometheus.NewCounter(prometheus.CounterOpts{Name: "mkg_graphql_subscription_events_total",
		Help: "Events delivered to GraphQL subscriptions by this instance."})
	m.reg.MustRegister(m.requests, m.latency, m.fields, m.statementsPer, m.sqlTimePer, m.statementTime, m.cacheLookups,
		m.ingestRecords, m.ingestFiles, m.subscriptions, m.subscriptionEvt, feedCollector{m}, m.webhookAttempts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is where the collectors are registered; others may add theirs.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in Prometheus's text format (or
// OpenMetrics, when asked). A scrape is bounded by the collectors' own
// timeouts (the ticket figures', 2 s).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true, MaxRequestsInFlight: 4,
		Timeout: 10 * time.Second})
}

// ObserveRequest counts one HTTP request when it is answered: route is
// the pattern that served it (the server's own, e.g. "/graphql"; "" when
// none did), status the HTTP status, took its time; rec what the layers
// below recorded (nil: nothing).
func (m *Metrics) ObserveRequest(route string, status int, took time.Duration, rec *telemetry.Request) {
	if route == "" {
		route = "none"
	}
	var op, code string
	if rec != nil {
		op, code = rec.Operation, rec.ErrorCode
		n, sqlTime := rec.SQL()
		m.statementsPer.Observe(float64(n))
		m.sqlTimePer.Observe(sqlTime.Seconds())
	}
	m.requests.WithLabelValues(route, op, statusLabel(status), code).Inc()
	m.latency.WithLabelValues(route, op).Observe(took.Seconds())
}

// StatementTime records one SQL statement's time (sqlstore.Options).
func (m *Metrics) StatementTime(d time.Duration) { m.statementTime.Observe(d.Seconds()) }

// CacheLookup counts one read through a cache (cache.Layered.Lookups,
// httpapi.ResponseCache.Lookups). The namespaces are the server's own.
func (m *Metrics) CacheLookup(namespace string, hit bool) {
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cacheLookups.WithLabelValues(namespace, result).Inc()
}

// IngestOutcome counts what one file did (ingest.Ingester.WithObserver,
// through main, which knows ingest's Summary). format is "" when the file
// was not recognised.
func (m *Metrics) IngestOutcome(format string, inserted, updated, unchanged, rejected int, failed bool) {
	if format == "" {
		format = "unknown"
	}
	for outcome, n := range map[string]int{"inserted": inserted, "updated": updated, "unchanged": unchanged, "rejected": rejected} {
		m.ingestRecords.WithLabelValues(format, outcome).Add(float64(n))
	}
	result := "ok"
	if failed {
		result = "failed"
	}
	m.ingestFiles.WithLabelValues(format, result).Inc()
}

// WebhookAttempt counts one webhook delivery attempt by its outcome
// (webhooks.Options.Delivered): delivered, failed or paused.
func (m *Metrics) WebhookAttempt(outcome string) {
	m.webhookAttempts.WithLabelValues(outcome).Inc()
}

// SubscriptionOpened counts a GraphQL subscription as open until the
// returned function is called (once, when it ends). For the subscriptions
// transport (issue 13.2).
func (m *Metrics) SubscriptionOpened() (closed func()) {
	m.subscriptions.Inc()
	var once sync.Once
	return func() { once.Do(m.subscriptions.Dec) }
}

// SubscriptionEvent counts one event delivered to a subscriber.
func (m *Metrics) SubscriptionEvent() { m.subscriptionEvt.Inc() }

// statusLabels are the status codes as label values, made once: a
// request's label costs no allocation.
var statusLabels = func() [600]string {
	var s [600]string
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func statusLabel(code int) string {
	if code < 0 || code >= len(statusLabels) {
		return "other"
	}
	return statusLabels[code]
}
