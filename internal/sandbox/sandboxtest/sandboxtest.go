// Package sandboxtest starts the sandbox Tanma for tests and returns a
// signed client pointed at it over real loopback HTTP.
package sandboxtest

import (
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
	if sb == nil {
		sb = &sandbox.Server{}
	}
	ts := httptest.NewServer(sb)
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
