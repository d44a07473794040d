package limits

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBucketPerCaller(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := NewMemoryBudget(100, 300, 10)
	m.now = func() time.Time { return now }
	ctx := context.Background()
	ok, _ := m.Allow(ctx, "a", 200)
	assert.True(t, ok)
	ok, wait := m.Allow(ctx, "a", 200)
	assert.False(t, ok, "100 left of 300")
	assert.Equal(t, time.Second, wait, "100 more units take a second at 100/s")
	ok, _ = m.Allow(ctx, "b", 300)
	assert.True(t, ok, "another caller has its own bucket")
	now = now.Add(time.Second)
	ok, _ = m.Allow(ctx, "a", 200)
	assert.True(t, ok, "refilled")
	ok, wait = m.Allow(ctx, "a", 1000)
	assert.False(t, ok, "over the burst never passes")
	assert.Equal(t, 3*time.Second, wait)
}

func TestMemoryIsBounded(t *testing.T) {
	t.Parallel()
	m := NewMemoryBudget(1, 1, 5)
	for i := range 100 {
		m.Allow(context.Background(), fmt.Sprint(i), 1)
	}
	assert.Equal(t, 5, m.byKey.Len())
}

func TestConcurrentCallersNeverOverspend(t *testing.T) {
	t.Parallel()
	m := NewMemoryBudget(0.001, 1000, 10) // no meaningful refill during the test
	var wg sync.WaitGroup
	var mu sync.Mutex
	spent := 0
	for range 50 {
		wg.Go(func() {
			if ok, _ := m.Allow(context.Background(), "k", 30); ok {
				mu.Lock()
				spent += 30
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, spent, 1000)
	assert.Greater(t, spent, 900)
}
