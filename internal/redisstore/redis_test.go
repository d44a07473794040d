package redisstore_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/redisstore/redistest"
)

// TestOnRealRedis runs the quota and the outage against a real
// redis-server: its Lua, its clock, a killed process and a restart.
func TestOnRealRedis(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	replicas := []*replica{newReplica(t, srv.URL()), newReplica(t, srv.URL()), newReplica(t, srv.URL())}

	const qps, burst, window = 50, 5, time.Second
	var sent atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(window)
	for i := range 12 {
		l := replicas[i%3].store.Quota(qps, burst, nil)
		wg.Go(func() {
			for time.Now().Before(stop) {
				if _, err := l.Wait(t.Context(), stop); err != nil {
					return // the next slot is past the window
				}
				sent.Add(1)
			}
		})
	}
	wg.Wait()
	n := sent.Load()
	t.Logf("12 callers on 3 replicas, quota %d/s burst %d: %d calls in %s", qps, burst, n, window)
	assert.LessOrEqual(t, n, int64(qps*window.Seconds()+burst+1), "the replicas together stay within the quota")
	assert.GreaterOrEqual(t, n, int64(qps*window.Seconds()*0.8), "and use most of it")

	fallback := &countingQuota{}
	l := replicas[0].store.Quota(qps, burst, fallback)
	srv.Stop()
	_, err := l.Wait(t.Context(), time.Time{})
	require.NoError(t, err, "a killed Redis fails no call")
	assert.Equal(t, int64(1), fallback.calls.Load())
	assert.False(t, replicas[0].store.Up())

	srv.Start()
	eventually(t, 5*time.Second, func() bool {
		_, _ = l.Wait(t.Context(), time.Time{})
		return replicas[0].store.Up()
	}, "sharing resumes by itself once Redis is back")
}
