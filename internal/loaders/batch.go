package loaders

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// batcher runs the upstream side of one request's dataloaders.
type batcher struct {
	deps    Deps
	request context.Context // ends the batches' upstream work when it ends
}

// each turns a one-key fetch into a batch function: the keys of a batch are
// fetched concurrently (bounded), on a context detached from the field
// that happened to start the batch, so one caller's cancellation does not
// become every key's error; the work still ends with the request (or
// Deps.Timeout). Results come back one per key, in key order.
func each[K comparable, V any](b batcher, name string, fetch func(context.Context, K) (V, error)) dataloader.BatchFunc[K, V] {
	return func(ctx context.Context, keys []K) []*dataloader.Result[V] {
		b.deps.OnBatch(name, len(keys))
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), b.deps.Timeout)
		defer cancel()
		defer context.AfterFunc(b.request, cancel)()
		out := make([]*dataloader.Result[V], len(keys))
		sem := make(chan struct{}, b.deps.Concurrency)
		var wg sync.WaitGroup
		for i, k := range keys {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				v, err := fetch(ctx, k)
				out[i] = &dataloader.Result[V]{Data: v, Error: err}
			})
		}
		wg.Wait()
		return out
	}
}

// customer fetches one customer: from the recently listed ones, else
// through search, the only upstream read that takes a customer id.
func (b batcher) customer(ctx context.Context, id tanma.ID, l *Loaders) (*tanma.Customer, error) {
	if c, ok := b.deps.Recent.get(id); ok {
		return c, nil
	}
	return searchCustomer(ctx, b.deps.Client, id, l)
}

// searchCustomer reads one customer through search, the only upstream read
// that takes a customer id.
func searchCustomer(ctx context.Context, client *tanma.Client, id tanma.ID, l *Loaders) (*tanma.Customer, error) {
	page, err := client.SearchCustomers(ctx, tanma.SearchRequest{CustomerID: id, PageNo: 1, PageSize: 1})
	if err != nil {
		return nil, err
	}
	for _, it := range page.Data {
		if it.CustomerID == id {
			c := l.FromSearch(ctx, it)
			return &c, nil
		}
	}
	// A per-key not-found, never a failed batch.
	return nil, apperr.NotFoundf("no customer has this id")
}

// FollowUpKey names one page of a customer's follow-ups.
type FollowUpKey struct {
	CustomerID tanma.ID
	Cursor     string
	Size       int
}

func (b batcher) followUps(ctx context.Context, k FollowUpKey) (tanma.FollowUpPage, error) {
	if page, ok := b.deps.Recent.getFollowUps(k); ok {
		return page, nil
	}
	page, err := b.deps.Client.ListFollowUps(ctx, tanma.FollowUpsRequest{CustomerID: k.CustomerID, Cursor: k.Cursor, Size: k.Size})
	if err == nil {
		b.deps.Recent.addFollowUps(k, page)
	}
	return page, err
}
