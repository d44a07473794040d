package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestReadinessSurvivesATanmaOutage: once Tanma has answered the start
// check, /readyz stays ready while Tanma fails (a Tanma incident must not
// take every replica out of its Service), probes spend no upstream call,
// and Tanma's health shows in gateway_upstream_up and /upstream-status.
func TestReadinessSurvivesATanmaOutage(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	g := startGateway(t, sb, nil, nil)
	g.waitAnswered(t)
	require.Equal(t, http.StatusOK, status(t, g.url+"/readyz"))

	sb.SetFaults(sandbox.Faults{ErrorRate: 1})
	r := g.query(t, `{ customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, nil)
	assert.Equal(t, []string{"UPSTREAM_UNAVAILABLE"}, r.codes(), r.Raw)
	calls := sb.Calls(tanma.PathListFields) + sb.Calls(tanma.PathListByQwUserID)
	for range 5 {
		assert.Equal(t, http.StatusOK, status(t, g.url+"/readyz"), "ready through Tanma's outage")
	}
	assert.Equal(t, calls, sb.Calls(tanma.PathListFields)+sb.Calls(tanma.PathListByQwUserID), "probes call nobody")
	assert.Contains(t, g.metrics(t), "gateway_upstream_up 0")

	resp, err := http.Get(g.opsURL() + "/upstream-status")
	require.NoError(t, err)
	defer resp.Body.Close()
	var st struct {
		Up          bool
		StartCheck  string
		LastFailure struct{ Endpoint, Outcome string }
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	assert.False(t, st.Up)
	assert.Equal(t, "answered", st.StartCheck)
	assert.Equal(t, tanma.PathListByQwUserID, st.LastFailure.Endpoint)
	assert.Equal(t, tanma.OutcomeHTTP5xx, st.LastFailure.Outcome)
	require.NoError(t, g.stop())
}

// startFailing runs the gateway against baseURL with the given app key and
// returns what run returned once it stopped by itself.
func startFailing(t *testing.T, baseURL, appKey string) (error, string) {
	t.Helper()
	out, stop := start(t, nil, map[string]string{
		"PORT": strconv.Itoa(porttest.Free(t)), "TANMA_APP_ID": sandbox.DefaultAppID, "TANMA_APP_KEY": appKey,
		"TANMA_BASE_URL": baseURL, "API_KEYS": fmt.Sprintf(`[{"id":"k","sha256":%q}]`, strings.Repeat("0", 64)),
	})
	// Within a second on an idle machine; the bound is for a loaded one
	// (the whole suite in parallel), where the check's first call can time
	// out and be retried before Tanma's refusal arrives.
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "stopping: ") }, 45*time.Second, 10*time.Millisecond,
		"the start check stops the gateway")
	return stop(), out.String()
}

// TestWrongSettingsStopTheStart: a signature Tanma refuses names the
// credentials, an upstream that does not answer like Tanma names the base
// URL; both stop the gateway at start, and the key never shows.
func TestWrongSettingsStopTheStart(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(&sandbox.Server{})
	t.Cleanup(up.Close)
	err, log := startFailing(t, up.URL, "a-wrong-key-0123456789abcdef")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "check TANMA_APP_ID and TANMA_APP_KEY")
	assert.NotContains(t, err.Error()+log, "a-wrong-key")

	notTanma := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notTanma.Close)
	err, _ = startFailing(t, notTanma.URL, string(sandbox.DefaultAppKey))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TANMA_BASE_URL")
	assert.Contains(t, err.Error(), "HTTP 404, not a Tanma answer")
}

// TestUnreachableTanmaAtStartIsNotReadyYet: an upstream that cannot be
// reached at start is a warning, not a crash: the gateway is alive and not
// ready, and becomes ready once Tanma answers.
func TestUnreachableTanmaAtStartIsNotReadyYet(t *testing.T) {
	t.Parallel()
	addr := porttest.Addr(t) // nothing listens there yet
	port := porttest.Free(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	out, stop := start(t, nil, map[string]string{
		"PORT": strconv.Itoa(port), "TANMA_APP_ID": sandbox.DefaultAppID, "TANMA_APP_KEY": string(sandbox.DefaultAppKey),
		"TANMA_BASE_URL": "http://" + addr, "TANMA_TIMEOUT": "200ms", "INSECURE_ALLOW_UNAUTHENTICATED": "yes-expose-customer-data",
	})
	waitFor(t, base+"/healthz")
	assert.Equal(t, http.StatusServiceUnavailable, status(t, base+"/readyz"))
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "Tanma did not answer the start check") },
		10*time.Second, 10*time.Millisecond)

	ln, err := net.Listen("tcp", addr) // Tanma comes up
	require.NoError(t, err)
	srv := &http.Server{Handler: &sandbox.Server{}, ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	require.Eventually(t, func() bool { return status(t, base+"/readyz") == http.StatusOK }, 15*time.Second, 50*time.Millisecond,
		"ready once Tanma answers")
	require.NoError(t, stop())
}

// TestDrainDelay: on SIGTERM readiness fails at once while the listener
// keeps serving queries for DRAIN_DELAY, then the gateway stops.
func TestDrainDelay(t *testing.T) {
	t.Parallel()
	g := startGateway(t, &sandbox.Server{}, nil, map[string]string{"DRAIN_DELAY": "700ms"})
	g.waitAnswered(t)
	begin := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- g.stop() }()
	require.Eventually(t, func() bool { return status(t, g.url+"/readyz") == http.StatusServiceUnavailable },
		time.Second, 5*time.Millisecond, "readiness fails first")
	r := g.query(t, `{ customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, nil)
	assert.Empty(t, r.Errors, "still serving during the drain delay: %s", r.Raw)
	require.NoError(t, <-stopped)
	assert.GreaterOrEqual(t, time.Since(begin), 700*time.Millisecond)
}

// TestStartCheckVerdict: what a failed start check means. Wrong settings
// stop the start, naming the setting; anything that may pass later is
// retried, with a reason for the log and readiness that names
// TANMA_BASE_URL when the answer was an HTTP 5xx that is not Tanma's (a
// wrong base URL, or Tanma down behind a proxy: the same page either way).
func TestStartCheckVerdict(t *testing.T) {
	t.Parallel()
	const base = "https://tanma.example/apiServer"
	path := tanma.PathListFields
	tests := []struct {
		name  string
		err   error
		fatal bool
		want  []string // in the reason
		not   []string // not in the reason
	}{
		{name: "signature rejected", err: &tanma.APIError{Endpoint: path, HTTPStatus: 200, Code: tanma.CodeBadSignature}, fatal: true,
			want: []string{"TANMA_APP_ID and TANMA_APP_KEY"}},
		{name: "HTML 404", err: &tanma.APIError{Endpoint: path, HTTPStatus: 404}, fatal: true,
			want: []string{"TANMA_BASE_URL " + base, "HTTP 404, not a Tanma answer"}},
		{name: "not an envelope", err: &tanma.APIError{Endpoint: path, HTTPStatus: 200, Err: tanma.ErrBadResponse}, fatal: true,
			want: []string{"TANMA_BASE_URL " + base, "an answer that is not Tanma's"}},
		{name: "Tanma's answer outside its shape", err: tanma.Invalid(path, "the answer has no fields array"),
			want: []string{"outside its documented shape at start (the answer has no fields array)"}, not: []string{"TANMA_BASE_URL"}},
		{name: "HTML 502", err: &tanma.APIError{Endpoint: path, HTTPStatus: 502},
			want: []string{"TANMA_BASE_URL " + base + " answers HTTP 502 with a page that is not a Tanma answer: check the base URL, or the upstream is down"}},
		{name: "HTML 503", err: &tanma.APIError{Endpoint: path, HTTPStatus: 503},
			want: []string{"TANMA_BASE_URL " + base + " answers HTTP 503 with a page that is not a Tanma answer"}},
		{name: "Tanma's own 500", err: &tanma.APIError{Endpoint: path, HTTPStatus: 500, Code: 500, Message: "系统繁忙"},
			want: []string{"http 500: code 500"}, not: []string{"TANMA_BASE_URL"}},
		{name: "rate limited", err: &tanma.APIError{Endpoint: path, HTTPStatus: 429},
			want: []string{"http 429"}, not: []string{"TANMA_BASE_URL"}},
		{name: "unreachable", err: &tanma.APIError{Endpoint: path, Err: errors.New("connection refused")},
			want: []string{"connection refused"}, not: []string{"TANMA_BASE_URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reason, fatal := startCheckVerdict(tt.err, base)
			assert.Equal(t, tt.fatal, fatal)
			require.Error(t, reason)
			for _, w := range tt.want {
				assert.Contains(t, reason.Error(), w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, reason.Error(), n)
			}
		})
	}
}

// TestHTMLServerErrorAtStartNamesTheBaseURL: a base URL that answers an
// HTML 502 at start keeps the gateway alive and not ready, retrying, and
// the log and /upstream-status say to check TANMA_BASE_URL.
func TestHTMLServerErrorAtStartNamesTheBaseURL(t *testing.T) {
	t.Parallel()
	proxy := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		})
	}
	g := startGateway(t, &sandbox.Server{}, proxy, nil)
	require.Eventually(t, func() bool { return len(logLines(t, g.out.String(), msgStartCheckFailed)) > 0 },
		10*time.Second, 10*time.Millisecond, "the start check fails")
	line := logLines(t, g.out.String(), msgStartCheckFailed)[0]
	assert.Contains(t, line["err"], "TANMA_BASE_URL http://127.0.0.1:")
	assert.Contains(t, line["err"], "answers HTTP 502 with a page that is not a Tanma answer: check the base URL, or the upstream is down")
	assert.Equal(t, http.StatusServiceUnavailable, status(t, g.url+"/readyz"), "alive, not ready")

	resp, err := http.Get(g.opsURL() + "/upstream-status")
	require.NoError(t, err)
	defer resp.Body.Close()
	var st struct{ StartCheck, StartCheckProblem string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	assert.Equal(t, "waiting", st.StartCheck)
	assert.Contains(t, st.StartCheckProblem, "TANMA_BASE_URL")
	require.NoError(t, g.stop(), "retried, never fatal")
}
