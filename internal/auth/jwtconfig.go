package auth

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Defaults and bounds of JWTConfig.
const (
	DefaultLeeway           = 30 * time.Second
	MaxLeeway               = 5 * time.Minute
	DefaultRefreshInterval  = 5 * time.Minute
	MinRefreshInterval      = time.Second
	DefaultPermissionsClaim = "scope"
	DefaultJWKSTimeout      = 10 * time.Second
	// UnknownKeyRefreshInterval bounds how often a token with an unknown kid
	// may make the authenticator fetch the JWKS again.
	UnknownKeyRefreshInterval = 30 * time.Second
)

// DefaultAlgorithms are the JWT algorithms accepted when JWTConfig.Algorithms is empty.
func DefaultAlgorithms() []string { return []string{"RS256", "ES256"} }

// SupportedAlgorithms are the algorithms JWTConfig.Algorithms may list: all
// verify with a public key from the JWKS.
func SupportedAlgorithms() []string {
	return []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
}

// JWTConfig configures bearer-token authentication.
type JWTConfig struct {
	JWKSURL          string        // required to enable JWT
	Issuer           string        // required
	Audience         string        // required
	Algorithms       []string      // allowlist; default RS256, ES256; "none" and HS* are refused at config time
	Leeway           time.Duration // default 30s, max 5m
	StaffClaim       string        // claim holding the staff ids (array of strings, or a space/comma-separated string); "" = tokens are unscoped
	PermissionsClaim string        // default "scope" (space-separated string, OAuth style); also accept an array of strings
	RefreshInterval  time.Duration // JWKS refresh, default 5m; unknown kid triggers a rate-limited refresh (at most once per 30s)
	HTTPClient       *http.Client  // for fetching the JWKS (default: 10s timeout)

	// OnRefreshError, if set, is called when fetching the JWKS fails, for
	// the caller to log or count. The package itself logs nothing.
	OnRefreshError func(error)
}

// withDefaults validates c and returns a copy with the defaults filled in.
func (c JWTConfig) withDefaults() (JWTConfig, error) {
	var errs []error
	if c.JWKSURL == "" {
		errs = append(errs, errors.New("jwt: JWKS URL is required"))
	} else if err := checkJWKSURL(c.JWKSURL); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(c.Issuer) == "" {
		errs = append(errs, errors.New("jwt: issuer is required"))
	}
	if strings.TrimSpace(c.Audience) == "" {
		errs = append(errs, errors.New("jwt: audience is required"))
	}
	if len(c.Algorithms) == 0 {
		c.Algorithms = DefaultAlgorithms()
	} else {
		c.Algorithms = slices.Clone(c.Algorithms)
		slices.Sort(c.Algorithms)
		c.Algorithms = slices.Compact(c.Algorithms)
	}
	for _, a := range c.Algorithms {
		switch {
		case strings.EqualFold(a, "none"):
			errs = append(errs, errors.New(`jwt: algorithm "none" is refused: tokens must be signed`))
		case strings.HasPrefix(strings.ToUpper(a), "HS"):
			errs = append(errs, fmt.Errorf("jwt: algorithm %q is refused: shared-secret (HMAC) algorithms cannot be verified with a JWKS of public keys", a))
		case !slices.Contains(SupportedAlgorithms(), a):
			errs = append(errs, fmt.Errorf("jwt: unknown algorithm %q (known: %s)", a, strings.Join(SupportedAlgorithms(), ", ")))
		}
	}
	switch {
	case c.Leeway == 0:
		c.Leeway = DefaultLeeway
	case c.Leeway < 0:
		errs = append(errs, fmt.Errorf("jwt: leeway must not be negative, got %s", c.Leeway))
	case c.Leeway > MaxLeeway:
		errs = append(errs, fmt.Errorf("jwt: leeway must be at most %s, got %s", MaxLeeway, c.Leeway))
	}
	switch {
	case c.RefreshInterval == 0:
		c.RefreshInterval = DefaultRefreshInterval
	case c.RefreshInterval < MinRefreshInterval:
		errs = append(errs, fmt.Errorf("jwt: refresh interval must be at least %s, got %s", MinRefreshInterval, c.RefreshInterval))
	}
	if c.PermissionsClaim == "" {
		c.PermissionsClaim = DefaultPermissionsClaim
	}
	return c, errors.Join(errs...)
}

// checkJWKSURL requires an absolute https URL; plain http is allowed only for
// loopback hosts (tests, a local identity provider), since keys fetched over
// plain http could be replaced by anyone on the path.
func checkJWKSURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("jwt: JWKS URL is not a valid URL")
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("jwt: JWKS URL must be an absolute https URL, got %q", u.Redacted())
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return fmt.Errorf("jwt: JWKS URL must use https (http is allowed for localhost only), got %q", u.Redacted())
	}
	return nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
