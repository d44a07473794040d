package refdata

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mapStore is a Store in memory: what Redis is to the replicas.
type mapStore struct {
	down    atomic.Bool // answers ErrUnshared
	mu      sync.Mutex
	data    map[string][]byte
	version map[string]int
}

func (s *mapStore) Load(ctx context.Context, name string, _ time.Duration, fetch func(context.Context) ([]byte, error)) ([]byte, error) {
	if s.down.Load() {
		return nil, ErrUnshared
	}
	s.mu.Lock()
	key := name + strconv.Itoa(s.version[name])
	data, ok := s.data[key]
	s.mu.Unlock()
	if ok {
		return data, nil
	}
	data, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.data[key] = data
	s.mu.Unlock()
	return data, nil
}

func (s *mapStore) Invalidate(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version[name]++
	return nil
}

func TestSharedValueRefreshReachesOtherReplicas(t *testing.T) {
	t.Parallel()
	store := &mapStore{data: map[string][]byte{}, version: map[string]int{}}
	up := &fakeUpstream{}
	p := testPolicy
	p.Shared, p.Recheck = store, 50*time.Millisecond
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	build := func(ns []int) int { return ns[0] }
	fetch := func(ctx context.Context) ([]int, error) {
		n, err := up.load(ctx)
		return []int{n}, err
	}
	a, b := newShared("n", fetch, build, p, log), newShared("n", fetch, build, p, log)

	got, err := a.Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, got)
	got, err = b.Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, got, "B reads the copy A loaded, through the store")
	assert.Equal(t, int64(1), up.calls.Load())

	require.NoError(t, a.Refresh(t.Context()))
	got, err = a.Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, got, "A serves the refreshed copy at once")
	deadline := time.Now().Add(5 * time.Second)
	for got != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		got, err = b.Get(t.Context())
		require.NoError(t, err)
	}
	assert.Equal(t, 2, got, "B sees it after its recheck period")
	assert.Equal(t, int64(2), up.calls.Load(), "and does not ask the upstream itself")
}

func TestSharedValueKeepsItsOwnCopyWhileTheStoreIsDown(t *testing.T) {
	t.Parallel()
	store := &mapStore{data: map[string][]byte{}, version: map[string]int{}}
	up := &fakeUpstream{}
	p := testPolicy
	p.Shared, p.Recheck = store, 10*time.Millisecond
	fetch := func(ctx context.Context) ([]int, error) {
		n, err := up.load(ctx)
		return []int{n}, err
	}
	v := newShared("n", fetch, func(ns []int) int { return ns[0] }, p, slog.New(slog.NewTextHandler(io.Discard, nil)))
	got, err := v.Get(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, got)

	store.down.Store(true)
	for range 5 {
		time.Sleep(15 * time.Millisecond) // past Recheck: each Get reloads in the background
		got, err = v.Get(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 1, got)
	}
	assert.Equal(t, int64(1), up.calls.Load(), "within TTL the replica's own copy serves: no upstream call per recheck")

	require.NoError(t, v.Refresh(t.Context()))
	got, err = v.Get(t.Context())
	require.NoError(t, err)
	// A background reload begun by the last Get may still be running and
	// load once more after the refresh cleared the replica's copy: the
	// value is newer than 1 either way.
	assert.Greater(t, got, 1, "a refresh still reaches the upstream")
}
