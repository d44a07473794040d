package customers

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// newStore is a store over a fresh sandbox, its recent cache on a clock
// the test moves.
func newStore(t *testing.T) (*sandbox.Server, *Store, *clock) {
	t.Helper()
	sb, c := sandboxtest.Start(t, nil)
	log := slog.New(slog.DiscardHandler)
	s := New(Options{Client: c, Catalog: refdata.NewCatalog(c, refdata.DefaultPolicy, log), Log: log})
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.recent.now = clk.now
	return sb, s, clk
}

// request is a context carrying fresh loaders, as one request has.
func (s *Store) request() context.Context {
	return loaders.WithLoaders(context.Background(), loaders.New(s.Loaders()))
}

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

// TestByIDKeepsKeyOrder: one result per key, in key order; a missing id
// is that key's NOT_FOUND, not a failed batch.
func TestByIDKeepsKeyOrder(t *testing.T) {
	t.Parallel()
	sb, s, _ := newStore(t)
	ctx := s.request()
	keys := []tanma.ID{398923388842048, 1, 398604120668224, sandbox.BigID}
	thunks := make([]func() (*tanma.Customer, error), len(keys))
	for i, k := range keys {
		thunks[i] = s.ByID(ctx, k) // all keys before any wait: one batch
	}
	for i, th := range thunks {
		c, err := th()
		if keys[i] == 1 {
			assert.ErrorIs(t, err, apperr.Kind(apperr.NotFound))
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, keys[i], c.CustomerID)
	}
	assert.Equal(t, int64(len(keys)), sb.Calls(tanma.PathSearchCustomers), "one search per key: Tanma has no multi-id read")
}

// TestListedCustomersCostNothing: customers a list page returned are
// served to lookups by id without a search, in the same request and in
// later ones until the recent cache's TTL passes.
func TestListedCustomersCostNothing(t *testing.T) {
	t.Parallel()
	sb, s, clk := newStore(t)
	ctx := s.request()
	first := 3
	page, err := s.Owned(ctx, "lina", tanma.Window{}, relayArgs(first))
	require.NoError(t, err)
	require.Len(t, page.Edges, first)
	for _, e := range page.Edges {
		got, err := s.ByID(ctx, e.Node.CustomerID)()
		require.NoError(t, err)
		assert.Equal(t, e.Node.CustomerID, got.CustomerID)
	}
	id := page.Edges[0].Node.CustomerID
	_, err = s.ByID(s.request(), id)()
	require.NoError(t, err)
	assert.Zero(t, sb.Calls(tanma.PathSearchCustomers), "served from the page and then the recent customers")

	clk.add(DefaultRecentTTL + time.Second)
	_, err = s.ByID(s.request(), id)()
	require.NoError(t, err)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathSearchCustomers), "past the TTL: searched again")
}

// TestForgottenCustomersStayForgotten: after a write forgets a customer, a
// list page read before the write cannot put the old copy back.
func TestForgottenCustomersStayForgotten(t *testing.T) {
	t.Parallel()
	sb, s, _ := newStore(t)
	listed := sb.Data().CustomersOf("lina")[0]
	s.remember(s.request(), []tanma.Customer{listed})

	s.Forget(s.request(), listed.CustomerID)
	s.remember(s.request(), []tanma.Customer{listed}) // a list read before the write, finishing after it

	_, err := s.ByID(s.request(), listed.CustomerID)()
	require.NoError(t, err)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathSearchCustomers), "read fresh, not from the old copy")
}

// TestFreshNeverServesACopy: Fresh reads Tanma even right after a list
// page, and the request's later lookups get what it read.
func TestFreshNeverServesACopy(t *testing.T) {
	t.Parallel()
	sb, s, _ := newStore(t)
	ctx := s.request()
	listed := sb.Data().CustomersOf("lina")[0]
	s.remember(ctx, []tanma.Customer{listed})
	c, err := s.Fresh(ctx, listed.CustomerID)
	require.NoError(t, err)
	assert.Equal(t, listed.CustomerID, c.CustomerID)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathSearchCustomers))
	again, err := s.ByID(ctx, listed.CustomerID)()
	require.NoError(t, err)
	assert.Same(t, c, again)
}

func relayArgs(first int) relay.Args { return relay.Args{First: &first} }

// TestInvalidAnswersAreCounted: each part of an answer outside the
// documented shape is counted by problem (the metric's label), and items
// without an id are reported beside the page.
func TestInvalidAnswersAreCounted(t *testing.T) {
	t.Parallel()
	_, c := sandboxtest.StartBehind(t, nil, sandboxtest.Rewrite(tanma.PathListByQwUserID, func(req, env map[string]any) {
		if req["cursor"] == nil { // the first page
			env["data"].(map[string]any)["list"].([]any)[0] = nil
		}
	}))
	log := slog.New(slog.DiscardHandler)
	var mu sync.Mutex
	counted := map[string]int{}
	s := New(Options{Client: c, Catalog: refdata.NewCatalog(c, refdata.DefaultPolicy, log), Log: log, OnInvalid: func(p string) {
		mu.Lock()
		defer mu.Unlock()
		counted[p]++
	}})
	page, err := s.Owned(s.request(), "lina", tanma.Window{}, relayArgs(3))
	require.NoError(t, err)
	require.Len(t, page.Problems, 1)
	assert.ErrorIs(t, page.Problems[0], apperr.Kind(apperr.UpstreamInvalid))
	assert.Equal(t, map[string]int{problemNoID: 1}, counted)
	for _, e := range page.Edges {
		assert.Positive(t, e.Node.CustomerID)
	}
}
