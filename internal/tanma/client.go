package tanma

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the documented production host; endpoint paths start with /api/v3.
const DefaultBaseURL = "https://account.tanmarket.cn/apiServer"

// Defaults for the client's knobs.
const (
	// DefaultTimeout bounds one attempt: Tanma answers in well under a
	// second when healthy, and two attempts with their backoff (and most
	// of a third) must fit an interactive request's deadline
	// (REQUEST_TIMEOUT, 8 s by default).
	DefaultTimeout          = 3 * time.Second
	DefaultQPS              = 10
	DefaultMaxResponseBytes = 16 << 20

	DefaultRetryAttempts   = 3                      // attempts per read call, the first included
	DefaultRetryBase       = 100 * time.Millisecond // backoff ceiling of the first retry
	DefaultRetryMaxDelay   = 2 * time.Second        // largest wait between attempts
	DefaultBreakerFailures = 5                      // consecutive failures that open a circuit
	DefaultBreakerOpenFor  = 10 * time.Second       // how long a circuit stays open
	DefaultMaxConcurrent   = 32                     // upstream requests in flight per client
)

// Client calls the Tanma OpenAPI. Build it with NewClient; it is safe for
// concurrent use.
type Client struct {
	baseURL    string
	appID      string
	appKey     Secret
	sendAppKey bool
	httpClient *http.Client
	timeout    time.Duration
	quota      Quota // nil: no limit
	maxBody    int64
	now        func() time.Time
	userAgent  string

	retry    retryPolicy
	breakers *breakers // nil: no circuit breaking
	slots    chan struct{}
	maxInFly int
	observer Observer
	inFlight *flights // shared in-flight reads
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sets the upstream base URL (default DefaultBaseURL).
func WithBaseURL(u string) Option { return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") } }

// WithCredentials sets the app id and the app key used to sign requests.
func WithCredentials(appID string, appKey Secret) Option {
	return func(c *Client) { c.appID, c.appKey = appID, appKey }
}

// WithHTTPClient sets the HTTP client (default: a tuned client of our own).
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.httpClient = h } }

// WithTimeout bounds each upstream attempt (default DefaultTimeout).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRateLimit caps upstream calls per second in this process; qps <= 0
// disables the limit.
func WithRateLimit(qps float64, burst int) Option {
	return func(c *Client) { c.quota = NewLocalQuota(qps, burst) }
}

// WithQuota sets the Quota that keeps calls within the app's quota, such
// as one shared by every replica (nil: no limit).
func WithQuota(l Quota) Option { return func(c *Client) { c.quota = l } }

// WithClock sets the time source used for timestamps (tests).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithAppKeyHeader also sends the appKey header, as Tanma's doc pages list it.
// Production clients do not: it puts the signing secret on the wire.
func WithAppKeyHeader() Option { return func(c *Client) { c.sendAppKey = true } }

// WithMaxResponseBytes caps how much of an answer is read (default 16 MiB).
func WithMaxResponseBytes(n int64) Option { return func(c *Client) { c.maxBody = n } }

// WithRetry sets how reads are retried (writes never are): at most attempts
// HTTP attempts in all (1: no retry), waiting before retry n (from 0) a
// uniformly random time up to min(base·2ⁿ, maxDelay) ("full jitter"), and at
// least an HTTP 429's Retry-After; a Retry-After above maxDelay is not waited
// for. A base of 0 retries at once; a maxDelay below base is raised to base.
// Defaults: DefaultRetryAttempts, DefaultRetryBase, DefaultRetryMaxDelay.
func WithRetry(attempts int, base, maxDelay time.Duration) Option {
	return func(c *Client) {
		c.retry = retryPolicy{attempts: max(attempts, 1), base: max(base, 0), maxDelay: max(maxDelay, base, 0)}
	}
}

// WithBreaker sets each endpoint path's circuit breaker: it opens after
// consecutiveFailures upstream failures in a row (5xx, 429, transport errors,
// timeouts, calls their callers' deadline cut before the upstream answered)
// and stays open for openFor before letting one probe through.
// consecutiveFailures 0 disables circuit breaking; openFor <= 0 means
// DefaultBreakerOpenFor.
func WithBreaker(consecutiveFailures uint32, openFor time.Duration) Option {
	return func(c *Client) {
		if openFor <= 0 {
			openFor = DefaultBreakerOpenFor
		}
		c.breakers = newBreakers(consecutiveFailures, openFor)
	}
}

// WithMaxConcurrent caps the upstream HTTP requests in flight at once
// (default DefaultMaxConcurrent); n <= 0 removes the cap.
func WithMaxConcurrent(n int) Option { return func(c *Client) { c.maxInFly = n } }

// WithObserver sets the Observer told about every upstream attempt (default:
// none).
func WithObserver(o Observer) Option {
	return func(c *Client) {
		if o == nil {
			o = nopObserver{}
		}
		c.observer = o
	}
}

// NewClient returns a Client; the app id and key are required.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		timeout:   DefaultTimeout,
		quota:     NewLocalQuota(DefaultQPS, DefaultQPS),
		maxBody:   DefaultMaxResponseBytes,
		now:       time.Now,
		userAgent: "tanma-graphql-gateway",
		retry:     retryPolicy{attempts: DefaultRetryAttempts, base: DefaultRetryBase, maxDelay: DefaultRetryMaxDelay},
		breakers:  newBreakers(DefaultBreakerFailures, DefaultBreakerOpenFor),
		maxInFly:  DefaultMaxConcurrent,
		observer:  nopObserver{},
		inFlight:  &flights{m: map[string]*flight{}},
	}
	for _, o := range opts {
		o(c)
	}
	if c.maxInFly > 0 {
		c.slots = make(chan struct{}, c.maxInFly)
	}
	if c.appID == "" || c.appKey == "" {
		return nil, errors.New("tanma: app id and app key are required")
	}
	u, err := url.Parse(c.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("tanma: base URL %q must be an absolute http(s) URL", c.baseURL)
	}
	if c.httpClient == nil {
		c.httpClient = &http.Client{Transport: newTransport()}
	}
	return c, nil
}

// Format prints the client without its app key, for every fmt verb.
func (c Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "tanma.Client{appID: %s, baseURL: %s}", c.appID, c.baseURL)
}

// LogValue logs the client without its app key.
func (c *Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("appId", c.appID), slog.String("baseURL", c.baseURL))
}

var (
	_ fmt.Formatter  = Client{}
	_ slog.LogValuer = (*Client)(nil)
)

// AppID returns the app id the client signs with.
func (c *Client) AppID() string { return c.appID }

// newTransport keeps enough idle connections per host for a busy gateway:
// the default of 2 would pay a new TLS handshake per request under load.
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// Do POSTs body (nil for none) to the endpoint path, signed, and decodes the
// envelope's data into out (nil to discard). Use it for reads: the call may
// be retried and shared. The body is marshalled once and the same bytes are
// signed and sent on every attempt.
//
// Identical calls in flight at once (same path, same body bytes) share one
// upstream call; each caller still waits under its own ctx and gets its own
// decoded copy. Transient failures (transport errors, timeouts, HTTP 5xx,
// HTTP 429) are retried with backoff (see WithRetry) but never past ctx's
// deadline; a clock-skew answer (code 1003) is re-signed with a fresh
// timestamp once. Every failure is an *APIError.
func (c *Client) Do(ctx context.Context, path string, body, out any) error {
	raw, err := marshalBody(body)
	if err != nil {
		return &APIError{Endpoint: path, Err: err}
	}
	return c.finish(path, c.shared(ctx, path, raw), out)
}

// read makes a read call (Do) and returns its data decoded as T: what
// every endpoint method of a read is.
func read[T any](ctx context.Context, c *Client, path string, body any) (T, error) {
	var out T
	err := c.Do(ctx, path, body, &out)
	return out, err
}

// DoWrite is Do for calls that change upstream state: signed and decoded the
// same way, but never shared with other callers and never retried, except
// once re-signed after a clock-skew answer (code 1003: the upstream rejected
// the request before acting on it). When the request was sent but no answer
// came back that says it was refused (only a code != 0 on HTTP 2xx, or an
// HTTP 4xx, say so: a transport error, timeout, cancellation, HTTP 5xx or an
// unreadable answer do not), the error matches ErrUnknownOutcome: the write
// may or may not have happened.
func (c *Client) DoWrite(ctx context.Context, path string, body, out any) error {
	raw, err := marshalBody(body)
	if err != nil {
		return &APIError{Endpoint: path, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return &APIError{Endpoint: path, Err: err}
	}
	err = c.finish(path, c.guarded(ctx, path, raw, true, ctx.Deadline), out)
	var e *APIError
	if errors.As(err, &e) && e.HTTPStatus >= 200 && e.HTTPStatus <= 299 && e.Code == CodeOK && !errors.Is(e, ErrUnknownOutcome) {
		// A success envelope whose data cannot be read: the write happened,
		// but what it answered is unknown.
		return markUnknown(e)
	}
	return err
}

// finish gives one caller its result: a private copy of the error, or the
// shared answer's data decoded into the caller's own out.
func (c *Client) finish(path string, res result, out any) error {
	if res.err != nil {
		var e *APIError
		if errors.As(res.err, &e) {
			cp := *e
			return &cp
		}
		return &APIError{Endpoint: path, Err: res.err}
	}
	return decodeData(path, res.status, res.data, out)
}

func marshalBody(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
