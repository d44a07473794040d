// Package sandboxtest starts the sandbox Tanma for tests and returns a
// signed client pointed at it over real loopback HTTP.
package sandboxtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Start serves sb (a fresh sandbox when nil) until the test ends and
// returns it with a client that signs with its credentials. The client has
// no rate limit unless opts set one; opts are applied last.
func Start(t testing.TB, sb *sandbox.Server, opts ...tanma.Option) (*sandbox.Server, *tanma.Client) {
	t.Helper()
	return StartBehind(t, sb, nil, opts...)
}

// StartBehind is Start with the sandbox behind wrap (nil: none), such as
// Rewrite: the client reaches the sandbox through it.
func StartBehind(t testing.TB, sb *sandbox.Server, wrap func(http.Handler) http.Handler, opts ...tanma.Option) (*sandbox.Server, *tanma.Client) {
	t.Helper()
	if sb == nil {
		sb = &sandbox.Server{}
	}
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(sb)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	base := []tanma.Option{
		tanma.WithBaseURL(ts.URL),
		tanma.WithCredentials(sandbox.DefaultAppID, sandbox.DefaultAppKey),
		tanma.WithRateLimit(0, 0),
		tanma.WithHTTPClient(ts.Client()),
	}
	c, err := tanma.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatalf("sandboxtest: %v", err)
	}
	return sb, c
}

// Rewrite is an upstream in front of the sandbox (wrap it around one) that
// answers path as the sandbox does, edit having changed the answer's whole
// envelope (its data, its code...), with the request's body to decide on
// (its cursor, page number, customer id): how tests make Tanma answer
// outside its documented shape. Other paths pass untouched.
func Rewrite(path string, edit func(req, env map[string]any)) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req map[string]any
			if r.URL.Path == path && r.Body != nil {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				_ = json.Unmarshal(body, &req)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var env map[string]any
			dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
			dec.UseNumber() // ids past 2^53 survive the round trip
			if r.URL.Path == path && dec.Decode(&env) == nil {
				edit(req, env)
				b, _ := json.Marshal(env)
				rec.Body = bytes.NewBuffer(b)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
		})
	}
}
