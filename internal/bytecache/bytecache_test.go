package bytecache_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/bytecache"
)

const budget = 64 << 10

func TestBudget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := bytecache.New(budget, bytecache.StringSize)
	value := strings.Repeat("x", 3000)
	for i := range 1000 {
		c.Add(ctx, fmt.Sprint("k", i), value)
		_, used := c.Usage()
		assert.LessOrEqual(t, used, budget, "after %d adds", i+1)
	}
	entries, used := c.Usage()
	assert.Equal(t, budget/(3000+4+128), entries, "as many as fit")
	assert.Greater(t, used, budget-3200, "the budget is used")
	_, ok := c.Get(ctx, "k999")
	assert.True(t, ok, "the newest is kept")
	_, ok = c.Get(ctx, "k0")
	assert.False(t, ok, "the oldest is evicted")
}

func TestEviction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		do        func(c *bytecache.Cache[string])
		kept, not []string
		entries   int
	}{
		{name: "least recently used goes first", do: func(c *bytecache.Cache[string]) {
			for i := range 20 { // 16 fit
				c.Add(ctx, fmt.Sprint("k", i), strings.Repeat("x", 3900))
				c.Get(ctx, "k0") // k0 stays in use
			}
		}, kept: []string{"k0", "k19"}, not: []string{"k1", "k4"}, entries: 16},
		{name: "an entry over a sixteenth of the budget is not kept", do: func(c *bytecache.Cache[string]) {
			c.Add(ctx, "small", "x")
			c.Add(ctx, "large", strings.Repeat("x", budget/16))
		}, kept: []string{"small"}, not: []string{"large"}, entries: 1},
		{name: "a key added again is counted once", do: func(c *bytecache.Cache[string]) {
			for range 100 {
				c.Add(ctx, "k", strings.Repeat("x", 3000))
			}
		}, kept: []string{"k"}, entries: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := bytecache.New(budget, bytecache.StringSize)
			tc.do(c)
			for _, k := range tc.kept {
				assert.True(t, c.Contains(k), k)
			}
			for _, k := range tc.not {
				assert.False(t, c.Contains(k), k)
			}
			entries, used := c.Usage()
			assert.Equal(t, tc.entries, entries)
			assert.LessOrEqual(t, used, budget)
		})
	}
}
