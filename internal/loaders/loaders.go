// Package loaders holds the per-request data loaders: everything the
// gateway looks up by id goes through here, so a page of N customers costs
// a constant number of upstream calls. Loaders are created per request by
// Middleware and reached with For(ctx).
//
// Two kinds of lookups live here. Whole-library reference data (field
// definitions, tag library, staff directory) is read once per request from
// the cross-request cache in internal/refdata, and every lookup by id is
// answered from that one snapshot. Lookups that cost one upstream call per
// key (customers by id, departments, follow-ups: Tanma has no multi-id read)
// are dataloaders: keys asked for in the same tick are deduplicated and
// fetched together with bounded concurrency. What a customer or follow-up
// key is read from is the customer store's (internal/customers, Deps).
package loaders

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/graph-gophers/dataloader/v7"

	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Loaders are one request's loaders.
type Loaders struct {
	Customer    *dataloader.Loader[tanma.ID, *tanma.Customer]       // by customerId (Deps.Customer)
	Departments *dataloader.Loader[string, []tanma.Department]      // by qwUserId, cached across requests
	FollowUps   *dataloader.Loader[FollowUpKey, tanma.FollowUpPage] // one page of a customer's follow-ups (Deps.FollowUps)

	fields snapshot[*refdata.FieldSet]
	tags   snapshot[*refdata.TagLibrary]
	staff  snapshot[*refdata.Directory]
	former snapshot[*refdata.Directory]
}

// Deps are what loaders are built from, once per process.
type Deps struct {
	Catalog *refdata.Catalog
	// Customer reads one customer; a missing one is a per-key NOT_FOUND.
	Customer func(ctx context.Context, id tanma.ID) (*tanma.Customer, error)
	// FollowUps reads one page of a customer's follow-ups.
	FollowUps func(ctx context.Context, k FollowUpKey) (tanma.FollowUpPage, error)
	// Timeout bounds one batch's upstream work, which runs detached from the
	// field that started it and ends at the latest with its request
	// (default 10s).
	Timeout time.Duration
	// Concurrency bounds the upstream calls of one batch (default 8).
	Concurrency int
	// OnBatch (may be nil) hears the size of every batch, by loader name.
	OnBatch func(loader string, size int)
}

// FollowUpKey names one page of a customer's follow-ups.
type FollowUpKey struct {
	CustomerID tanma.ID
	Cursor     string
	Size       int
}

// New returns fresh loaders outside any request: their batches end only
// by Deps.Timeout.
func New(d Deps) *Loaders { return NewForRequest(context.Background(), d) }

// NewForRequest returns fresh loaders for one request: when request ends
// (the client went away, the request deadline passed), the upstream work
// of its batches is cancelled.
func NewForRequest(request context.Context, d Deps) *Loaders {
	if d.Timeout <= 0 {
		d.Timeout = 10 * time.Second
	}
	if d.Concurrency <= 0 {
		d.Concurrency = 8
	}
	if d.OnBatch == nil {
		d.OnBatch = func(string, int) {}
	}
	b := batcher{deps: d, request: request}
	l := &Loaders{
		fields: snapshot[*refdata.FieldSet]{value: d.Catalog.Fields},
		tags:   snapshot[*refdata.TagLibrary]{value: d.Catalog.Tags},
		staff:  snapshot[*refdata.Directory]{value: d.Catalog.Staff},
		former: snapshot[*refdata.Directory]{value: d.Catalog.Former},
	}
	l.Customer = dataloader.NewBatchedLoader(each(b, "customer", d.Customer),
		dataloader.WithWait[tanma.ID, *tanma.Customer](time.Millisecond))
	l.Departments = dataloader.NewBatchedLoader(each(b, "departments", func(ctx context.Context, qwUserID string) ([]tanma.Department, error) {
		return d.Catalog.Departments.For(qwUserID).Get(ctx)
	}), dataloader.WithWait[string, []tanma.Department](time.Millisecond))
	l.FollowUps = dataloader.NewBatchedLoader(each(b, "followups", d.FollowUps),
		dataloader.WithWait[FollowUpKey, tanma.FollowUpPage](time.Millisecond))
	return l
}

// Fields returns the field definitions, read once per request.
func (l *Loaders) Fields(ctx context.Context) (*refdata.FieldSet, error) { return l.fields.get(ctx) }

// Tags returns the tag library, read once per request.
func (l *Loaders) Tags(ctx context.Context) (*refdata.TagLibrary, error) { return l.tags.get(ctx) }

// Staff returns the staff directory, read once per request.
func (l *Loaders) Staff(ctx context.Context) (*refdata.Directory, error) { return l.staff.get(ctx) }

// Former returns the directory of staff who left, read once per request
// (and only by requests that look up someone the directory does not list).
func (l *Loaders) Former(ctx context.Context) (*refdata.Directory, error) { return l.former.get(ctx) }

// snapshot reads a cached reference value once per request, so one request
// sees one consistent copy however many fields use it. A failed read is
// remembered too: a hundred fields of one request must not make a hundred
// upstream attempts while the upstream is failing.
type snapshot[T any] struct {
	value *refdata.Value[T]
	mu    sync.Mutex
	done  bool
	val   T
	err   error
}

func (s *snapshot[T]) get(ctx context.Context) (T, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.val, s.err = s.value.Get(ctx)
		s.done = true
	}
	return s.val, s.err
}

type ctxKey struct{}

// Middleware gives every request its own loaders.
func Middleware(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(WithLoaders(r.Context(), NewForRequest(r.Context(), d))))
	})
}

// WithLoaders returns ctx carrying l.
func WithLoaders(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the request's loaders. It panics when Middleware did not run:
// that is a wiring bug, not a request error.
func For(ctx context.Context) *Loaders {
	l, ok := From(ctx)
	if !ok {
		panic("loaders: no loaders in context: wrap the handler with loaders.Middleware")
	}
	return l
}

// From returns the loaders ctx carries, if any: for code that also runs
// outside requests.
func From(ctx context.Context) (*Loaders, bool) {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	return l, ok
}
