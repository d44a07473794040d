package tanma

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DefaultBaseURL is the documented production host; endpoint paths start with /api/v3.
const DefaultBaseURL = "https://account.tanmarket.cn/apiServer"

// Defaults for the client's knobs.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultQPS              = 10
	DefaultMaxResponseBytes = 16 << 20
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
	limiter    *rate.Limiter
	maxBody    int64
	now        func() time.Time
	userAgent  string
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

// WithRateLimit caps upstream calls per second; qps <= 0 disables the limit.
func WithRateLimit(qps float64, burst int) Option {
	return func(c *Client) {
		if qps <= 0 {
			c.limiter = nil
			return
		}
		c.limiter = rate.NewLimiter(rate.Limit(qps), max(burst, 1))
	}
}

// WithClock sets the time source used for timestamps (tests).
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithAppKeyHeader also sends the appKey header, as Tanma's doc pages list it.
// Production clients do not: it puts the signing secret on the wire.
func WithAppKeyHeader() Option { return func(c *Client) { c.sendAppKey = true } }

// WithMaxResponseBytes caps how much of an answer is read (default 16 MiB).
func WithMaxResponseBytes(n int64) Option { return func(c *Client) { c.maxBody = n } }

// NewClient returns a Client; the app id and key are required.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		baseURL:   DefaultBaseURL,
		timeout:   DefaultTimeout,
		limiter:   rate.NewLimiter(DefaultQPS, DefaultQPS),
		maxBody:   DefaultMaxResponseBytes,
		now:       time.Now,
		userAgent: "tanma-graphql-gateway",
	}
	for _, o := range opts {
		o(c)
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

// envelope is the upstream's answer shape.
type envelope struct {
	Code    *int            `json:"code"` // nil: not an envelope
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// Do POSTs body (nil for none) to the endpoint path, signed, and decodes the
// envelope's data into out (nil to discard). The body is marshalled once and
// the same bytes are signed and sent. A clock-skew answer (code 1003) is
// retried once with a fresh timestamp. Every failure is an *APIError.
func (c *Client) Do(ctx context.Context, path string, body, out any) error {
	raw, err := marshalBody(body)
	if err != nil {
		return &APIError{Endpoint: path, Err: err}
	}
	for attempt := 0; ; attempt++ {
		err = c.once(ctx, path, raw, out)
		if attempt == 0 && errors.Is(err, ErrClockSkew) {
			continue
		}
		return err
	}
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

func (c *Client) once(ctx context.Context, path string, raw []byte, out any) error {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return &APIError{Endpoint: path, Err: err}
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, bytes.NewReader(raw))
	if err != nil {
		return &APIError{Endpoint: path, Err: err}
	}
	ts := Timestamp(c.now())
	sign := Sign(c.appID, ts, raw, c.appKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set(HeaderAppID, c.appID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSign, sign)
	if c.sendAppKey {
		req.Header.Set(HeaderAppKey, c.appKey.Reveal())
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		return &APIError{Endpoint: path, Err: transportCause(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		// The answer broke off: a transport failure, whatever the status said.
		return &APIError{Endpoint: path, Err: transportCause(err)}
	}
	return c.decode(path, sign, resp, data, out)
}

// transportCause keeps context errors matchable and drops the URL that
// *url.Error would add (it is noise, and the query could carry data).
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}

// decode is the one place an upstream answer becomes a result or an error.
func (c *Client) decode(path, sign string, resp *http.Response, data []byte, out any) error {
	if int64(len(data)) > c.maxBody {
		return &APIError{Endpoint: path, HTTPStatus: resp.StatusCode,
			Err: fmt.Errorf("%w: answer larger than %d bytes", ErrBadResponse, c.maxBody)}
	}
	var env envelope
	envErr := json.Unmarshal(data, &env)
	if envErr == nil && env.Code == nil {
		envErr = errors.New("no code: not a Tanma answer")
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Endpoint: path, HTTPStatus: resp.StatusCode, RetryAfter: retryAfter(resp.Header)}
		if envErr == nil {
			e.Code, e.Message = *env.Code, c.safeMessage(env.Message, sign)
		}
		return e
	}
	if envErr != nil {
		return &APIError{Endpoint: path, HTTPStatus: resp.StatusCode,
			Err: fmt.Errorf("%w: %s", ErrBadResponse, describeJSONError(envErr))}
	}
	if *env.Code != CodeOK {
		return &APIError{Endpoint: path, HTTPStatus: resp.StatusCode, Code: *env.Code,
			Message: c.safeMessage(env.Message, sign), RetryAfter: retryAfter(resp.Header)}
	}
	if out == nil || len(env.Data) == 0 || string(env.Data) == "null" {
		return nil
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return &APIError{Endpoint: path, HTTPStatus: resp.StatusCode,
			Err: fmt.Errorf("%w: data: %s", ErrBadResponse, describeJSONError(err))}
	}
	return nil
}

// safeMessage makes an upstream message safe to keep in an error: anything
// echoing the app key or this request's signature is redacted, and long digit
// runs (phone numbers) are masked.
func (c *Client) safeMessage(msg, sign string) string {
	for _, secret := range []string{c.appKey.Reveal(), sign} {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, redacted)
		}
	}
	return maskDigits(msg)
}

// describeJSONError names what went wrong without quoting the payload.
func describeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "invalid JSON at offset " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		kind, _, _ := strings.Cut(te.Value, " ") // "number 13812345678.5": keep "number" only
		return fmt.Sprintf("field %q: cannot decode a %s into %s", te.Field, kind, te.Type)
	default:
		return "undecodable JSON"
	}
}

// retryAfter reads a Retry-After header in seconds (HTTP dates are ignored).
func retryAfter(h http.Header) time.Duration {
	s, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}
