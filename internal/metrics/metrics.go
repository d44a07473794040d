// Package metrics holds the gateway's Prometheus metrics, on a registry of
// their own built once in server.go and served at /metrics. Every label has
// a closed set of values (operation names are bounded, see opNames), so no
// client input can grow the series without limit, and no label holds
// personal data. A nil *Metrics records nothing.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Metrics are the gateway's metrics.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.HistogramVec
	upstream   *prometheus.HistogramVec
	batches    *prometheus.HistogramVec
	cache      *prometheus.CounterVec
	rejections *prometheus.CounterVec
	untyped    *prometheus.CounterVec
	invalid    *prometheus.CounterVec
	pushes     *prometheus.CounterVec
	resyncs    prometheus.Counter
	ops        *opNames
}

// New registers the gateway's metrics, with Go runtime and process metrics,
// on a new registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gateway_graphql_request_duration_seconds",
			Help:    "GraphQL requests by operation name and outcome (ok, or the first error code), with their latency.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"operation", "outcome"}),
		upstream: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gateway_upstream_request_duration_seconds",
			Help:    "Tanma API attempts by endpoint path and outcome, with their latency.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 15),
		}, []string{"endpoint", "outcome"}),
		batches: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gateway_loader_batch_size",
			Help:    "Keys per dataloader batch.",
			Buckets: []float64{1, 2, 5, 10, 20, 50, 100, 200},
		}, []string{"loader"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gateway_reference_cache_requests_total",
			Help: "Reference data reads by cache and result: hit (fresh), stale (served while refreshing), miss (waited for a load).",
		}, []string{"cache", "result"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gateway_rate_limit_rejections_total",
			Help: "Requests refused by a rate limit: caller (per-caller cost budget) or upstream (the app's QPS quota).",
		}, []string{"limiter"}),
		untyped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gateway_untyped_values_total",
			Help: "Values of Tanma's that could not be typed, by field key (or property) and problem (MALFORMED, UNKNOWN_OPTION, UNKNOWN_TYPE, WRONG_TYPE, UNDEFINED_FIELD); the value is still served as text.",
		}, []string{"field", "problem"}),
		invalid: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gateway_upstream_invalid_total",
			Help: "Parts of Tanma's answers outside its documented shape, by problem: missing_list, item_without_id, duplicate_item, other_customers, empty_page, duplicate_field, field_without_key, wrong_type, repeating_walk (shown as UPSTREAM_INVALID errors or flagged values, never as data).",
		}, []string{"problem"}),
		pushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gateway_push_events_total",
			Help: "Tanma push events received, by type (the documented ones, else other) and outcome: applied, replay (a msgId already applied), ignored (a type the gateway does not act on), unreadable (content not in the documented shape, acknowledged), in_progress (a re-send while the first is being applied, not acknowledged), failed (left unacknowledged), refused.",
		}, []string{"type", "outcome"}),
		resyncs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "gateway_subscription_resyncs_total",
			Help: "RESYNC changes sent to subscriptions that could not be sent every event (more waiting than the bound, or an event's customer not read in time): their clients refetch.",
		}),
		ops: newOpNames(200),
	}
	reg.MustRegister(m.requests, m.upstream, m.batches, m.cache, m.rejections, m.untyped, m.invalid, m.pushes, m.resyncs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Registry is the registry the metrics live on (tests read it).
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// GraphQLRequest records one GraphQL request.
func (m *Metrics) GraphQLRequest(operation, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(m.ops.label(operation), outcomeLabel(outcome)).Observe(d.Seconds())
}

// UpstreamCall records one upstream attempt; outcome is from tanma's closed set.
func (m *Metrics) UpstreamCall(endpoint, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.upstream.WithLabelValues(endpoint, outcome).Observe(d.Seconds())
}

// Batch records the size of one dataloader batch.
func (m *Metrics) Batch(loader string, size int) {
	if m == nil {
		return
	}
	m.batches.WithLabelValues(loader).Observe(float64(size))
}

// CacheRead records one reference-data read: hit, stale or miss.
func (m *Metrics) CacheRead(cache, result string) {
	if m == nil {
		return
	}
	m.cache.WithLabelValues(cache, result).Inc()
}

// Rejected counts a request refused by a rate limit ("caller" or "upstream").
func (m *Metrics) Rejected(limiter string) {
	if m == nil {
		return
	}
	m.rejections.WithLabelValues(limiter).Inc()
}

// WatchCircuits reports the breaker state of each upstream endpoint, read
// from states at every scrape: 0 closed, 1 half-open, 2 open.
func (m *Metrics) WatchCircuits(states func() map[string]string) {
	if m == nil {
		return
	}
	m.registry.MustRegister(circuitCollector{states})
}

// Untyped counts a value of Tanma's that could not be typed, by field key
// (or property, such as createTime) and problem.
func (m *Metrics) Untyped(field, problem string) {
	if m == nil {
		return
	}
	m.untyped.WithLabelValues(field, problem).Inc()
}

// UpstreamInvalid counts a part of an answer outside Tanma's documented
// shape, by problem (the customer store's closed set).
func (m *Metrics) UpstreamInvalid(problem string) {
	if m == nil {
		return
	}
	m.invalid.WithLabelValues(problem).Inc()
}

// PushEvent counts one push event by type and outcome. A type outside the
// documented ones is counted as "other" (a push's body is not covered by
// its signature, so its type bounds nothing).
func (m *Metrics) PushEvent(pushType, outcome string) {
	if m == nil {
		return
	}
	if pushType != "" && !tanma.KnownPushType(pushType) {
		pushType = "other"
	}
	m.pushes.WithLabelValues(pushType, outcome).Inc()
}

// SubscriptionResync counts a RESYNC sent to a subscription that could
// not be sent every event.
func (m *Metrics) SubscriptionResync() {
	if m == nil {
		return
	}
	m.resyncs.Inc()
}

// WatchSubscriptions reports gateway_subscriptions, read from open at
// every scrape: the subscriptions open on this replica.
func (m *Metrics) WatchSubscriptions(open func() int) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gateway_subscriptions",
		Help: "GraphQL subscriptions open on this replica.",
	}, func() float64 { return float64(open()) }))
}

// WatchUpstream reports gateway_upstream_up, read from up at every scrape:
// what the calls made for callers say of Tanma (see telemetry.UpstreamHealth).
func (m *Metrics) WatchUpstream(up func() bool) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gateway_upstream_up",
		Help: "1 while Tanma answers the calls made for callers (no probe calls it); 0 after a failed attempt until one succeeds.",
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}))
}

// WatchRedis reports gateway_redis_up, read from up at every scrape: 1
// while the shared Redis answers, 0 while the replica serves on its local
// fallbacks. Registered only when Redis is configured.
func (m *Metrics) WatchRedis(up func() bool) {
	if m == nil {
		return
	}
	m.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "gateway_redis_up",
		Help: "1 while the shared Redis answers; 0 while this replica serves on local fallbacks (its share of the quota, local caches).",
	}, func() float64 {
		if up() {
			return 1
		}
		return 0
	}))
}

var circuitDesc = prometheus.NewDesc("gateway_upstream_circuit_state",
	"Circuit breaker state per upstream endpoint: 0 closed, 1 half-open, 2 open.", []string{"endpoint"}, nil)

type circuitCollector struct{ states func() map[string]string }

func (c circuitCollector) Describe(ch chan<- *prometheus.Desc) { ch <- circuitDesc }

func (c circuitCollector) Collect(ch chan<- prometheus.Metric) {
	for endpoint, state := range c.states() {
		v := map[string]float64{"closed": 0, "half-open": 1, "open": 2}[state]
		ch <- prometheus.MustNewConstMetric(circuitDesc, prometheus.GaugeValue, v, endpoint)
	}
}

// outcomeLabel keeps outcomes to "ok" and the declared codes (apperr.Codes).
func outcomeLabel(s string) string {
	if s == "ok" || apperr.Code(s).Known() {
		return s
	}
	return "other"
}
