// Package loaders holds the per-request data loaders: everything the GraphQL
// edge looks up by id goes through here, so a page of N customers costs a
// constant number of upstream calls. Loaders are created per request by
// Middleware and reached with For(ctx).
//
// Two kinds of lookups live here. Whole-library reference data (field
// definitions, tag library, staff directory) is read once per request from
// the cross-request cache in internal/refdata, and every lookup by id is
// answered from that one snapshot. Lookups that cost one upstream call per
// key (customers by id, departments, follow-ups: Tanma has no multi-id read)
// are dataloaders: keys asked for in the same tick are deduplicated and
// fetched together with bounded concurrency.
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
	Customer    *dataloader.Loader[tanma.ID, *tanma.Customer]       // by customerId, via search
	Departments *dataloader.Loader[string, []tanma.Department]      // by qwUserId, cached across requests
	FollowUps   *dataloader.Loader[FollowUpKey, tanma.FollowUpPage] // one page of a customer's follow-ups

	recent *Recent
	client *tanma.Client

	fields snapshot[*refdata.FieldSet]
	tags   snapshot[*refdata.TagLibrary]
	staff  snapshot[*refdata.Directory]
	former snapshot[*refdata.Directory]
}

// Deps are what loaders are built from, once per process.
type Deps struct {
	Client  *tanma.Client
	Catalog *refdata.Catalog
	// Timeout bounds one batch's upstream work, which runs detached from the
	// field that started it and ends at the latest with its request
	// (default 10s).
	Timeout time.Duration
	// Concurrency bounds the upstream calls of one batch (default 8).
	Concurrency int
	// OnBatch (may be nil) hears the size of every batch, by loader name.
	OnBatch func(loader string, size int)
	// Recent (may be nil) remembers listed customers across requests.
	Recent *Recent
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
		recent: d.Recent,
		client: d.Client,
		fields: snapshot[*refdata.FieldSet]{value: d.Catalog.Fields},
		tags:   snapshot[*refdata.TagLibrary]{value: d.Catalog.Tags},
		staff:  snapshot[*refdata.Directory]{value: d.Catalog.Staff},
		former: snapshot[*refdata.Directory]{value: d.Catalog.Former},
	}
	l.Customer = dataloader.NewBatchedLoader(each(b, "customer", func(ctx context.Context, id tanma.ID) (*tanma.Customer, error) {
		return b.customer(ctx, id, l)
	}), dataloader.WithWait[tanma.ID, *tanma.Customer](time.Millisecond))
	l.Departments = dataloader.NewBatchedLoader(each(b, "departments", func(ctx context.Context, qwUserID string) ([]tanma.Department, error) {
		return d.Catalog.Departments.For(qwUserID).Get(ctx)
	}), dataloader.WithWait[string, []tanma.Department](time.Millisecond))
	l.FollowUps = dataloader.NewBatchedLoader(each(b, "followups", b.followUps),
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

// PrimeCustomer records a customer a list page returned: later lookups of
// its id cost nothing, in this request and (through Deps.Recent) for a short
// while in later ones.
func (l *Loaders) PrimeCustomer(ctx context.Context, c *tanma.Customer) {
	l.Customer.Prime(ctx, c.CustomerID, c)
	l.recent.add(c)
}

// ReadAfterWrite reads a customer from the upstream now, after a write: not from the
// recently listed customers, nor by joining a search already in flight
// (which may have been answered before the write). The request's later
// lookups of it get this copy.
func (l *Loaders) ReadAfterWrite(ctx context.Context, id tanma.ID) (*tanma.Customer, error) {
	c, err := searchCustomer(tanma.ReadAfterWrite(ctx), l.client, id, l)
	if err == nil {
		l.Customer.Clear(ctx, id) // Prime keeps an entry already there
		l.Customer.Prime(ctx, id, c)
	}
	return c, err
}

// Forget drops what this request and the recently listed customers hold
// of the customers a write changed, so later reads fetch them again.
func (l *Loaders) Forget(ctx context.Context, ids ...tanma.ID) {
	for _, id := range ids {
		l.Customer.Clear(ctx, id)
	}
	l.recent.Forget(ids...)
}

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
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loaders: no loaders in context: wrap the handler with loaders.Middleware")
	}
	return l
}
