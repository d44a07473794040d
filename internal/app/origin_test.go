package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestBrowserOriginsByMode: as the binary wires it, a gateway without
// caller authentication (the sandbox, INSECURE_ALLOW_UNAUTHENTICATED)
// takes browser requests from its own playground on a loopback address at
// PORT and from CORS_ALLOWED_ORIGINS, and refuses a DNS-rebound page (Host
// and Origin naming the attacker's domain); with API keys a rebound page
// is held to today's rules (it has no key to send).
func TestBrowserOriginsByMode(t *testing.T) {
	t.Parallel()
	type probe struct {
		name   string
		host   string // "%s" is the port; "" for the listener's address
		origin string // "%s" is the port
		status int
	}
	own := probe{"its own playground", "", "http://127.0.0.1:%s", http.StatusOK}
	ownByName := probe{"its own playground at localhost", "localhost:%s", "http://localhost:%s", http.StatusOK}
	rebound := probe{"a rebound page", "attacker.example:%s", "http://attacker.example:%s", http.StatusForbidden}
	tests := []struct {
		name   string
		env    map[string]string // nil: startGateway with an API key
		probes []probe
	}{
		{"sandbox", map[string]string{}, []probe{own, ownByName, rebound,
			{"the example dashboard (a default origin of the sandbox)", "", "http://localhost:5173", http.StatusOK}}},
		{"insecure open access", map[string]string{"API_KEYS": "", "INSECURE_ALLOW_UNAUTHENTICATED": "yes-expose-customer-data",
			"CORS_ALLOWED_ORIGINS": "https://dash.example"}, []probe{own, rebound,
			{"an allowed origin", "", "https://dash.example", http.StatusOK}}},
		{"API keys", nil, []probe{own, {"a rebound page (no key: today's rules)", "attacker.example:%s", "http://attacker.example:%s", http.StatusOK}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var url string
			var stop func() error
			switch {
			case tt.name == "sandbox":
				port := porttest.Free(t)
				_, stop = start(t, nil, map[string]string{"PORT": strconv.Itoa(port)})
				url = fmt.Sprintf("http://127.0.0.1:%d", port)
				waitFor(t, url+"/healthz")
			default:
				g := startGateway(t, &sandbox.Server{}, nil, tt.env)
				url, stop = g.url, g.stop
			}
			port := url[strings.LastIndexByte(url, ':')+1:]
			for _, p := range tt.probes {
				req, err := http.NewRequest(http.MethodPost, url+"/query", strings.NewReader(`{"query":"{ __typename }"}`))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-API-Key", testAPIKey)
				req.Header.Set("Origin", strings.ReplaceAll(p.origin, "%s", port))
				site := "cross-site"
				if strings.Contains(p.origin, "%s") { // a page at the gateway's address, as the browser sees it
					site = "same-origin"
				}
				req.Header.Set("Sec-Fetch-Site", site)
				if p.host != "" {
					req.Host = strings.ReplaceAll(p.host, "%s", port)
				}
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, p.status, resp.StatusCode, p.name)
			}
			require.NoError(t, stop())
		})
	}
}
