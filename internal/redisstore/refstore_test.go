package redisstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/refdata"
)

// upstream is a fake reference-data source that counts its loads.
type upstream struct {
	calls atomic.Int64
	delay time.Duration
	fail  atomic.Bool
	data  atomic.Value // string
}

func (u *upstream) fetch(ctx context.Context) ([]byte, error) {
	u.calls.Add(1)
	select {
	case <-time.After(u.delay):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if u.fail.Load() {
		return nil, errors.New("upstream down")
	}
	return []byte(u.data.Load().(string)), nil
}

func TestRefStoreLoadsOncePerFleet(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	stores := []interface {
		Load(context.Context, string, time.Duration, func(context.Context) ([]byte, error)) ([]byte, error)
	}{newReplica(t, url).store.RefStore(), newReplica(t, url).store.RefStore(), newReplica(t, url).store.RefStore()}
	up := &upstream{delay: 100 * time.Millisecond}
	up.data.Store(`["v1"]`)

	var wg sync.WaitGroup
	got := make([]string, 12)
	for i := range got {
		wg.Go(func() {
			data, err := stores[i%3].Load(t.Context(), "tags", time.Minute, up.fetch)
			assert.NoError(t, err)
			got[i] = string(data)
		})
	}
	wg.Wait()
	assert.Equal(t, int64(1), up.calls.Load(), "12 concurrent loads on 3 replicas: one upstream call")
	for _, g := range got {
		assert.Equal(t, `["v1"]`, g)
	}
}

func TestRefStoreInvalidateMakesEveryReplicaReload(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	a, b := newReplica(t, url).store.RefStore(), newReplica(t, url).store.RefStore()
	up := &upstream{}
	up.data.Store("v1")
	ctx := t.Context()

	data, err := a.Load(ctx, "staff", time.Minute, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, "v1", string(data))
	up.data.Store("v2")
	data, err = b.Load(ctx, "staff", time.Minute, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, "v1", string(data), "B reads A's copy")

	require.NoError(t, a.Invalidate(ctx, "staff"))
	data, err = b.Load(ctx, "staff", time.Minute, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, "v2", string(data), "after the invalidation the next load is fresh")
	data, err = a.Load(ctx, "staff", time.Minute, up.fetch)
	require.NoError(t, err)
	assert.Equal(t, "v2", string(data))
	assert.Equal(t, int64(2), up.calls.Load())
}

func TestRefStoreWithoutRedisSaysSo(t *testing.T) {
	t.Parallel()
	m, url := miniRedis(t)
	r := newReplica(t, url)
	s := r.store.RefStore()
	up := &upstream{}
	up.data.Store("v1")
	m.Close()
	_, err := s.Load(t.Context(), "fields", time.Minute, up.fetch)
	require.ErrorIs(t, err, refdata.ErrUnshared, "the replica keeps its own copy (refdata)")
	assert.Zero(t, up.calls.Load())
	assert.False(t, r.store.Up())
}

func TestRefStoreWaiterFetchesItselfWhenTheLockHolderFails(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	a, b := newReplica(t, url).store.RefStore(), newReplica(t, url).store.RefStore()
	slow := &upstream{delay: 300 * time.Millisecond}
	slow.data.Store("a")
	slow.fail.Store(true)
	fast := &upstream{}
	fast.data.Store("b")

	errc := make(chan error, 1)
	go func() {
		_, err := a.Load(t.Context(), "tags", time.Minute, slow.fetch)
		errc <- err
	}()
	eventually(t, 5*time.Second, func() bool { return slow.calls.Load() == 1 }, "A takes the lock and fetches")
	data, err := b.Load(t.Context(), "tags", time.Minute, fast.fetch)
	require.NoError(t, err)
	assert.Equal(t, "b", string(data), "B waited for A, saw it give up, and fetched itself")
	assert.Error(t, <-errc, "A's own load failed")
	assert.Equal(t, int64(1), fast.calls.Load())
}
