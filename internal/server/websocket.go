package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// GraphQL subscriptions come over WebSocket at /query. Browsers cannot set
// headers on the upgrade request, so a connection authenticates with the
// credentials of connection_init's payload when the upgrade carries none;
// and since any page can open a WebSocket to any host with the user's
// network position, the upgrade's Origin must be one the origin policy
// allows (origin.go; no cross-site WebSocket hijacking). The request
// deadline and MAX_IN_FLIGHT do not apply to a connection: the executor
// bounds it (connections per caller and address, subscriptions per
// connection and caller, idle time, its credentials' lifetime), and it ends
// when the server shuts down (EndSubscriptions).

// isWebSocket reports an upgrade to WebSocket.
func isWebSocket(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// webSocket serves WebSocket upgrades with h (the GraphQL handler) after
// the Origin check, on a context that ends when the server ends its
// subscriptions.
func (s *Server) webSocket(origins originPolicy, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !originAllowed(r, origins) {
			writeError(w, r, http.StatusForbidden, "cross-origin WebSocket refused: this origin is not allowed to call the API")
			return
		}
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), upgradeKey{}, r.Header.Clone()))
		defer cancel()
		stop := context.AfterFunc(s.streams, cancel)
		defer stop()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// originAllowed: no Origin (not a browser), a listed one (an allowed
// origin, "*" allowing every one; in open mode the gateway's own), or,
// only with callers authenticated, this host's own: an Origin matching the
// Host header, which DNS rebinding forges (see originPolicy).
func originAllowed(r *http.Request, p originPolicy) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || p.listed(origin) {
		return true
	}
	if p.strict {
		return false
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

type upgradeKey struct{}

// socketAuthenticator returns the executor's Subscriptions.Authenticate:
// the upgrade's credentials if it carried any, else those of the
// connection_init payload ({"X-API-Key": ...} or {"Authorization": ...},
// keys in any case, also nested in "headers" as some clients send them).
func socketAuthenticator(a *auth.Authenticator) func(context.Context, map[string]any) (context.Context, error) {
	return func(ctx context.Context, payload map[string]any) (context.Context, error) {
		h, _ := ctx.Value(upgradeKey{}).(http.Header)
		creds := http.Header{}
		for _, name := range []string{"X-API-Key", "Authorization"} {
			for _, v := range h.Values(name) {
				creds.Add(name, v)
			}
		}
		if len(creds) == 0 {
			fromPayload(creds, payload)
			if nested, ok := payload["headers"].(map[string]any); ok {
				fromPayload(creds, nested)
			}
		}
		c, err := a.AuthenticateHeader(ctx, creds)
		if err != nil {
			return ctx, err
		}
		requestlog.From(ctx).SetCaller(c.ID)
		// The connection lasts as long as these credentials are accepted
		// (and a token's expiry ends it then: executor).
		recheck := func(ctx context.Context) error { _, err := a.AuthenticateHeader(ctx, creds); return err }
		return executor.WithRecheck(auth.WithCaller(ctx, c), recheck), nil
	}
}

// fromPayload copies credential entries of a connection_init payload.
func fromPayload(into http.Header, payload map[string]any) {
	for k, v := range payload {
		s, ok := v.(string)
		if !ok {
			continue
		}
		switch strings.ToLower(k) {
		case "x-api-key", "apikey":
			into.Add("X-API-Key", s)
		case "authorization":
			into.Add("Authorization", s)
		}
	}
}
