package sandbox_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestMethodNotAllowed checks that every endpoint is POST only.
func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name   string
		method string
		path   string
	}{
		{name: "GET list", method: http.MethodGet, path: pathList},
		{name: "PUT list", method: http.MethodPut, path: pathList},
		{name: "DELETE search", method: http.MethodDelete, path: pathSearch},
		{name: "PATCH search", method: http.MethodPatch, path: pathSearch},
		{name: "GET unknown path", method: http.MethodGet, path: "/api/v3/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := signedRequest(tt.path, nil, defaultCreds())
			r.Method = tt.method
			w := serve(sb, r)
			if w.Code != http.StatusMethodNotAllowed {
				t.Errorf("HTTP status = %d, want 405", w.Code)
			}
			if got := w.Header().Get("Allow"); got != http.MethodPost {
				t.Errorf("Allow = %q, want POST", got)
			}
			env := decodeEnvelope(t, w.Body.Bytes())
			if env.Code == 0 || string(env.Data) != "null" {
				t.Errorf("answer %s, want a non-zero code and data null", w.Body.Bytes())
			}
		})
	}
}

// TestUnknownPath checks the 404 envelope for signed requests to paths the
// sandbox does not serve.
func TestUnknownPath(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		path string
	}{
		{name: "root", path: "/"},
		{name: "unknown endpoint", path: "/api/v3/nope"},
		{name: "trailing slash", path: pathList + "/"},
		{name: "base path included", path: "/apiServer" + pathList},
		{name: "upper case", path: strings.ToUpper(pathSearch)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			failure(t, post(sb, tt.path, `{}`), http.StatusNotFound, http.StatusNotFound, "Not Found", false)
		})
	}
}

// TestBodyLimit checks the 1 MiB cap on request bodies: one byte more is
// HTTP 400, exactly 1 MiB is read and served.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	const limit = 1 << 20
	pad := func(n int) []byte {
		b := []byte(`{"qwUserId":"xiehua"}`)
		return append(b, bytes.Repeat([]byte(" "), n-len(b))...) // trailing JSON whitespace
	}
	tests := []struct {
		name   string
		body   []byte
		status int
	}{
		{name: "exactly 1 MiB", body: pad(limit), status: http.StatusOK},
		{name: "1 MiB and one byte", body: pad(limit + 1), status: http.StatusBadRequest},
		{name: "2 MiB", body: pad(2 * limit), status: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := serve(sb, signedRequest(pathList, tt.body, defaultCreds()))
			if tt.status == http.StatusOK {
				okData(t, w)
				return
			}
			if w.Code != tt.status {
				t.Fatalf("HTTP status = %d, want %d; body %.200s", w.Code, tt.status, w.Body.Bytes())
			}
			env := decodeEnvelope(t, w.Body.Bytes())
			if env.Code == 0 || string(env.Data) != "null" {
				t.Errorf("answer %s, want a non-zero code and data null", w.Body.Bytes())
			}
		})
	}
}

// TestAnswerHeaders checks the content type of answers, successful or not.
func TestAnswerHeaders(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		w    func() *httptest.ResponseRecorder
	}{
		{name: "ok", w: func() *httptest.ResponseRecorder { return post(sb, pathList, `{"qwUserId":"xiehua"}`) }},
		{name: "validation", w: func() *httptest.ResponseRecorder { return post(sb, pathList, `{}`) }},
		{name: "signature", w: func() *httptest.ResponseRecorder {
			return serve(sb, httptest.NewRequest(http.MethodPost, pathList, strings.NewReader(`{}`)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if ct := tt.w().Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
		})
	}
}
