package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// hungUpstream never answers: it reads the request, then holds it until
// the gateway gives up on it.
func hungUpstream(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The body is read first: only then does Go's server notice the
		// client giving up and end the context.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
}

// answered is one request of a client of the hung gateway.
type answered struct {
	start, took time.Duration // since the clients started
	codes       []string
	message     string
	err         error
}

// TestHungUpstreamOpensTheCircuit: with a Tanma that never answers, 8
// concurrent clients asking for different owners' customers (no call
// shared) through the whole gateway, the calls their request deadline cuts
// open the list endpoint's circuit within one request deadline or so; from
// then on requests answer UPSTREAM_UNAVAILABLE (circuit open) at once
// instead of each holding a slot for the whole deadline. Once with short
// timeouts, once with the defaults (TANMA_TIMEOUT 3s, REQUEST_TIMEOUT 8s);
// go test -v shows the measurements.
func TestHungUpstreamOpensTheCircuit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		env            map[string]string
		requestTimeout time.Duration
	}{
		{"short timeouts", map[string]string{"TANMA_TIMEOUT": "1s", "REQUEST_TIMEOUT": "1500ms"}, 1500 * time.Millisecond},
		{"default timeouts", map[string]string{"TANMA_QPS": ""}, 8 * time.Second},
	}
	// The clients are one caller asking again at once: its cost budget
	// would answer RATE_LIMITED once the answers come fast.
	budget := map[string]string{"CALLER_COST_PER_SECOND": "0"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := maps.Clone(budget)
			maps.Copy(env, tt.env)
			g := startGateway(t, &sandbox.Server{}, hungUpstream, env)
			const clients = 8
			var (
				mu       sync.Mutex
				answers  []answered
				openedAt time.Duration
				done     = make(chan struct{})
				wg       sync.WaitGroup
			)
			begin := time.Now()
			for i := range clients {
				wg.Go(func() {
					q := fmt.Sprintf(`{ customers(ownerId: "owner-%d", first: 1) { edges { cursor } } }`, i)
					for {
						select {
						case <-done:
							return
						case <-time.After(10 * time.Millisecond): // a pause between requests
						}
						a := answered{start: time.Since(begin)}
						a.codes, a.message, a.err = postQuery(g.url, q)
						a.took = time.Since(begin) - a.start
						mu.Lock()
						answers = append(answers, a)
						mu.Unlock()
					}
				})
			}
			// Watch the circuit; stop the clients a second after it opened.
			limit := time.After(3*tt.requestTimeout + 5*time.Second)
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
		watch:
			for {
				select {
				case <-limit:
					break watch
				case <-tick.C:
					if openedAt == 0 && circuitOf(g, tanma.PathListByQwUserID) == "open" {
						openedAt = time.Since(begin)
						limit = time.After(time.Second)
					}
				}
			}
			close(done)
			wg.Wait()
			require.NoError(t, g.stop())
			if openedAt == 0 {
				took := make([]time.Duration, len(answers))
				for i, a := range answers {
					took[i] = a.took
				}
				slices.Sort(took)
				require.NotEmpty(t, took)
				t.Fatalf("%s: the circuit of a hung upstream never opened in %v: %d requests, median %v, fastest %v",
					tt.name, time.Since(begin).Round(time.Millisecond), len(took), took[len(took)/2].Round(time.Millisecond),
					took[0].Round(time.Millisecond))
			}

			var firstFast time.Duration
			var after []time.Duration // how long requests started once it was open took
			for _, a := range answers {
				require.NoError(t, a.err)
				require.Equal(t, []string{"UPSTREAM_UNAVAILABLE"}, a.codes, a.message)
				end := a.start + a.took
				if a.took < 100*time.Millisecond && (firstFast == 0 || end < firstFast) {
					firstFast = end
				}
				if a.start > openedAt {
					after = append(after, a.took)
				}
			}
			require.NotEmpty(t, after, "requests after the circuit opened")
			slices.Sort(after)
			t.Logf("%s: circuit open after %v (request deadline %v); first answer under 100 ms at %v; %d requests once open: median %v, max %v",
				tt.name, openedAt.Round(time.Millisecond), tt.requestTimeout, firstFast.Round(time.Millisecond), len(after),
				after[len(after)/2].Round(time.Microsecond), after[len(after)-1].Round(time.Microsecond))
			assert.Less(t, openedAt, tt.requestTimeout+2*time.Second, "open within a request deadline or so")
			assert.Less(t, after[len(after)/2], 100*time.Millisecond, "once open, requests answer at once")
			assert.Less(t, after[len(after)-1], time.Second, "once open, no request holds a slot for the deadline")
		})
	}
}

// postQuery sends q with the test API key, returning
// the error codes and the first message.
func postQuery(url, q string) (codes []string, message string, err error) {
	body, _ := json.Marshal(map[string]any{"query": q})
	req, err := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(body))
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", testAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	var r gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, "", err
	}
	if len(r.Errors) > 0 {
		message = r.Errors[0].Message
	}
	return r.codes(), message, nil
}

// circuitOf reads an endpoint's circuit state from /upstream-status.
func circuitOf(g *gateway, path string) string {
	resp, err := http.Get(g.opsURL() + "/upstream-status")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var st struct{ Circuits map[string]string }
	if json.NewDecoder(resp.Body).Decode(&st) != nil {
		return ""
	}
	return st.Circuits[path]
}
