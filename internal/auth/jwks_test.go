package auth

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/tanma-gql/gateway/internal/auth/authtest"
)

func bearer(token string) *http.Request {
	return request(http.MethodPost, "Authorization", "Bearer "+token)
}

func TestJWKSKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey, laterKey := authtest.NewRSAKey(t, "2024"), authtest.NewECKey(t, "2025"), authtest.NewRSAKey(t, "2026")
	srv := authtest.NewJWKS(t, oldKey)
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	clock := &fakeClock{now: time.Now()}
	a.jwt.keys.now = clock.Now
	waitLoaded(t, a, 1)
	require.EqualValues(t, 1, srv.Fetches(), "one fetch at start")

	_, err := a.Authenticate(bearer(oldKey.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err)
	require.EqualValues(t, 1, srv.Fetches(), "a known kid needs no fetch")

	srv.Publish(t, newKey)
	c, err := a.Authenticate(bearer(newKey.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err, "an unknown kid refreshes the JWKS and finds the new key")
	assert.Equal(t, "user-1", c.ID)
	assert.EqualValues(t, 2, srv.Fetches())

	srv.Publish(t, laterKey)
	_, err = a.Authenticate(bearer(laterKey.Sign(t, authtest.Claims(nil))))
	require.ErrorContains(t, err, "token is signed by an unknown key", "a second unknown kid within 30s does not refresh")
	assert.EqualValues(t, 2, srv.Fetches())

	clock.Advance(UnknownKeyRefreshInterval)
	_, err = a.Authenticate(bearer(laterKey.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err, "30s later an unknown kid refreshes again")
	assert.EqualValues(t, 3, srv.Fetches())

	_, err = a.Authenticate(bearer(oldKey.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err, "the old key stays valid while it is published")
}

func TestJWKSConcurrentUnknownKidsShareOneFetch(t *testing.T) {
	t.Parallel()
	oldKey, newKey := authtest.NewRSAKey(t, "old"), authtest.NewRSAKey(t, "new")
	srv := authtest.NewJWKS(t, oldKey)
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	waitLoaded(t, a, 1)
	srv.Publish(t, newKey)
	token := newKey.Sign(t, authtest.Claims(nil))

	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = a.Authenticate(bearer(token)) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.EqualValues(t, 2, srv.Fetches(), "the start fetch and one shared refresh")
}

func TestNewDoesNotFetchSynchronously(t *testing.T) {
	t.Parallel()
	key := authtest.NewRSAKey(t, "k")
	srv := authtest.NewJWKS(t, key)
	release := make(chan struct{})
	srv.Block(release)

	start := time.Now()
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	assert.Less(t, time.Since(start), time.Second, "New waited for the JWKS")
	close(release)
	waitLoaded(t, a, 1)
	_, err := a.Authenticate(bearer(key.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err)
}

func TestJWKSUnavailableAtStart(t *testing.T) {
	t.Parallel()
	key := authtest.NewRSAKey(t, "k")
	srv := authtest.NewJWKS(t, key)
	srv.SetStatus(http.StatusServiceUnavailable)
	var mu sync.Mutex
	var reported []error
	cfg := jwtConfig(srv)
	cfg.OnRefreshError = func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}
	a := newAuth(t, Config{JWT: cfg})
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(reported) > 0
	}, 5*time.Second, 5*time.Millisecond, "the failed fetch is reported")
	mu.Lock()
	assert.ErrorContains(t, reported[0], "HTTP 503")
	mu.Unlock()

	clock := &fakeClock{now: time.Now()}
	a.jwt.keys.now = clock.Now
	token := key.Sign(t, authtest.Claims(nil))
	_, err := a.Authenticate(bearer(token))
	require.ErrorContains(t, err, "token is signed by an unknown key")

	srv.SetStatus(0)
	clock.Advance(UnknownKeyRefreshInterval)
	_, err = a.Authenticate(bearer(token))
	require.NoError(t, err, "the keys load once the JWKS answers")
}

func TestJWKSFailedRefreshKeepsKeys(t *testing.T) {
	t.Parallel()
	key := authtest.NewRSAKey(t, "k")
	srv := authtest.NewJWKS(t, key)
	a := newAuth(t, Config{JWT: jwtConfig(srv)})
	waitLoaded(t, a, 1)
	srv.SetStatus(http.StatusInternalServerError)
	require.ErrorContains(t, a.jwt.keys.refresh(), "HTTP 500")
	_, err := a.Authenticate(bearer(key.Sign(t, authtest.Claims(nil))))
	require.NoError(t, err)
}

func TestJWKSFetch(t *testing.T) {
	t.Parallel()
	rsaKey, ecKey := authtest.NewRSAKey(t, "rsa"), authtest.NewECKey(t, "ec")
	encKey := rsaKey.JWK(t)
	encKey.KID, encKey.USE = "enc", jwkset.UseEnc
	tests := []struct {
		name    string
		status  int
		raw     string
		keys    []jwkset.JWKMarshal
		want    []string // kids
		wantErr string
	}{
		{name: "two keys", keys: []jwkset.JWKMarshal{rsaKey.JWK(t), ecKey.JWK(t)}, want: []string{"rsa", "ec"}},
		{name: "encryption key skipped", keys: []jwkset.JWKMarshal{encKey, ecKey.JWK(t)}, want: []string{"ec"}},
		{name: "symmetric key skipped", raw: `{"keys":[{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}]}`, wantErr: "no usable signature key"},
		{name: "unsupported key skipped", raw: `{"keys":[{"kty":"XYZ","kid":"x"}]}`, wantErr: "no usable signature key"},
		{name: "empty set", raw: `{"keys":[]}`, wantErr: "no usable signature key"},
		{name: "not a JWKS", raw: `<html>`, wantErr: "not a JSON Web Key Set"},
		{name: "server error", status: http.StatusBadGateway, wantErr: "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := authtest.NewJWKS(t)
			srv.SetKeys(tt.keys...)
			srv.SetStatus(tt.status)
			if tt.raw != "" {
				srv.SetRaw([]byte(tt.raw))
			}
			cfg, err := jwtConfig(srv).withDefaults()
			require.NoError(t, err)
			cfg.HTTPClient = srv.Client()
			k := newKeySet(context.Background(), cfg)
			defer k.cancel()
			keys, err := k.fetch(context.Background())
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var kids []string
			for _, j := range keys {
				kids = append(kids, j.Marshal().KID)
			}
			assert.Equal(t, tt.want, kids)
		})
	}
}

// TestCloseStopsRefresh is not parallel: goleak.VerifyNone sees every
// goroutine of the process.
func TestCloseStopsRefresh(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := authtest.NewJWKS(t, authtest.NewRSAKey(t, "k"))
	defer srv.Close()

	cfg, err := jwtConfig(srv).withDefaults()
	require.NoError(t, err)
	cfg.HTTPClient = srv.Client()
	k := newKeySet(context.Background(), cfg)
	k.interval = 5 * time.Millisecond
	k.start()
	require.Eventually(t, func() bool { return srv.Fetches() >= 3 }, 5*time.Second, time.Millisecond, "refreshes every interval")
	k.close()
	k.close() // idempotent
	n := srv.Fetches()
	time.Sleep(30 * time.Millisecond)
	assert.Equal(t, n, srv.Fetches(), "no refresh after close")

	a, err := New(context.Background(), Config{JWT: jwtConfig(srv)})
	require.NoError(t, err)
	waitLoaded(t, a, 1)
	a.Close()
	a.Close()
}

// TestContextEndStopsRefresh is not parallel, for goleak.VerifyNone.
func TestContextEndStopsRefresh(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := authtest.NewJWKS(t, authtest.NewRSAKey(t, "k"))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, Config{JWT: jwtConfig(srv)})
	require.NoError(t, err)
	waitLoaded(t, a, 1)
	cancel()
	select {
	case <-a.jwt.keys.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the refresh goroutine outlived its context")
	}
	a.Close() // still releases the HTTP client's connections
}

func TestJWKSTokenWithoutKidLoadsKeys(t *testing.T) {
	t.Parallel()
	key := authtest.NewECKey(t, "k")
	srv := authtest.NewJWKS(t, key)
	srv.SetStatus(http.StatusServiceUnavailable)
	cfg := jwtConfig(srv)
	failed := make(chan struct{}, 1)
	cfg.OnRefreshError = func(error) {
		select {
		case failed <- struct{}{}:
		default:
		}
	}
	a := newAuth(t, Config{JWT: cfg})
	<-failed // the fetch at start is over
	srv.SetStatus(0)

	token := authtest.SignWith(t, key.Method, "", key.Private, authtest.Claims(nil))
	_, err := a.Authenticate(bearer(token))
	require.NoError(t, err, "a token without kid, with no key loaded yet, fetches the JWKS")
}
