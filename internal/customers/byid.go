package customers

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// ErrNotFound answers a customer id Tanma does not know. The visibility
// gate answers a customer the caller may not see with it too, word for
// word, so a scoped caller cannot tell another staff member's customer
// from a missing one.
var ErrNotFound = apperr.NotFoundf("no customer has this id")

// ByID starts the lookup of a customer through the request's customer
// loader (so lookups of one request share a batch) and returns the
// function that waits for it. An id Tanma does not know is NOT_FOUND.
func (s *Store) ByID(ctx context.Context, id tanma.ID) func() (*tanma.Customer, error) {
	return loaders.For(ctx).Customer.Load(ctx, id)
}

// Fresh reads a customer from Tanma now: not from the customers read
// lately, nor by joining a search already in flight (which may have been
// answered before a write). The request's later lookups of it get this
// copy. It is how a write reads back what it changed, and how an event's
// customer is read.
func (s *Store) Fresh(ctx context.Context, id tanma.ID) (*tanma.Customer, error) {
	c, err := s.search(tanma.ReadAfterWrite(ctx), id)
	if l, ok := loaders.From(ctx); ok && err == nil {
		l.Customer.Clear(ctx, id) // Prime keeps an entry already there
		l.Customer.Prime(ctx, id, c)
	}
	return c, err
}

// fetch is the customer loader's read of one id: a customer read lately,
// else a search, the only upstream read that takes a customer id.
func (s *Store) fetch(ctx context.Context, id tanma.ID) (*tanma.Customer, error) {
	if c, ok := s.recent.get(id); ok {
		return c, nil
	}
	return s.search(ctx, id)
}

func (s *Store) search(ctx context.Context, id tanma.ID) (*tanma.Customer, error) {
	page, err := s.client.SearchCustomers(ctx, tanma.SearchRequest{CustomerID: id, PageNo: 1, PageSize: 1})
	if err == nil {
		err = s.checkSearchPage(page, 1)
	}
	if err != nil {
		return nil, err
	}
	unnamed := 0
	for _, it := range page.Data {
		switch {
		case it.CustomerID == id:
			set, _ := s.fieldSet(ctx)
			c := s.normalize(s.fromSearch(ctx, it), set)
			if len(c.Flaws) > 0 {
				s.onInvalid(problemWrongType)
			}
			return &c, nil
		case it.CustomerID <= 0:
			unnamed++
		}
	}
	if unnamed > 0 {
		// It may be the customer asked for: not "no customer has this id".
		return nil, s.invalid(tanma.PathSearchCustomers, problemNoID, "the search answered an item without a customerId")
	}
	if len(page.Data) > 0 {
		// A search by id that answers other customers ignored its filter:
		// it says nothing of whether this one exists.
		return nil, s.invalid(tanma.PathSearchCustomers, problemOtherCustomers, "the search by customerId answered other customers")
	}
	// A per-key not-found, never a failed batch.
	return nil, ErrNotFound
}

// remember records customers a list page returned: later lookups of their
// ids cost nothing, in this request and for a short while in later ones.
func (s *Store) remember(ctx context.Context, cs []tanma.Customer) {
	l, _ := loaders.From(ctx)
	for i := range cs {
		c := &cs[i]
		if l != nil {
			l.Customer.Prime(ctx, c.CustomerID, c)
		}
		s.recent.add(c)
	}
}
