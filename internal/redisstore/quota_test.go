package redisstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

func TestQuotaIsOneQuotaForEveryReplica(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	a, b := newReplica(t, url), newReplica(t, url)
	fallback := &countingQuota{}
	la, lb := a.store.Quota(10, 3, fallback), b.store.Quota(10, 3, fallback)
	now := time.Now() // a deadline already reached: only calls that may go at once pass
	start := time.Now()
	for i, l := range []tanma.Quota{la, lb, la} {
		wait, err := l.Wait(t.Context(), now)
		require.NoError(t, err, "call %d is within the burst of 3", i)
		assert.Zero(t, wait)
	}
	wait, err := lb.Wait(t.Context(), now)
	require.ErrorIs(t, err, tanma.ErrLocalRateLimit, "the fourth call, on either replica, is over the burst")
	// The next slot is one interval (1/QPS) after the first call, so at
	// most 100ms away and less by the time the calls took (Redis's clock).
	assert.LessOrEqual(t, wait, 100*time.Millisecond+time.Millisecond, "the next slot is one interval (1/QPS) away")
	assert.GreaterOrEqual(t, wait, 100*time.Millisecond-time.Since(start)-time.Millisecond)
	assert.Zero(t, fallback.calls.Load(), "Redis answered: no fallback")
}

func TestQuotaWaitsForItsSlot(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	l := newReplica(t, url).store.Quota(20, 1, nil)
	start := time.Now()
	for range 3 {
		_, err := l.Wait(t.Context(), time.Time{})
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), 95*time.Millisecond, "3 calls at 20/s with no burst span 2 intervals (100ms)")
}

func TestQuotaFallsBackWhenRedisIsDownAndRecovers(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	r := newReplica(t, url)
	fallback := &countingQuota{}
	l := r.store.Quota(1000, 10, fallback)
	_, err := l.Wait(t.Context(), time.Time{})
	require.NoError(t, err)
	require.Zero(t, fallback.calls.Load())

	m.Close()
	for range 5 {
		_, err := l.Wait(t.Context(), time.Time{})
		require.NoError(t, err, "a dead Redis fails no call")
	}
	assert.Equal(t, int64(5), fallback.calls.Load(), "the local limiter decided every call")
	assert.False(t, r.store.Up())
	assert.Equal(t, 1, strings.Count(r.log.String(), "redis unreachable"), "the degradation is logged once")

	require.NoError(t, m.Restart())
	eventually(t, 5*time.Second, func() bool {
		_, _ = l.Wait(t.Context(), time.Time{})
		return r.store.Up()
	}, "sharing resumes by itself once Redis answers")
	// The store is up again a moment before it logs so.
	eventually(t, 5*time.Second, func() bool { return strings.Contains(r.log.String(), "redis answers again") }, "the recovery is logged")
	assert.Equal(t, 1, strings.Count(r.log.String(), "redis answers again"), "the recovery is logged once")
	assert.Equal(t, 1, strings.Count(r.log.String(), "redis unreachable"))
}

// TestAbandonedSlotsAreGivenBack: calls that give up while waiting for
// their slot return it, so they do not push later calls out.
func TestAbandonedSlotsAreGivenBack(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	// One call per 10s: every abandoned call must find its slot still in the
	// future after the ones before it (5 × 100ms and the machine's delays).
	const interval = 10 * time.Second
	l := newReplica(t, url).store.Quota(float64(time.Second)/float64(interval), 1, nil)
	start := time.Now()
	_, err := l.Wait(t.Context(), time.Time{}) // the burst
	require.NoError(t, err)
	for range 5 { // each books its slot, then gives up while waiting for it
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		_, err := l.Wait(ctx, time.Time{})
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}
	wait, err := l.Wait(t.Context(), time.Now())
	require.ErrorIs(t, err, tanma.ErrLocalRateLimit)
	assert.LessOrEqual(t, wait, interval+time.Millisecond, "one interval away, not 5 abandoned intervals more")
	assert.GreaterOrEqual(t, wait, interval-time.Since(start)-time.Millisecond, "the burst's slot is still taken")
}

// TestSlotIsGivenBackWhenItsAnswerOutlivesTheCaller: a call whose deadline
// passes while Redis's answer to its booking is on its way gives the
// booked slot back, and does not take Redis for down.
func TestSlotIsGivenBackWhenItsAnswerOutlivesTheCaller(t *testing.T) {
	t.Parallel()
	m, _ := miniRedis(t)
	proxy := newHoldingProxy(t, m.Addr())
	const interval = 10 * time.Second
	r := newReplica(t, "redis://"+proxy.addr()+"/0")
	l := r.store.Quota(float64(time.Second)/float64(interval), 1, nil)
	start := time.Now()
	_, err := l.Wait(t.Context(), time.Time{}) // the burst
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	proxy.holdNextAnswerUntil(ctx.Done()) // the booking is made; its answer comes after the deadline
	_, err = l.Wait(ctx, time.Time{})
	require.ErrorIs(t, err, context.DeadlineExceeded)

	wait, err := l.Wait(t.Context(), time.Now())
	require.ErrorIs(t, err, tanma.ErrLocalRateLimit)
	assert.LessOrEqual(t, wait, interval+time.Millisecond, "one interval away, not two: the late-answered slot was given back")
	assert.GreaterOrEqual(t, wait, interval-time.Since(start)-time.Millisecond)
	assert.True(t, r.store.Up(), "the caller's deadline says nothing about Redis")
	assert.NotContains(t, r.log.String(), "redis unreachable")
}
