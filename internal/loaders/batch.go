package loaders

import (
	"context"
	"sync"

	"github.com/graph-gophers/dataloader/v7"
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
