package loaders_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

func newLoaders(t *testing.T) (*sandbox.Server, *loaders.Loaders) {
	t.Helper()
	sb, c := sandboxtest.Start(t, nil)
	cat := refdata.NewCatalog(c, refdata.DefaultPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return sb, loaders.New(loaders.Deps{Client: c, Catalog: cat})
}

// TestCustomerLoaderKeepsKeyOrder: one result per key, in key order; a
// missing id is that key's NOT_FOUND, not a failed batch.
func TestCustomerLoaderKeepsKeyOrder(t *testing.T) {
	t.Parallel()
	sb, l := newLoaders(t)
	ctx := context.Background()
	keys := []tanma.ID{398923388842048, 1, 398604120668224, sandbox.BigID}
	thunks := make([]func() (*tanma.Customer, error), len(keys))
	for i, k := range keys {
		thunks[i] = l.Customer.Load(ctx, k) // all keys before any wait: one batch
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

func TestPrimedCustomersCostNothing(t *testing.T) {
	t.Parallel()
	sb, l := newLoaders(t)
	ctx := context.Background()
	list := sb.Data().CustomersOf("lina")[:3]
	for i := range list {
		l.PrimeCustomer(ctx, &list[i])
	}
	for _, c := range list {
		got, err := l.Customer.Load(ctx, c.CustomerID)()
		require.NoError(t, err)
		assert.Equal(t, c.CustomerID, got.CustomerID)
	}
	assert.Zero(t, sb.TotalCalls())
}

// TestRecentCustomersAcrossRequests: a customer one request listed is
// served to the next request's lookup without a search, until the recent
// cache's TTL passes.
func TestRecentCustomersAcrossRequests(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	cat := refdata.NewCatalog(c, refdata.DefaultPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	const ttl = 300 * time.Millisecond
	deps := loaders.Deps{Client: c, Catalog: cat, Recent: loaders.NewRecent(100, ttl)}
	listed := sb.Data().CustomersOf("lina")[0]
	loaders.New(deps).PrimeCustomer(t.Context(), &listed)

	got, err := loaders.New(deps).Customer.Load(t.Context(), listed.CustomerID)()
	require.NoError(t, err)
	assert.Equal(t, listed.CustomerID, got.CustomerID)
	assert.Zero(t, sb.Calls(tanma.PathSearchCustomers), "served from the recent list")

	time.Sleep(ttl + 100*time.Millisecond)
	got, err = loaders.New(deps).Customer.Load(t.Context(), listed.CustomerID)()
	require.NoError(t, err)
	assert.Equal(t, listed.CustomerID, got.CustomerID)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathSearchCustomers), "past the TTL: searched again")
}

// TestForgottenCustomersStayForgotten: after a write forgets a customer, a
// list page read before the write cannot put the old copy back.
func TestForgottenCustomersStayForgotten(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	cat := refdata.NewCatalog(c, refdata.DefaultPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	deps := loaders.Deps{Client: c, Catalog: cat, Recent: loaders.NewRecent(100, time.Minute)}
	listed := sb.Data().CustomersOf("lina")[0]
	loaders.New(deps).PrimeCustomer(t.Context(), &listed)

	writer := loaders.New(deps)
	writer.Forget(t.Context(), listed.CustomerID)
	loaders.New(deps).PrimeCustomer(t.Context(), &listed) // a list read before the write, finishing after it

	_, err := loaders.New(deps).Customer.Load(t.Context(), listed.CustomerID)()
	require.NoError(t, err)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathSearchCustomers), "read fresh, not from the old copy")
}

// TestBatchSurvivesItsFirstCallersCancellation: the batch runs detached
// from the request that started it, so another caller of the same batch
// still gets its result.
func TestBatchSurvivesItsFirstCallersCancellation(t *testing.T) {
	t.Parallel()
	sb, l := newLoaders(t)
	sb.SetFaults(sandbox.Faults{Latency: 100 * time.Millisecond})
	first, cancel := context.WithCancel(context.Background())
	a := l.FollowUps.Load(first, loaders.FollowUpKey{CustomerID: 398604120668224, Size: 5})
	b := l.FollowUps.Load(context.Background(), loaders.FollowUpKey{CustomerID: 398923388842048, Size: 5})
	cancel()
	_, _ = a()
	page, err := b()
	require.NoError(t, err)
	assert.Equal(t, len(sb.Data().FollowUpsOf(398923388842048)) > 0, len(page.List) > 0)
}

// TestBatchEndsWithItsRequest: when the request is over (the client went
// away), its batches stop waiting on the upstream at once.
func TestBatchEndsWithItsRequest(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	sb.SetFaults(sandbox.Faults{Latency: 5 * time.Second})
	cat := refdata.NewCatalog(c, refdata.DefaultPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))
	request, cancel := context.WithCancel(context.Background())
	l := loaders.NewForRequest(request, loaders.Deps{Client: c, Catalog: cat})
	th := l.FollowUps.Load(context.Background(), loaders.FollowUpKey{CustomerID: 398604120668224, Size: 5})
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := th()
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second, "the batch did not wait out the upstream")
}

// TestReferenceSnapshotIsReadOncePerRequest: many lookups, one read; a
// failed read is the answer for the rest of the request, so a page of
// fields does not multiply upstream attempts while the upstream fails.
func TestReferenceSnapshotIsReadOncePerRequest(t *testing.T) {
	t.Parallel()
	sb, l := newLoaders(t)
	ctx := context.Background()
	for range 10 {
		lib, err := l.Tags(ctx)
		require.NoError(t, err)
		_, ok := lib.ByQwTagID("etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ")
		assert.True(t, ok)
	}
	assert.Equal(t, int64(1), sb.Calls(tanma.PathTagTree))

	sb2, failing := newLoaders(t)
	sb2.SetFaults(sandbox.Faults{Code: 50000, Paths: []string{tanma.PathListFields}})
	for range 10 {
		_, err := failing.Fields(ctx)
		require.Error(t, err)
	}
	assert.Equal(t, int64(1), sb2.Calls(tanma.PathListFields), "one attempt (a code != 0 answer is not retried)")
}

// TestMiddlewareGivesEachRequestItsOwnLoaders, and For without it is a
// wiring bug that panics.
func TestMiddlewareGivesEachRequestItsOwnLoaders(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { loaders.For(context.Background()) })
	_, c := sandboxtest.Start(t, nil)
	deps := loaders.Deps{Client: c, Catalog: refdata.NewCatalog(c, refdata.DefaultPolicy, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	var got []*loaders.Loaders
	h := loaders.Middleware(deps, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got = append(got, loaders.For(r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(nil, (&http.Request{}).WithContext(context.Background()))
	}
	require.Len(t, got, 2)
	assert.NotSame(t, got[0], got[1])
}
