// Package customers is the customer store: the one place the gateway reads
// customers from Tanma (by id, a staff member's list, search pages with
// their totals, the customers read lately), writes them (with read-back and
// an audit record) and forgets them. Every answer about customers is
// checked against Tanma's documented shape here, before graph/ maps it: an
// answer outside that shape becomes an error or a flagged value, never data
// that looks right (shape.go).
//
// What it keeps across requests (recent customers and follow-up pages,
// the rest of list and search pages, search totals) is forgotten in one
// call, Forget, which every replica hears through the event bus.
package customers

import (
	"context"
	"log/slog"
	"time"

	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Store reads, writes and forgets customers. Build it with New.
type Store struct {
	client    *tanma.Client
	catalog   *refdata.Catalog
	log       *slog.Logger
	recent    *recentCache
	leftovers *relay.Leftovers[tanma.Customer] // look-ahead list and search pages, see relay.Leftovers
	walks     *relay.Walks                     // what each walk through a list or search was shown
	cursors   *relay.Codec                     // signs every customer and follow-up cursor
	totals    searchTotals                     // search totals kept with their pages
	bus       *events.Bus                      // nil: forgetting stays on this replica
	onInvalid func(problem string)
}

// Options are what a Store is built from.
type Options struct {
	Client  *tanma.Client
	Catalog *refdata.Catalog
	Log     *slog.Logger
	// OnInvalid (may be nil) counts every part of an answer that was not in
	// Tanma's documented shape, by problem, for metrics.
	OnInvalid func(problem string)
}

// New returns a store over the upstream client.
func New(o Options) *Store {
	if o.OnInvalid == nil {
		o.OnInvalid = func(string) {}
	}
	return &Store{
		client:    o.Client,
		catalog:   o.Catalog,
		log:       o.Log,
		recent:    newRecent(DefaultRecentSize, DefaultRecentTTL),
		leftovers: relay.NewLeftovers[tanma.Customer](256, 30*time.Second),
		walks:     relay.NewWalks(relay.DefaultWalks),
		cursors:   relay.NewCodec(o.Client.DerivedKey("cursors")),
		onInvalid: o.OnInvalid,
	}
}

// PublishOn makes Forget reach every replica through bus (the bus's
// correction on each replica calls Correct).
func (s *Store) PublishOn(bus *events.Bus) { s.bus = bus }

// Loaders are the per-request loaders' dependencies: their customer and
// follow-up batches read through the store.
func (s *Store) Loaders() loaders.Deps {
	return loaders.Deps{Catalog: s.catalog, Customer: s.fetch, FollowUps: s.followUpPage}
}

// Forget drops what the gateway holds of changed customers (after a
// write): this request's copies, and on every replica the customers read
// lately and their follow-ups, the rest of list and search pages and the
// search totals.
func (s *Store) Forget(ctx context.Context, ids ...tanma.ID) {
	if l, ok := loaders.From(ctx); ok {
		for _, id := range ids {
			l.Customer.Clear(ctx, id)
		}
	}
	s.forgetHere(ids)
	if s.bus != nil {
		// Not on the request's context: a caller hanging up must not keep
		// the other replicas' copies.
		s.bus.Publish(context.WithoutCancel(ctx), events.Event{Kind: events.CustomersWritten, CustomerIDs: ids})
	}
}

// Correct is the store's part of an event every replica hears: a customer
// event (a push about one, or a write on some replica) forgets what this
// replica holds of it. A new customer's push names none: only the pages
// are forgotten.
func (s *Store) Correct(ev events.Event) {
	if !ev.Customer() {
		return
	}
	ids := ev.CustomerIDs
	if ev.CustomerID > 0 {
		ids = append(ids, ev.CustomerID)
	}
	s.forgetHere(ids)
}

// forgetHere is Forget on this replica, outside any request.
func (s *Store) forgetHere(ids []tanma.ID) {
	s.recent.forget(ids...)
	s.leftovers.Clear()
	s.totals.clear()
}

// fieldSet is the field definitions: the request's snapshot in a request,
// else the cached copy.
func (s *Store) fieldSet(ctx context.Context) (*refdata.FieldSet, error) {
	if l, ok := loaders.From(ctx); ok {
		return l.Fields(ctx)
	}
	return s.catalog.Fields.Get(ctx)
}

// Cursors is the codec that signs every connection's cursors (the staff
// directory's too): one key for the whole gateway, derived from the app
// key, so a cursor from one replica works on the others.
func (s *Store) Cursors() *relay.Codec { return s.cursors }
