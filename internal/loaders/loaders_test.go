package loaders_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// deps are loaders' dependencies over a fresh sandbox, as the customer
// store gives them.
func deps(t *testing.T) (*sandbox.Server, loaders.Deps) {
	t.Helper()
	sb, c := sandboxtest.Start(t, nil)
	log := slog.New(slog.DiscardHandler)
	cat := refdata.NewCatalog(c, refdata.DefaultPolicy, log)
	return sb, customers.New(customers.Options{Client: c, Catalog: cat, Log: log}).Loaders()
}

func newLoaders(t *testing.T) (*sandbox.Server, *loaders.Loaders) {
	t.Helper()
	sb, d := deps(t)
	return sb, loaders.New(d)
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
	sb, d := deps(t)
	sb.SetFaults(sandbox.Faults{Latency: 5 * time.Second})
	request, cancel := context.WithCancel(context.Background())
	l := loaders.NewForRequest(request, d)
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
	_, d := deps(t)
	var got []*loaders.Loaders
	h := loaders.Middleware(d, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got = append(got, loaders.For(r.Context()))
	}))
	for range 2 {
		h.ServeHTTP(nil, (&http.Request{}).WithContext(context.Background()))
	}
	require.Len(t, got, 2)
	assert.NotSame(t, got[0], got[1])
}
