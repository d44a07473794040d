// Package authtest is a test identity provider for tests of JWT
// authentication: RSA and EC signing keys, a JWKS endpoint the test can
// change (its keys, a raw body, an error status, fetches held back, a fetch
// counter) and tokens minted from valid claims with edits.
//
// It does not import package auth, so that package's own (internal) tests
// can use it; callers build their auth.JWTConfig from [Issuer], [Audience],
// [StaffClaim] and the JWKS URL.
package authtest

import (
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
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// The issuer and audience of the tokens, and the claim carrying their staff
// members: what a gateway trusting the provider is configured with.
const (
	Issuer     = "https://id.example.test/"
	Audience   = "tanma-gateway"
	StaffClaim = "staff"
)

// Key is a signing key of the test identity provider.
type Key struct {
	KID     string
	Alg     string // the JWA name: RS256, ES256
	Private crypto.Signer
	Method  jwt.SigningMethod
}

// NewRSAKey makes a 2048-bit RS256 key named kid.
func NewRSAKey(t testing.TB, kid string) Key {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return Key{KID: kid, Alg: "RS256", Private: k, Method: jwt.SigningMethodRS256}
}

// NewECKey makes a P-256 ES256 key named kid.
func NewECKey(t testing.TB, kid string) Key {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return Key{KID: kid, Alg: "ES256", Private: k, Method: jwt.SigningMethodES256}
}

// JWK is the public JWK of k, for signatures.
func (k Key) JWK(t testing.TB) jwkset.JWKMarshal {
	t.Helper()
	j, err := jwkset.NewJWKFromKey(k.Private.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
		KID: k.KID, ALG: jwkset.ALG(k.Alg), USE: jwkset.UseSig,
	}})
	require.NoError(t, err)
	return j.Marshal()
}

// Sign makes a token signed by k, its header naming k's kid.
func (k Key) Sign(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	return SignWith(t, k.Method, k.KID, k.Private, claims)
}

// PublicPEM is k's public key as PEM: what an attacker would use as an
// HMAC secret.
func (k Key) PublicPEM(t testing.TB) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(k.Private.Public())
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// SignWith makes a token with method m and key (any key m takes), its
// header naming kid unless kid is empty.
func SignWith(t testing.TB, m jwt.SigningMethod, kid string, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

// Unsigned is a token with alg "none", no kid and no signature.
func Unsigned(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	return SignWith(t, jwt.SigningMethodNone, "", jwt.UnsafeAllowNoneSignatureType, claims)
}

// Claims are valid claims for [Issuer] and [Audience]: subject user-1,
// issued now, expiring in five minutes, scope "openid introspect", staff
// [dowen]; changed by edit (when not nil).
func Claims(edit func(jwt.MapClaims)) jwt.MapClaims {
	now := time.Now()
	c := jwt.MapClaims{
		"iss":      Issuer,
		"aud":      Audience,
		"sub":      "user-1",
		"iat":      now.Unix(),
		"exp":      now.Add(5 * time.Minute).Unix(),
		"scope":    "openid introspect",
		StaffClaim: []string{"dowen"},
	}
	if edit != nil {
		edit(c)
	}
	return c
}

// JWKS is a JWKS endpoint served over loopback HTTP until the test ends,
// whose answers the test can change while it runs.
type JWKS struct {
	*httptest.Server
	mu      sync.Mutex
	keys    []jwkset.JWKMarshal
	raw     []byte          // served instead of keys when set
	status  int             // answered instead of 200 when set
	block   <-chan struct{} // when set, fetches wait until it closes
	fetches atomic.Int32
}

// NewJWKS serves a JWKS publishing keys.
func NewJWKS(t testing.TB, keys ...Key) *JWKS {
	t.Helper()
	s := &JWKS{}
	for _, k := range keys {
		s.keys = append(s.keys, k.JWK(t))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *JWKS) serve(w http.ResponseWriter, r *http.Request) {
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

// Publish adds k to the served set.
func (s *JWKS) Publish(t testing.TB, k Key) {
	t.Helper()
	j := k.JWK(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, j)
}

// SetKeys replaces the served set with keys (JWKs as they are, so a test
// can serve keys Key would not make).
func (s *JWKS) SetKeys(keys ...jwkset.JWKMarshal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

// SetRaw serves body instead of the set; nil serves the set again.
func (s *JWKS) SetRaw(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw = body
}

// SetStatus answers every fetch with code and no body; 0 answers 200 with
// the set again.
func (s *JWKS) SetStatus(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = code
}

// Block holds every fetch until release is closed (or the fetch is given
// up); nil lets them through again.
func (s *JWKS) Block(release <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.block = release
}

// Fetches counts the fetches answered so far (a blocked fetch counts once
// it is let through).
func (s *JWKS) Fetches() int { return int(s.fetches.Load()) }

// Provider is an identity provider publishing an EC key (kid ec-1) and an
// RSA key (kid rsa-1) in its JWKS.
type Provider struct {
	*JWKS
	EC, RSA Key
	// Staff is the staff claim of [Provider.Claims]; NewProvider sets
	// [dowen], as [Claims] does.
	Staff []string
}

// NewProvider starts a provider that serves until the test ends.
func NewProvider(t testing.TB) *Provider {
	t.Helper()
	p := &Provider{EC: NewECKey(t, "ec-1"), RSA: NewRSAKey(t, "rsa-1"), Staff: []string{"dowen"}}
	p.JWKS = NewJWKS(t, p.EC, p.RSA)
	return p
}

// Claims are [Claims] with p's staff, changed by edit.
func (p *Provider) Claims(edit func(jwt.MapClaims)) jwt.MapClaims {
	return Claims(func(c jwt.MapClaims) {
		c[StaffClaim] = slices.Clone(p.Staff)
		if edit != nil {
			edit(c)
		}
	})
}

// Token is a valid ES256 token of p with claims changed by edit.
func (p *Provider) Token(t testing.TB, edit func(jwt.MapClaims)) string {
	t.Helper()
	return p.EC.Sign(t, p.Claims(edit))
}
