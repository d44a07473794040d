// Package config reads the gateway's settings from environment variables.
// With no Tanma credentials the gateway runs on the embedded sandbox; half a
// configuration, or a real upstream without caller authentication, is an
// error that names what is missing. README lists every setting.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// DefaultRequestTimeout bounds one GraphQL request: under the 10 s after
// which dashboards' HTTP clients commonly give up, so they get the
// gateway's error (UPSTREAM_UNAVAILABLE: "did not answer in time") rather
// than a network error. Two upstream attempts of TANMA_TIMEOUT (3 s) with
// their backoff fit in it, and most of a third, which the deadline cuts
// (a call cut so counts against the upstream's circuit breaker).
const DefaultRequestTimeout = 8 * time.Second

// Config is everything the server needs to start.
type Config struct {
	Addr           string        // listen address, from PORT (default :8080)
	MetricsAddr    string        // METRICS_ADDR: serve /metrics and /upstream-status on this address (on the main one only without caller authentication)
	PprofAddr      string        // PPROF_ADDR: serve /debug/pprof/ on this address (off when empty)
	Sandbox        bool          // no credentials given: serve the embedded sandbox
	AppID          string        // TANMA_APP_ID
	AppKey         tanma.Secret  // TANMA_APP_KEY
	BaseURL        string        // TANMA_BASE_URL
	QPS            float64       // TANMA_QPS: upstream calls per second, 0 for no limit
	Timeout        time.Duration // TANMA_TIMEOUT: one upstream call
	RequestTimeout time.Duration // REQUEST_TIMEOUT: one GraphQL request
	// DrainDelay (DRAIN_DELAY): on SIGTERM, how long the listener keeps
	// serving after /readyz starts failing, so load balancers stop sending
	// before the gateway stops accepting (default 5s; 0 with the sandbox).
	DrainDelay   time.Duration
	ReferenceTTL time.Duration // REFERENCE_TTL: how long reference data is served without a refresh
	// ReferenceRecheck (REFERENCE_RECHECK), with REDIS_URL: how long a
	// replica serves its copy of reference data before reading the shared
	// one again, so how long a refresh on one replica takes to reach all.
	ReferenceRecheck time.Duration
	LogLevel         slog.Level // LOG_LEVEL: debug, info, warn, error
	OTLPEndpoint     string     // OTEL_EXPORTER_OTLP_ENDPOINT: tracing is on when set
	// Federation (FEDERATION: on, the default, or off) serves the schema
	// as a Federation 2 subgraph: Query._service and Query._entities for a
	// router, which the gateway's own clients do not see in introspection
	// or /schema.graphql. Off, they are not in the schema at all.
	Federation bool
	Security   Security
	Limits     limits.Limits
	Scaling    Scaling
	Events     Events
}

// Load reads the configuration through getenv (os.Getenv in production),
// reporting every problem at once.
func Load(getenv func(string) string) (Config, error) {
	e := &env{getenv: getenv}
	c := Config{
		Addr:         ":8080",
		MetricsAddr:  e.get("METRICS_ADDR"),
		PprofAddr:    e.get("PPROF_ADDR"),
		AppID:        e.get("TANMA_APP_ID"),
		AppKey:       tanma.Secret(e.get("TANMA_APP_KEY")),
		BaseURL:      tanma.DefaultBaseURL,
		OTLPEndpoint: e.get("OTEL_EXPORTER_OTLP_ENDPOINT"),
	}
	if p := e.get("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			e.fail(fmt.Errorf("PORT must be a port number (1-65535), got %q", p))
		}
		c.Addr = ":" + p
	}
	switch {
	case c.AppID == "" && c.AppKey == "":
		c.Sandbox = true
		if e.get("TANMA_BASE_URL") != "" {
			e.fail(errors.New("TANMA_BASE_URL is set but TANMA_APP_ID and TANMA_APP_KEY are missing"))
		}
	case c.AppID == "":
		e.fail(errors.New("TANMA_APP_KEY is set but TANMA_APP_ID is missing"))
	case c.AppKey == "":
		e.fail(errors.New("TANMA_APP_ID is set but TANMA_APP_KEY is missing"))
	}
	if u := e.get("TANMA_BASE_URL"); u != "" {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			e.fail(fmt.Errorf("TANMA_BASE_URL must be an absolute http(s) URL, got %q", u))
		}
		c.BaseURL = strings.TrimRight(u, "/")
	}
	c.QPS = e.nonNegative("TANMA_QPS", tanma.DefaultQPS)
	c.Timeout = e.duration("TANMA_TIMEOUT", tanma.DefaultTimeout)
	c.RequestTimeout = e.duration("REQUEST_TIMEOUT", DefaultRequestTimeout)
	c.ReferenceTTL = e.duration("REFERENCE_TTL", 5*time.Minute)
	drain := 5 * time.Second
	if c.Sandbox {
		drain = 0 // nothing balances a local playground's traffic
	}
	c.DrainDelay = e.nonNegativeDuration("DRAIN_DELAY", drain)
	c.ReferenceRecheck = e.duration("REFERENCE_RECHECK", refdata.DefaultRecheck)
	if l := e.get("LOG_LEVEL"); l != "" {
		if err := c.LogLevel.UnmarshalText([]byte(l)); err != nil {
			e.fail(fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", l))
		}
	}
	c.Federation = e.onOff("FEDERATION", true)
	c.Security = loadSecurity(e, c.Sandbox)
	c.Limits = loadLimits(e, c.Sandbox)
	c.Scaling = loadScaling(e)
	c.Events = loadEvents(e, c.AppID)
	return c, errors.Join(e.errs...)
}

// env reads settings and collects what is wrong with them.
type env struct {
	getenv func(string) string
	errs   []error
}

func (e *env) get(name string) string { return strings.TrimSpace(e.getenv(name)) }

func (e *env) fail(err error) { e.errs = append(e.errs, err) }

func (e *env) nonNegative(name string, def float64) float64 {
	s := e.get(name)
	if s == "" {
		return def
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		e.fail(fmt.Errorf("%s must be a non-negative number, got %q", name, s))
		return def
	}
	return f
}

func (e *env) positive(name string, def int) int {
	s := e.get(name)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		e.fail(fmt.Errorf("%s must be a positive integer, got %q", name, s))
	}
	return n
}

func (e *env) duration(name string, def time.Duration) time.Duration {
	s := e.get(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		e.fail(fmt.Errorf("%s must be a positive duration such as 10s, got %q", name, s))
	}
	return d
}

func (e *env) nonNegativeDuration(name string, def time.Duration) time.Duration {
	s := e.get(name)
	if s == "" {
		return def
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		e.fail(fmt.Errorf("%s must be a duration such as 5s (0 for none), got %q", name, s))
	}
	return d
}

// onOff reads a switch written on or off (true and false too).
func (e *env) onOff(name string, def bool) bool {
	switch strings.ToLower(e.get(name)) {
	case "":
		return def
	case "on", "true", "1":
		return true
	case "off", "false", "0":
		return false
	}
	e.fail(fmt.Errorf("%s must be on or off, got %q", name, e.get(name)))
	return def
}

func (e *env) boolean(name string, def bool) bool {
	s := e.get(name)
	if s == "" {
		return def
	}
	switch strings.ToLower(s) {
	case "1", "true", "on", "yes":
		return true
	case "0", "false", "off", "no":
		return false
	}
	e.fail(fmt.Errorf("%s must be true or false, got %q", name, s))
	return def
}
