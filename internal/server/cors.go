package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/rs/cors"
)

// CORS is the cross-origin policy: which browser origins may call the API.
type CORS struct {
	AllowedOrigins   []string      // exact origins, e.g. https://dash.example.com; empty: no cross-origin browser calls
	AllowCredentials bool          // let browsers send cookies (the gateway uses none; leave off)
	MaxAge           time.Duration // how long browsers may cache a preflight (default 10 minutes)
	// Own are the origins of the gateway's own pages, such as
	// LoopbackOrigins of its port when it serves the playground: accepted
	// besides AllowedOrigins when callers do not authenticate, where an
	// Origin matching the Host header no longer is (see originPolicy).
	Own []string
}

// Validate refuses a wildcard origin with credentials: it would let any site
// read the API with the user's cookies.
func (c CORS) Validate() error {
	if c.AllowCredentials && slices.Contains(c.AllowedOrigins, "*") {
		return errors.New("CORS: a wildcard origin with credentials allowed would let any site read the API as the user")
	}
	return nil
}

// crossOrigin wraps h with the CORS policy (rs/cors: preflights answered,
// Vary: Origin, preflight caching) and Go's cross-origin protection, which
// refuses cross-site POSTs from browsers unless the origin is allowed.
func (c CORS) crossOrigin(h http.Handler) (http.Handler, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	maxAge := c.MaxAge
	if maxAge <= 0 {
		maxAge = 10 * time.Minute
	}
	protect := http.NewCrossOriginProtection()
	protect.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusForbidden, "cross-origin request refused: this origin is not allowed to call the API")
	}))
	for _, o := range c.AllowedOrigins {
		if o == "*" {
			continue
		}
		if err := protect.AddTrustedOrigin(o); err != nil {
			return nil, fmt.Errorf("CORS origin %q: %w", o, err)
		}
	}
	if slices.Contains(c.AllowedOrigins, "*") {
		protect.AddInsecureBypassPattern("/") // every origin is allowed: nothing left to protect by origin
	}
	if len(c.AllowedOrigins) == 0 {
		// rs/cors reads an empty list as "every origin": send no CORS
		// headers at all instead, so browsers keep other sites out.
		return protect.Handler(h), nil
	}
	return cors.New(cors.Options{
		AllowedOrigins:   c.AllowedOrigins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders:   []string{"Content-Type", "Authorization", "X-API-Key", "X-Request-Id", "GraphQL-Require-Preflight", "Apollo-Require-Preflight", "X-Apollo-Operation-Name", "Apollo-Client-Name", "Apollo-Client-Version"},
		ExposedHeaders:   []string{"X-Request-Id", "Retry-After"},
		AllowCredentials: c.AllowCredentials,
		MaxAge:           int(maxAge.Seconds()),
	}).Handler(protect.Handler(h)), nil
}
