package server

import (
	"net/http"
	"slices"
	"strings"
)

// originPolicy decides which browsers may use the API beyond what CORS
// grants, and which may open a WebSocket.
//
// With callers authenticated (strict false), a forged request carries no
// credential: Go's cross-origin protection (Sec-Fetch-Site, or an Origin
// matching the Host header) and CORS are enough, and a WebSocket may come
// from the Host's own origin. Without authentication (open mode: the
// sandbox, INSECURE_ALLOW_UNAUTHENTICATED) reaching the port is the
// credential, and Origin == Host proves nothing: with DNS rebinding,
// attacker.example resolves to 127.0.0.1, and its page's requests carry
// Host: attacker.example and Origin: http://attacker.example, same-origin
// to the browser. So in open mode a browser is accepted only from an
// allowed origin (CORS_ALLOWED_ORIGINS) or one of the gateway's own: the
// playground it serves, on a loopback address at its listening port
// (LoopbackOrigins).
type originPolicy struct {
	allowed []string // CORS AllowedOrigins; "*" allows every origin
	own     []string // the gateway's own pages' origins (open mode only)
	strict  bool     // open mode
}

// LoopbackOrigins are the origins of a page this gateway serves on a
// loopback address at port (the playground at http://localhost:8080/):
// http://localhost, http://127.0.0.1 and http://[::1] at that port. No
// other site's page can have them, DNS rebinding included (a rebound
// page keeps its own host name).
func LoopbackOrigins(port string) []string {
	if port == "" {
		return nil
	}
	return []string{"http://localhost:" + port, "http://127.0.0.1:" + port, "http://[::1]:" + port}
}

// listed: origin is one the policy names (allowed, or own in open mode).
func (p originPolicy) listed(origin string) bool {
	return slices.Contains(p.allowed, "*") || slices.Contains(p.allowed, origin) ||
		p.strict && slices.Contains(p.own, origin)
}

// browserAllowed decides an HTTP request in open mode (with callers
// authenticated it leaves everything to CORS and the cross-origin
// protection). A request with an Origin needs a listed one. One without
// (a browser's same-origin GET sends none) that a browser marks as made by
// a page (Sec-Fetch-Site other than none) needs a Host that a listed
// origin names: under DNS rebinding it is the attacker's name. Requests
// from no browser (neither header) and the user's own navigation
// (Sec-Fetch-Site: none) pass; a browser too old to send Sec-Fetch-Site
// cannot be told apart from them on a same-origin GET.
func (p originPolicy) browserAllowed(r *http.Request) bool {
	if !p.strict || slices.Contains(p.allowed, "*") {
		return true
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		return p.listed(origin)
	}
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "none":
		return true
	}
	return p.hostListed(r.Host)
}

// hostListed: host (a Host header) is exactly the host[:port] of a listed
// origin (open mode: own origins included).
func (p originPolicy) hostListed(host string) bool {
	for _, o := range slices.Concat(p.allowed, p.own) {
		if _, h, ok := strings.Cut(o, "://"); ok && strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// guard refuses, in open mode, the browser requests browserAllowed does
// not accept, with the cross-origin protection's 403.
func (p originPolicy) guard(h http.Handler) http.Handler {
	if !p.strict {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.browserAllowed(r) {
			writeError(w, r, http.StatusForbidden, "cross-origin request refused: this origin is not allowed to call the API")
			return
		}
		h.ServeHTTP(w, r)
	})
}
