package auth

import (
	"errors"
	"net/http"
	"strings"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// Middleware authenticates every request except OPTIONS: it answers 401 when
// Authenticate fails, and otherwise calls next with the Caller in the request
// context (see FromContext).
//
// OPTIONS requests pass through unauthenticated and without a caller,
// because browsers send CORS preflights without credentials. Handlers behind
// the middleware must not run operations for OPTIONS requests.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		c, err := a.Authenticate(r)
		if err != nil {
			a.unauthorized(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithCaller(r.Context(), c)))
	})
}

// unauthorized writes the 401: one WWW-Authenticate challenge per scheme the
// failure concerns, and a GraphQL-shaped JSON error.
func (a *Authenticator) unauthorized(w http.ResponseWriter, r *http.Request, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = fail(ErrInvalidToken, "authentication failed")
	}
	h := w.Header()
	for _, c := range a.challenges(e) {
		h.Add("WWW-Authenticate", c)
	}
	h.Set("Cache-Control", "no-store")
	requestlog.WriteError(w, r, apperr.Unauthenticated.Status(), apperr.Unauthenticated, e.Message)
}

// challenges builds the WWW-Authenticate values for e: RFC 6750 style for
// Bearer (error="invalid_token" for a rejected token, "invalid_request" for a
// malformed request), the same shape for ApiKey, and bare realm challenges
// for every enabled scheme when no credential was sent.
func (a *Authenticator) challenges(e *Error) []string {
	var code string
	schemes := a.schemes()
	switch {
	case errors.Is(e, ErrMissingCredentials):
	case errors.Is(e, ErrInvalidToken):
		code, schemes = "invalid_token", []string{schemeBearer}
	case errors.Is(e, ErrInvalidAPIKey):
		code, schemes = "invalid_key", []string{schemeAPIKey}
	default:
		code = "invalid_request"
	}
	out := make([]string, 0, len(schemes))
	for _, s := range schemes {
		c := s + " realm=" + quote(a.realm)
		if code != "" {
			c += ", error=" + quote(code) + ", error_description=" + quote(e.Message)
		}
		out = append(out, c)
	}
	return out
}

// schemes lists the enabled credential schemes, Bearer first.
func (a *Authenticator) schemes() []string {
	var s []string
	if a.jwt != nil {
		s = append(s, schemeBearer)
	}
	if a.keys != nil {
		s = append(s, schemeAPIKey)
	}
	return s
}

// quote makes an RFC 9110 quoted-string, dropping characters it cannot hold.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t' || (r >= 0x20 && r < 0x7f):
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
