package refdata

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeUpstream counts loads; each answers the next integer, or err when set.
type fakeUpstream struct {
	calls   atomic.Int64
	mu      sync.Mutex
	err     error
	release chan struct{} // when set, a load waits for it
}

func (f *fakeUpstream) load(ctx context.Context) (int, error) {
	n := f.calls.Add(1)
	f.mu.Lock()
	err, release := f.err, f.release
	f.mu.Unlock()
	if release != nil {
		select {
		case <-release:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return int(n), err
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var testPolicy = Policy{TTL: time.Minute, MaxStale: 10 * time.Minute, Timeout: 5 * time.Second}

func newTestValue(up *fakeUpstream) (*Value[int], *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	v := NewValue("test", up.load, testPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	v.now = c.now
	return v, c
}

// settle waits until the upstream saw calls loads and the last one stored
// its result: joining the flight (or running a no-op when none is left)
// returns only after the load function returned.
func settle(t *testing.T, v *Value[int], up *fakeUpstream, calls int64) {
	t.Helper()
	require.Eventually(t, func() bool { return up.calls.Load() == calls }, 2*time.Second, time.Millisecond)
	_, _, _ = v.flights.Do("", func() (any, error) { return 0, nil })
}

func TestFreshValueIsServedFromMemory(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	for range 5 {
		got, err := v.Get(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 1, got)
		c.add(10 * time.Second)
	}
	assert.Equal(t, int64(1), up.calls.Load())
}

func TestStaleValueIsServedWhileRefreshing(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	_, err := v.Get(context.Background())
	require.NoError(t, err)
	c.add(2 * time.Minute)
	got, err := v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, got, "the stale copy, without waiting")
	settle(t, v, up, 2)
	got, err = v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, got, "the refreshed copy")
}

func TestFailedRefreshKeepsTheOldValue(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	_, err := v.Get(context.Background())
	require.NoError(t, err)
	up.mu.Lock()
	up.err = errors.New("upstream down")
	up.mu.Unlock()
	c.add(2 * time.Minute)
	got, err := v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, got)
	settle(t, v, up, 2)
	got, err = v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, got, "still the old copy after the failed refresh")
}

func TestTooStaleValueWaitsForALoad(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	_, err := v.Get(context.Background())
	require.NoError(t, err)
	c.add(time.Hour)
	up.mu.Lock()
	up.err = errors.New("upstream down")
	up.mu.Unlock()
	_, err = v.Get(context.Background())
	assert.EqualError(t, err, "upstream down", "an hour-old copy is past MaxStale")
}

func TestConcurrentCallersShareOneLoad(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{release: make(chan struct{})}
	v, _ := newTestValue(up)
	var wg sync.WaitGroup
	results := make([]int, 20)
	for i := range results {
		wg.Go(func() {
			got, err := v.Get(context.Background())
			assert.NoError(t, err)
			results[i] = got
		})
	}
	require.Eventually(t, func() bool { return up.calls.Load() == 1 }, time.Second, time.Millisecond)
	// Callers that have not reached the flight when it ends take its
	// outcome (fetcherAfter), so when the release comes does not matter.
	close(up.release)
	wg.Wait()
	assert.Equal(t, int64(1), up.calls.Load())
	for _, r := range results {
		assert.Equal(t, 1, r)
	}
}

// TestCallerCancellationDoesNotFailOthers: the load runs on its own
// context, so the caller that started it may leave without failing it.
func TestCallerCancellationDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{release: make(chan struct{})}
	v, _ := newTestValue(up)
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := v.Get(ctx); first <- err }()
	require.Eventually(t, func() bool { return up.calls.Load() == 1 }, time.Second, time.Millisecond)
	second := make(chan int, 1)
	go func() { got, _ := v.Get(context.Background()); second <- got }()
	cancel()
	assert.ErrorIs(t, <-first, context.Canceled)
	close(up.release)
	assert.Equal(t, 1, <-second)
	assert.Equal(t, int64(1), up.calls.Load())
}

// TestLateJoinerTakesTheFinishedLoad: a caller that found the cache empty
// and reached the flight only after it ended takes that load's outcome
// rather than sending another call (the test above flaked on a slow
// machine before: the second caller started a second load).
func TestLateJoinerTakesTheFinishedLoad(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	join := v.fetcherAfter(context.Background(), 0) // looked before any load finished
	_, err := v.Get(context.Background())
	require.NoError(t, err)
	got, err := join()
	require.NoError(t, err)
	assert.Equal(t, 1, got)
	assert.Equal(t, int64(1), up.calls.Load())

	up.mu.Lock()
	up.err = errors.New("upstream down")
	up.mu.Unlock()
	c.add(time.Hour) // past MaxStale: the copy may not be served
	join = v.fetcherAfter(context.Background(), 1)
	_, err = v.fetch(context.Background()) // a load that fails, while the joiner was on its way
	require.Error(t, err)
	_, err = join()
	assert.EqualError(t, err, "upstream down")
	assert.Equal(t, int64(2), up.calls.Load())
}

// TestStaleLookStartsNoSecondRefresh: a caller that saw the stale copy
// just before a refresh stored the new one serves what it saw and does not
// start another load (a redundant load stored a value newer than the one
// callers were answered with: TestCachedNeverWaits flaked 2 in 400 runs).
func TestStaleLookStartsNoSecondRefresh(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	_, err := v.Get(context.Background())
	require.NoError(t, err)
	c.add(testPolicy.TTL + time.Second)
	seen := v.look()                       // the caller looks: stale
	_, err = v.fetch(context.Background()) // another caller's refresh ends
	require.NoError(t, err)
	got, ok := v.serve(context.Background(), seen)
	assert.True(t, ok)
	assert.Equal(t, 1, got, "what it saw")
	settle(t, v, up, 2)
	assert.Equal(t, int64(2), up.calls.Load(), "no third load")
	got, ok = v.Cached(context.Background())
	assert.True(t, ok)
	assert.Equal(t, 2, got)
}

// TestEmptyLookJoinsTheLoadThatEnded: a caller that found the cache empty
// just before the first load stored its value takes that value instead of
// loading again (TestCallerCancellationDoesNotFailOthers flaked 1 in 400).
func TestEmptyLookJoinsTheLoadThatEnded(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, _ := newTestValue(up)
	seen := v.look()
	_, err := v.fetch(context.Background())
	require.NoError(t, err)
	_, ok := v.serve(context.Background(), seen)
	require.False(t, ok, "it saw an empty cache")
	got, err := v.fetcherAfter(context.Background(), seen.loads)()
	require.NoError(t, err)
	assert.Equal(t, 1, got)
	assert.Equal(t, int64(1), up.calls.Load())
}

// TestFailedLoadBacksOff: while the upstream fails, callers get the last
// error at once for a while instead of each sending another call.
func TestFailedLoadBacksOff(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{err: errors.New("upstream down")}
	v, c := newTestValue(up)
	for range 5 {
		_, err := v.Get(context.Background())
		assert.EqualError(t, err, "upstream down")
	}
	assert.Equal(t, int64(1), up.calls.Load())
	c.add(failureBackoff + time.Second)
	up.mu.Lock()
	up.err = nil
	up.mu.Unlock()
	got, err := v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, got)
}

// TestCachedNeverWaits: Cached answers what Get would answer at once, and
// nothing when Get would wait for a load (which it does not start).
func TestCachedNeverWaits(t *testing.T) {
	t.Parallel()
	up := &fakeUpstream{}
	v, c := newTestValue(up)
	_, ok := v.Cached(context.Background())
	assert.False(t, ok, "empty")
	assert.Zero(t, up.calls.Load(), "no load started")

	_, err := v.Get(context.Background())
	require.NoError(t, err)
	got, ok := v.Cached(context.Background())
	assert.True(t, ok)
	assert.Equal(t, 1, got, "fresh")

	c.add(testPolicy.TTL + time.Second)
	got, ok = v.Cached(context.Background())
	assert.True(t, ok)
	assert.Equal(t, 1, got, "stale, served while refreshing")
	settle(t, v, up, 2)
	got, ok = v.Cached(context.Background())
	assert.True(t, ok)
	assert.Equal(t, 2, got, "refreshed in the background")
	assert.Equal(t, int64(2), up.calls.Load(), "one refresh")

	c.add(testPolicy.TTL + testPolicy.MaxStale + time.Second)
	_, ok = v.Cached(context.Background())
	assert.False(t, ok, "too stale: Get would wait")
}

// TestRefreshNeverJoinsAnOlderLoad: two tag library changes pushed close
// together: the second Refresh does not join the load the first began
// before change 2 (it would return with the library of change 1, and the
// push of change 2 be acknowledged with it); it loads again.
func TestRefreshNeverJoinsAnOlderLoad(t *testing.T) {
	t.Parallel()
	var version, loads atomic.Int32
	version.Store(1)
	gate := make(chan struct{})
	v := NewValue("tags", func(context.Context) (int32, error) {
		n := loads.Add(1)
		got := version.Load()
		if n == 1 {
			<-gate
		}
		return got, nil
	}, DefaultPolicy, slog.New(slog.DiscardHandler))
	done1 := make(chan error)
	go func() { done1 <- v.Refresh(context.Background()) }()
	require.Eventually(t, func() bool { return loads.Load() == 1 }, time.Second, time.Millisecond)
	version.Store(2) // the second change, pushed while the first load runs
	done2 := make(chan error)
	go func() { done2 <- v.Refresh(context.Background()) }()
	time.Sleep(20 * time.Millisecond) // the second Refresh reaches the flight
	close(gate)
	require.NoError(t, <-done1)
	require.NoError(t, <-done2)
	got, err := v.Get(context.Background())
	require.NoError(t, err)
	assert.Equal(t, int32(2), got, "after the second Refresh, the library of the second change")
	assert.Equal(t, int32(2), loads.Load())
}
