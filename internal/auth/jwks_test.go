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
)

func bearer(token string) *http.Request {
	return request(http.MethodPost, "Authorization", "Bearer "+token)
}

func TestJWKSKeyRotation(t *testing.T) {
	t.Parallel()
	oldKey, newKey, laterKey := newRSAKey(t, "2024"), newECKey(t, "2025"), newRSAKey(t, "2026")
	srv := newJWKSServer(t, oldKey)
	a := newAuth(t, Config{JWT: srv.jwtConfig()})
	clock := &fakeClock{now: time.Now()}
	a.jwt.keys.now = clock.Now
	waitLoaded(t, a, 1)
	require.EqualValues(t, 1, srv.fetches.Load(), "one fetch at start")

	_, err := a.Authenticate(bearer(oldKey.sign(t, claims(nil))))
	require.NoError(t, err)
	require.EqualValues(t, 1, srv.fetches.Load(), "a known kid needs no fetch")

	srv.publish(t, newKey)
	c, err := a.Authenticate(bearer(newKey.sign(t, claims(nil))))
	require.NoError(t, err, "an unknown kid refreshes the JWKS and finds the new key")
	assert.Equal(t, "user-1", c.ID)
	assert.EqualValues(t, 2, srv.fetches.Load())

	srv.publish(t, laterKey)
	_, err = a.Authenticate(bearer(laterKey.sign(t, claims(nil))))
	require.ErrorContains(t, err, "token is signed by an unknown key", "a second unknown kid within 30s does not refresh")
	assert.EqualValues(t, 2, srv.fetches.Load())

	clock.Advance(UnknownKeyRefreshInterval)
	_, err = a.Authenticate(bearer(laterKey.sign(t, claims(nil))))
	require.NoError(t, err, "30s later an unknown kid refreshes again")
	assert.EqualValues(t, 3, srv.fetches.Load())

	_, err = a.Authenticate(bearer(oldKey.sign(t, claims(nil))))
	require.NoError(t, err, "the old key stays valid while it is published")
}

func TestJWKSConcurrentUnknownKidsShareOneFetch(t *testing.T) {
	t.Parallel()
	oldKey, newKey := newRSAKey(t, "old"), newRSAKey(t, "new")
	srv := newJWKSServer(t, oldKey)
	a := newAuth(t, Config{JWT: srv.jwtConfig()})
	waitLoaded(t, a, 1)
	srv.publish(t, newKey)
	token := newKey.sign(t, claims(nil))

	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() { _, errs[i] = a.Authenticate(bearer(token)) })
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.EqualValues(t, 2, srv.fetches.Load(), "the start fetch and one shared refresh")
}

func TestNewDoesNotFetchSynchronously(t *testing.T) {
	t.Parallel()
	key := newRSAKey(t, "k")
	srv := newJWKSServer(t, key)
	release := make(chan struct{})
	srv.mu.Lock()
	srv.block = release
	srv.mu.Unlock()

	start := time.Now()
	a := newAuth(t, Config{JWT: srv.jwtConfig()})
	assert.Less(t, time.Since(start), time.Second, "New waited for the JWKS")
	close(release)
	waitLoaded(t, a, 1)
	_, err := a.Authenticate(bearer(key.sign(t, claims(nil))))
	require.NoError(t, err)
}

func TestJWKSUnavailableAtStart(t *testing.T) {
	t.Parallel()
	key := newRSAKey(t, "k")
	srv := newJWKSServer(t, key)
	srv.setStatus(http.StatusServiceUnavailable)
	var mu sync.Mutex
	var reported []error
	cfg := srv.jwtConfig()
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
	token := key.sign(t, claims(nil))
	_, err := a.Authenticate(bearer(token))
	require.ErrorContains(t, err, "token is signed by an unknown key")

	srv.setStatus(0)
	clock.Advance(UnknownKeyRefreshInterval)
	_, err = a.Authenticate(bearer(token))
	require.NoError(t, err, "the keys load once the JWKS answers")
}

func TestJWKSFailedRefreshKeepsKeys(t *testing.T) {
	t.Parallel()
	key := newRSAKey(t, "k")
	srv := newJWKSServer(t, key)
	a := newAuth(t, Config{JWT: srv.jwtConfig()})
	waitLoaded(t, a, 1)
	srv.setStatus(http.StatusInternalServerError)
	require.ErrorContains(t, a.jwt.keys.refresh(), "HTTP 500")
	_, err := a.Authenticate(bearer(key.sign(t, claims(nil))))
	require.NoError(t, err)
}

func TestJWKSFetch(t *testing.T) {
	t.Parallel()
	rsaKey, ecKey := newRSAKey(t, "rsa"), newECKey(t, "ec")
	encKey := rsaKey.jwk(t)
	encKey.KID, encKey.USE = "enc", jwkset.UseEnc
	tests := []struct {
		name    string
		status  int
		raw     string
		keys    []jwkset.JWKMarshal
		want    []string // kids
		wantErr string
	}{
		{name: "two keys", keys: []jwkset.JWKMarshal{rsaKey.jwk(t), ecKey.jwk(t)}, want: []string{"rsa", "ec"}},
		{name: "encryption key skipped", keys: []jwkset.JWKMarshal{encKey, ecKey.jwk(t)}, want: []string{"ec"}},
		{name: "symmetric key skipped", raw: `{"keys":[{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}]}`, wantErr: "no usable signature key"},
		{name: "unsupported key skipped", raw: `{"keys":[{"kty":"XYZ","kid":"x"}]}`, wantErr: "no usable signature key"},
		{name: "empty set", raw: `{"keys":[]}`, wantErr: "no usable signature key"},
		{name: "not a JWKS", raw: `<html>`, wantErr: "not a JSON Web Key Set"},
		{name: "server error", status: http.StatusBadGateway, wantErr: "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newJWKSServer(t)
			srv.keys, srv.status = tt.keys, tt.status
			if tt.raw != "" {
				srv.raw = []byte(tt.raw)
			}
			cfg, err := srv.jwtConfig().withDefaults()
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
	srv := newJWKSServer(t, newRSAKey(t, "k"))
	defer srv.Close()

	cfg, err := srv.jwtConfig().withDefaults()
	require.NoError(t, err)
	cfg.HTTPClient = srv.Client()
	k := newKeySet(context.Background(), cfg)
	k.interval = 5 * time.Millisecond
	k.start()
	require.Eventually(t, func() bool { return srv.fetches.Load() >= 3 }, 5*time.Second, time.Millisecond, "refreshes every interval")
	k.close()
	k.close() // idempotent
	n := srv.fetches.Load()
	time.Sleep(30 * time.Millisecond)
	assert.Equal(t, n, srv.fetches.Load(), "no refresh after close")

	a, err := New(context.Background(), Config{JWT: srv.jwtConfig()})
	require.NoError(t, err)
	waitLoaded(t, a, 1)
	a.Close()
	a.Close()
}

// TestContextEndStopsRefresh is not parallel, for goleak.VerifyNone.
func TestContextEndStopsRefresh(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := newJWKSServer(t, newRSAKey(t, "k"))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, Config{JWT: srv.jwtConfig()})
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
	key := newECKey(t, "k")
	srv := newJWKSServer(t, key)
	srv.setStatus(http.StatusServiceUnavailable)
	cfg := srv.jwtConfig()
	failed := make(chan struct{}, 1)
	cfg.OnRefreshError = func(error) {
		select {
		case failed <- struct{}{}:
		default:
		}
	}
	a := newAuth(t, Config{JWT: cfg})
	<-failed // the fetch at start is over
	srv.setStatus(0)

	token := signWith(t, key.method, "", key.private, claims(nil))
	_, err := a.Authenticate(bearer(token))
	require.NoError(t, err, "a token without kid, with no key loaded yet, fetches the JWKS")
}
