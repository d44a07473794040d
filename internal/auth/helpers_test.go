package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth/authtest"
)

// jwtConfig is a valid config for the test issuer served by s.
func jwtConfig(s *authtest.JWKS) *JWTConfig {
	return &JWTConfig{JWKSURL: s.URL, Issuer: authtest.Issuer, Audience: authtest.Audience, StaffClaim: authtest.StaffClaim}
}

// newAuth builds an Authenticator closed at the end of the test.
func newAuth(t *testing.T, cfg Config) *Authenticator {
	t.Helper()
	a, err := New(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(a.Close)
	return a
}

// waitLoaded waits until a's JWKS holds n keys.
func waitLoaded(t *testing.T, a *Authenticator, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		keys, err := a.jwt.keys.MemoryJWKSet.KeyReadAll(context.Background())
		return err == nil && len(keys) == n
	}, 5*time.Second, 5*time.Millisecond)
}

// request is a GET /query with the given header name/value pairs.
func request(method string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, "/query", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// fakeClock is a settable time source.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// withoutUntil checks that a JWT caller's Until is its token's expiry
// (in the future: tests mint fresh tokens) and clears it for comparing the
// rest; other callers have none.
func withoutUntil(t *testing.T, c Caller) Caller {
	t.Helper()
	if c.Kind == KindJWT {
		assert.True(t, c.Until.After(time.Now()), "a token's caller ends at its expiry")
	} else {
		assert.True(t, c.Until.IsZero(), "API keys and anonymous callers have no end")
	}
	c.Until = time.Time{}
	return c
}
