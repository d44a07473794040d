package app

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestOperationsSurfaceClosedOnceCallersAuthenticate: /metrics and
// /upstream-status say what Tanma does and how busy the gateway is; once
// callers authenticate, the public port serves neither (only METRICS_ADDR
// does, and without it nothing does, which the log says), while without
// authentication (INSECURE_ALLOW_UNAUTHENTICATED, the sandbox) they stay
// on the public port unless METRICS_ADDR is set.
func TestOperationsSurfaceClosedOnceCallersAuthenticate(t *testing.T) {
	t.Parallel()
	open := map[string]string{"API_KEYS": "", "INSECURE_ALLOW_UNAUTHENTICATED": "yes-expose-customer-data"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		name    string
		sandbox bool // no credentials: the embedded sandbox
		env     map[string]string
		public  bool // served on the public port
		apart   bool // served on METRICS_ADDR
		warns   bool // the log says they are not served
	}{
		{name: "API keys, no METRICS_ADDR", env: map[string]string{"METRICS_ADDR": ""}, warns: true},
		{name: "API keys, METRICS_ADDR", env: map[string]string{}, apart: true},
		{name: "no authentication, no METRICS_ADDR", env: with(open, "METRICS_ADDR", ""), public: true},
		{name: "no authentication, METRICS_ADDR", env: open, apart: true},
		{name: "sandbox, no METRICS_ADDR", sandbox: true, public: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var g *gateway
			if tt.sandbox {
				port := porttest.Free(t)
				out, stop := start(t, nil, map[string]string{"PORT": strconv.Itoa(port)})
				g = &gateway{url: fmt.Sprintf("http://127.0.0.1:%d", port), out: out, stop: stop}
				waitFor(t, g.url+"/healthz")
			} else {
				g = startGateway(t, &sandbox.Server{}, nil, tt.env)
			}
			for _, path := range []string{"/metrics", "/upstream-status"} {
				assert.Equal(t, tt.public, status(t, g.url+path) == http.StatusOK, "%s on the public port", path)
				if g.ops != "" {
					assert.Equal(t, tt.apart, status(t, g.ops+path) == http.StatusOK, "%s on METRICS_ADDR", path)
				}
			}
			assert.NoError(t, g.stop())
			assert.Equal(t, tt.warns, len(logLines(t, g.out.String(), msgOpsNotServed)) == 1, g.out.String())
		})
	}
}
