package redisstore_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestWritesReachEveryReplica: the ids a write publishes on one replica
// reach the listeners of every replica.
func TestWritesReachEveryReplica(t *testing.T) {
	t.Parallel()
	_, url := miniRedis(t)
	a, b := newReplica(t, url), newReplica(t, url)
	var mu sync.Mutex
	var heard []tanma.ID
	stop := b.store.ListenWrites(func(ids []tanma.ID) {
		mu.Lock()
		defer mu.Unlock()
		heard = append(heard, ids...)
	})
	t.Cleanup(stop)
	want := []tanma.ID{398604120668224, 9007199254740993}
	require.Eventually(t, func() bool {
		a.store.PublishWrite(t.Context(), want) // again until B's subscription is in place
		mu.Lock()
		defer mu.Unlock()
		return slices.Contains(heard, want[1])
	}, 5*time.Second, 50*time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	assert.Subset(t, heard, want)
}
