package tanma_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// The made-up credentials and timestamp of the signature test vectors in
// tanma-api.md.
const (
	testAppID               = "ww0000000000000000_TEST01"
	testAppKey tanma.Secret = "testAppKey0123456789abcdefABCDEF"
	testMillis              = 1700000000000
	testTS                  = "1700000000000"
)

// testNow is the instant of testTS.
var testNow = time.UnixMilli(testMillis)

// fixedClock always returns testNow.
func fixedClock() time.Time { return testNow }

// thirteenDigits matches a Unix-millisecond timestamp of this era.
var thirteenDigits = regexp.MustCompile(`^[0-9]{13}$`)

// recorded is what a test server saw of one request.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// recorder is an upstream stand-in: it records every request and answers
// with reply (a success envelope with empty data when nil).
type recorder struct {
	mu    sync.Mutex
	reqs  []recorded
	reply func(w http.ResponseWriter, r *http.Request, n int)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	n := len(rec.reqs)
	rec.mu.Unlock()
	if rec.reply == nil {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":0,"message":"ok","data":null}`)
		return
	}
	rec.reply(w, r, n)
}

// requests returns a copy of what was recorded so far.
func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// startRecorder serves rec until the test ends and returns a client for it
// with the test credentials, no rate limit and the fixed clock; opts are
// applied last.
func startRecorder(t *testing.T, rec *recorder, opts ...tanma.Option) *tanma.Client {
	t.Helper()
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return newClient(t, srv, opts...)
}

// newClient returns a client for srv with the test credentials, no rate
// limit and the fixed clock; opts are applied last.
func newClient(t *testing.T, srv *httptest.Server, opts ...tanma.Option) *tanma.Client {
	t.Helper()
	base := []tanma.Option{
		tanma.WithBaseURL(srv.URL),
		tanma.WithCredentials(testAppID, testAppKey),
		tanma.WithHTTPClient(srv.Client()),
		tanma.WithRateLimit(0, 0),
		tanma.WithClock(fixedClock),
	}
	c, err := tanma.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// assertNoLeak checks that an error's text carries no credential, no
// signature and none of the given upstream strings.
func assertNoLeak(t *testing.T, err error, signs []string, upstream ...string) {
	t.Helper()
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, testAppKey.Reveal(), "app key leaked")
	for _, s := range signs {
		if s != "" {
			assert.NotContains(t, msg, s, "sign header leaked")
		}
	}
	for _, s := range upstream {
		assert.NotContains(t, msg, s, "upstream data leaked")
	}
}

// mustMillis parses a timestamp header.
func mustMillis(t *testing.T, ts string) int64 {
	t.Helper()
	ms, err := strconv.ParseInt(ts, 10, 64)
	require.NoError(t, err)
	return ms
}

// contextWithTimeout is context.WithTimeout on the test's context.
func contextWithTimeout(t *testing.T, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), d)
}

// startServer serves h until the test ends.
func startServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
