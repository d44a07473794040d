package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

const (
	testIssuer   = "https://id.example.test/"
	testAudience = "tanma-gateway"
)

// testKey is a signing key of the test identity provider.
type testKey struct {
	kid     string
	alg     string
	private crypto.Signer
	method  jwt.SigningMethod
}

func newRSAKey(t *testing.T, kid string) testKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return testKey{kid: kid, alg: "RS256", private: k, method: jwt.SigningMethodRS256}
}

func newECKey(t *testing.T, kid string) testKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return testKey{kid: kid, alg: "ES256", private: k, method: jwt.SigningMethodES256}
}

// jwk is the public JWK of k.
func (k testKey) jwk(t *testing.T) jwkset.JWKMarshal {
	t.Helper()
	j, err := jwkset.NewJWKFromKey(k.private.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		KID: k.kid, ALG: jwkset.ALG(k.alg), USE: jwkset.UseSig,
	}})
	require.NoError(t, err)
	return j.Marshal()
}

// sign makes a token signed by k with the given claims.
func (k testKey) sign(t *testing.T, claims jwt.MapClaims) string {
	t.Helper()
	return signWith(t, k.method, k.kid, k.private, claims)
}

func signWith(t *testing.T, m jwt.SigningMethod, kid string, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

// publicPEM is k's public key as PEM, what an attacker would use as an HMAC secret.
func (k testKey) publicPEM(t *testing.T) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.private.Public())
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// claims are valid claims for the test issuer and audience, changed by edit.
func claims(edit func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss":   testIssuer,
		"aud":   testAudience,
		"sub":   "user-1",
		"iat":   now.Unix(),
		"exp":   now.Add(5 * time.Minute).Unix(),
		"scope": "openid introspect",
		"staff": []string{"dowen"},
	}
	if edit != nil {
		edit(c)
	}
	return c
}

// jwksServer is a test identity provider serving a JWKS that tests can change.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	keys    []jwkset.JWKMarshal
	raw     []byte // served instead of keys when set
	status  int    // answered instead of 200 when set
	block   chan struct{}
	fetches atomic.Int32
}

func newJWKSServer(t *testing.T, keys ...testKey) *jwksServer {
	t.Helper()
	s := &jwksServer{}
	for _, k := range keys {
		s.keys = append(s.keys, k.jwk(t))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	block, status, raw := s.block, s.status, s.raw
	body, _ := json.Marshal(jwkset.JWKSMarshal{Keys: s.keys})
	s.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
			return
		}
	}
	s.fetches.Add(1)
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	if raw != nil {
		body = raw
	}
	w.Header().Set("Content-Type", "application/jwk-set+json")
	_, _ = w.Write(body)
}

// publish adds k to the served set.
func (s *jwksServer) publish(t *testing.T, k testKey) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, k.jwk(t))
}

func (s *jwksServer) setStatus(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = code
}

// jwtConfig is a valid config for the test issuer served by s.
func (s *jwksServer) jwtConfig() *JWTConfig {
	return &JWTConfig{JWKSURL: s.URL, Issuer: testIssuer, Audience: testAudience, StaffClaim: "staff"}
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
