package requestlog

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneLinePerRequest: the line carries what the layers below recorded
// and never the query string or body; the id is echoed.
func TestOneLinePerRequest(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var done Snapshot
	h := Middleware(slog.New(slog.NewJSONHandler(&buf, nil)), func(_ *http.Request, _ int, _ time.Duration, s Snapshot) { done = s },
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			e := From(r.Context())
			e.SetOperation("Dashboard")
			e.SetCaller("dash-key")
			e.SetComplexity(321)
			e.CountUpstreamCall()
			e.CountUpstreamCall()
			e.AddCode("NOT_FOUND")
			e.AddCode("NOT_FOUND")
			w.WriteHeader(http.StatusTeapot)
		}))
	req := httptest.NewRequest(http.MethodPost, "/query?phone=13812345678", bytes.NewBufferString(`{"query":"13812345678"}`))
	req.Header.Set("X-Request-Id", "abc-123")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, "abc-123", w.Header().Get("X-Request-Id"))
	var line map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
	assert.Equal(t, "abc-123", line["request_id"])
	assert.Equal(t, "/query", line["path"])
	assert.Equal(t, float64(418), line["status"])
	assert.Equal(t, "Dashboard", line["operation"])
	assert.Equal(t, "dash-key", line["caller"])
	assert.Equal(t, float64(321), line["complexity"])
	assert.Equal(t, float64(2), line["upstream_calls"])
	assert.Equal(t, []any{"NOT_FOUND"}, line["error_codes"])
	assert.NotContains(t, buf.String(), "13812345678")
	assert.Equal(t, int64(2), done.UpstreamCalls)
}

func TestUnsafeRequestIDsAreReplaced(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "has space", "<script>", string(bytes.Repeat([]byte("a"), 65))} {
		var buf bytes.Buffer
		h := Middleware(slog.New(slog.NewJSONHandler(&buf, nil)), nil, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("X-Request-Id", id)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		got := w.Header().Get("X-Request-Id")
		assert.Regexp(t, `^[0-9a-f]{16}$`, got, "for %q", id)
	}
}

// TestRejectionBecomes429: a rate-limit rejection recorded during the
// request turns the answer into 429 with Retry-After in whole seconds.
func TestRejectionBecomes429(t *testing.T) {
	t.Parallel()
	h := Middleware(slog.New(slog.DiscardHandler), nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		From(r.Context()).RejectWithRetryAfter(1500 * time.Millisecond)
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte("{}"))
	}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/query", nil))
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "2", w.Header().Get("Retry-After"))
}

func TestNilEntryIsSafe(t *testing.T) {
	t.Parallel()
	var e *Entry
	e.SetOperation("x")
	e.AddCode("X")
	e.CountUpstreamCall()
	assert.Zero(t, e.UpstreamCalls())
	assert.Equal(t, Snapshot{}, e.Snapshot())
	assert.Empty(t, RequestID(t.Context()))
}
