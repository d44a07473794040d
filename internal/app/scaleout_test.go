package app

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/redisstore/redistest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// recordingUpstream is the sandbox seen by every replica: it notes when
// each signed call arrived and, once rename is set, renames a tag in the
// tag library (as an operator would in Tanma).
type recordingUpstream struct {
	sb     *sandbox.Server
	mu     sync.Mutex
	times  []time.Time
	rename atomic.Pointer[[2]string] // old, new
}

func (u *recordingUpstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	u.times = append(u.times, time.Now())
	u.mu.Unlock()
	rn := u.rename.Load()
	if rn == nil || r.URL.Path != tanma.PathTagTree {
		u.sb.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	u.sb.ServeHTTP(rec, r)
	body := bytes.Replace(rec.Body.Bytes(), []byte(`"name":"`+rn[0]+`"`), []byte(`"name":"`+rn[1]+`"`), 1)
	w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// callsBetween counts the calls that arrived in [from, to).
func (u *recordingUpstream) callsBetween(from, to time.Time) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	n := 0
	for _, t := range u.times {
		if !t.Before(from) && t.Before(to) {
			n++
		}
	}
	return n
}

// testReplica is one gateway replica built by newReplica, as Run builds
// it, served over HTTP.
type testReplica struct {
	*replica
	url string
	log *logtest.Buffer
}

// startReplicas builds n replicas over one upstream and one Redis.
func startReplicas(t *testing.T, n int, upstream, redisURL string, qps int) []*testReplica {
	t.Helper()
	var rs []*testReplica
	for range n {
		cfg, err := config.Load(func(k string) string {
			return map[string]string{
				"TANMA_APP_ID":       sandbox.DefaultAppID,
				"TANMA_APP_KEY":      string(sandbox.DefaultAppKey),
				"TANMA_BASE_URL":     upstream,
				"TANMA_QPS":          fmt.Sprint(qps),
				"TANMA_QPS_REPLICAS": fmt.Sprint(n),
				"REDIS_URL":          redisURL,
				"REFERENCE_TTL":      "1m",
				"REFERENCE_RECHECK":  "300ms",
				"API_KEYS":           fmt.Sprintf(`[{"id":"e2e","sha256":%q,"permissions":["introspect","write"]}]`, auth.HashAPIKey(testAPIKey)),
			}[k]
		})
		require.NoError(t, err)
		log, out := logtest.JSON(nil)
		r, err := newReplica(t.Context(), cfg, log)
		require.NoError(t, err)
		t.Cleanup(r.close)
		ts := httptest.NewServer(r.srv)
		t.Cleanup(ts.Close)
		rs = append(rs, &testReplica{replica: r, url: ts.URL, log: out})
	}
	return rs
}

// post sends a GraphQL request body to a replica; safe off the test goroutine.
func post(url string, body any) (gqlResponse, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return gqlResponse{}, err
	}
	req, err := http.NewRequest(http.MethodPost, url+"/query", bytes.NewReader(raw))
	if err != nil {
		return gqlResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", testAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return gqlResponse{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return gqlResponse{}, err
	}
	r := gqlResponse{Status: resp.StatusCode, Raw: string(b)}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		return r, fmt.Errorf("%d %s", r.Status, b)
	}
	return r, nil
}

// pageQuery costs one upstream call once reference data is cached.
const pageQuery = `{ customers(ownerId: "dowen", first: 5) { edges { node { name tags { name } owner { name } } } } }`

// loadResult is what a load run saw.
type loadResult struct {
	ok, failed atomic.Int64
	mu         sync.Mutex
	firstErr   error
}

// runLoad sends pageQuery from clients goroutines spread over the
// replicas until stop is closed.
func runLoad(rs []*testReplica, clients int, stop <-chan struct{}) (*loadResult, func()) {
	res := &loadResult{}
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			for n := i; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := post(rs[n%len(rs)].url, map[string]any{"query": pageQuery}); err != nil {
					res.failed.Add(1)
					res.mu.Lock()
					if res.firstErr == nil {
						res.firstErr = err
					}
					res.mu.Unlock()
					continue
				}
				res.ok.Add(1)
			}
		})
	}
	return res, wg.Wait
}

// spendBurst takes the slots of q free now, as a burst of callers would,
// until none is left: the next is in the future.
func spendBurst(t *testing.T, q tanma.Quota) {
	t.Helper()
	for range 10000 { // a slot frees up every 1/QPS: spending outpaces that unless Redis does not answer
		_, err := q.Wait(t.Context(), time.Now())
		if errors.Is(err, tanma.ErrLocalRateLimit) {
			return
		}
		require.NoError(t, err)
	}
	t.Fatal("the quota's slots never ran out: it is not in Redis")
}

// TestReplicasShareThroughRedis runs three replicas, built as Run builds
// them, over one real redis-server and one sandbox upstream: together they
// keep the app's quota, share persisted queries and reference data, and
// ride out Redis being killed and restarted without a failed request.
func TestReplicasShareThroughRedis(t *testing.T) {
	redis := redistest.Start(t)
	up := &recordingUpstream{sb: &sandbox.Server{}}
	ts := httptest.NewServer(up)
	t.Cleanup(ts.Close)
	// A quota the clients press even on a loaded 2-core machine under the
	// race detector: at 20/s they sometimes made only 7-10 calls/s, at
	// 10/s 4.4 (load average 20).
	const qps, replicas, clients = 5, 3, 12
	rs := startReplicas(t, replicas, ts.URL, redis.URL(), qps)
	for _, r := range rs {
		_, err := post(r.url, map[string]any{"query": pageQuery})
		require.NoError(t, err, "warm-up")
	}

	t.Run("one quota for all replicas", func(t *testing.T) {
		// The burst is spent before the load: from then on every call has a
		// slot of its own, 1/qps apart on Redis's clock, and arrives at or
		// after it. So however late a loaded machine lets clients send or
		// calls arrive, the calls from start to end are at most
		// (end-start)·qps, plus the slot at the start and one for the
		// rounding between Redis's clock and this one.
		start := time.Now()
		spendBurst(t, rs[0].store.Quota(qps, qps, nil))
		stop := make(chan struct{})
		res, wait := runLoad(rs, clients, stop)
		time.Sleep(4 * time.Second) // the load's duration, not an assertion
		close(stop)
		wait()
		end := time.Now()
		n := up.callsBetween(start, end)
		rate := float64(n) / end.Sub(start).Seconds()
		t.Logf("%d clients on %d replicas, quota %d/s: %d requests ok, %d failed; upstream %.1f calls/s (%d in %s)",
			clients, replicas, qps, res.ok.Load(), res.failed.Load(), rate, n, end.Sub(start))
		require.Zero(t, res.failed.Load(), "first failure: %v", res.firstErr)
		assert.LessOrEqual(t, float64(n), qps*end.Sub(start).Seconds()+2, "the replicas together stay within the app's quota")
		assert.GreaterOrEqual(t, rate, qps*0.5, "the load did press on the quota (else the bound above checked nothing)")
	})

	t.Run("a persisted query registered on one replica runs on another", func(t *testing.T) {
		const q = `{ staffMember(qwUserId: "dowen") { qwUserId name } }`
		sum := sha256.Sum256([]byte(q))
		ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
		r, err := post(rs[1].url, map[string]any{"extensions": ext})
		require.Error(t, err)
		assert.Equal(t, []string{"PERSISTED_QUERY_NOT_FOUND"}, r.codes(), "B does not know it yet")
		_, err = post(rs[0].url, map[string]any{"query": q, "extensions": ext})
		require.NoError(t, err, "registered on A")
		for _, other := range rs[1:] {
			r, err = post(other.url, map[string]any{"extensions": ext})
			require.NoError(t, err, "served by another replica from its hash alone")
			assert.Equal(t, "dowen", r.Data["staffMember"].(map[string]any)["qwUserId"])
		}
	})

	t.Run("a reference-data refresh on one replica reaches the others", func(t *testing.T) {
		const tagsQuery = `{ tagGroups { tags { name } } }`
		r, err := post(rs[1].url, map[string]any{"query": tagsQuery})
		require.NoError(t, err)
		old := r.Data["tagGroups"].([]any)[0].(map[string]any)["tags"].([]any)[0].(map[string]any)["name"].(string)
		renamed := old + " (renamed)"
		up.rename.Store(&[2]string{old, renamed})
		before := up.sb.Calls(tanma.PathTagTree)

		require.NoError(t, rs[0].resolver.Catalog.Tags.Refresh(t.Context()), "refresh on A")
		for _, other := range rs[1:] {
			deadline := time.Now().Add(10 * time.Second)
			for {
				r, err := post(other.url, map[string]any{"query": tagsQuery})
				require.NoError(t, err)
				if strings.Contains(r.Raw, renamed) {
					break
				}
				require.True(t, time.Now().Before(deadline), "another replica never saw the refreshed tag library")
				time.Sleep(50 * time.Millisecond)
			}
		}
		assert.Equal(t, int64(1), up.sb.Calls(tanma.PathTagTree)-before, "the fleet asked the upstream once")
	})

	t.Run("a write through one replica is seen at once through another", func(t *testing.T) {
		r, err := post(rs[1].url, map[string]any{"query": `{ customers(ownerId: "lina", first: 5) { edges { node { customerId } } } }`})
		require.NoError(t, err)
		require.Empty(t, r.Errors, r.Raw)
		edges := r.Data["customers"].(map[string]any)["edges"].([]any)
		id := edges[0].(map[string]any)["node"].(map[string]any)["customerId"].(string) // B now remembers it
		r, err = post(rs[0].url, map[string]any{
			"query":     `mutation($in: CustomerUpdateInput!) { customerUpdate(input: $in) { customer { description } } }`,
			"variables": map[string]any{"in": map[string]any{"id": id, "fields": []any{map[string]any{"key": "description", "text": "written through A"}}}},
		})
		require.NoError(t, err)
		require.Empty(t, r.Errors, r.Raw)
		deadline := time.Now().Add(2 * time.Second) // Pub/Sub is asynchronous
		for {
			r, err = post(rs[1].url, map[string]any{"query": `query($id: ID!) { customer(id: $id) { description } }`, "variables": map[string]any{"id": id}})
			require.NoError(t, err)
			if strings.Contains(r.Raw, "written through A") {
				break
			}
			require.True(t, time.Now().Before(deadline), "B kept serving its own copy: %s", r.Raw)
			time.Sleep(20 * time.Millisecond)
		}
	})

	t.Run("Redis killed and restarted: no failed request, then sharing again", func(t *testing.T) {
		stop := make(chan struct{})
		res, wait := runLoad(rs, clients, stop)
		time.Sleep(time.Second) // load before the outage
		redis.Stop()
		killed := time.Now()
		// Calls booked in Redis before the kill still arrive in their slots:
		// one per client at most, within clients/qps. The outage is counted
		// from then on, when every call is let through by its replica's own
		// limiter, for as long as the machine let it last.
		booked := time.Duration(clients) * time.Second / qps
		time.Sleep(booked + 1500*time.Millisecond) // load during the outage
		from, to := killed.Add(booked), time.Now()
		outage, span := up.callsBetween(from, to), to.Sub(from).Seconds()
		redis.Start()
		time.Sleep(time.Second) // load after it
		close(stop)
		wait()
		t.Logf("outage: %d requests ok, %d failed; upstream %.1f calls/s while Redis was down (each replica at %d/%d)",
			res.ok.Load(), res.failed.Load(), float64(outage)/span, qps, replicas)
		require.Zero(t, res.failed.Load(), "first failure: %v", res.firstErr)
		for _, r := range rs {
			deadline := time.Now().Add(10 * time.Second)
			for !r.store.Up() {
				_, err := post(r.url, map[string]any{"query": pageQuery})
				require.NoError(t, err)
				require.True(t, time.Now().Before(deadline), "a replica never went back to Redis")
				time.Sleep(50 * time.Millisecond)
			}
			// The store is up again a moment before it logs so.
			require.Eventually(t, func() bool { return strings.Contains(r.log.String(), "redis answers again") }, 5*time.Second, 10*time.Millisecond)
			assert.Equal(t, 1, strings.Count(r.log.String(), "redis unreachable"), "the degradation is logged once")
			assert.Equal(t, 1, strings.Count(r.log.String(), "redis answers again"), "and the recovery once")
		}
		assert.LessOrEqual(t, float64(outage), qps*span*1.05+2+float64(replicas)*qps/replicas,
			"each replica keeps its share of the quota (plus its local burst)")
	})
}
