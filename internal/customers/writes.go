package customers

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Writes: each sends one upstream write (never retried, see
// tanma.Client.DoWrite), forgets what it changed on every replica, and
// leaves an audit record. The callers check their input first and read
// the customers back with Fresh.

// Current starts the lookup of a customer as Tanma has it now, for a
// write about to change it: this replica's recent copy (listed up to a
// minute ago, perhaps with another owner) is dropped first. Lookups
// started together share a batch.
func (s *Store) Current(ctx context.Context, id tanma.ID) func() (*tanma.Customer, error) {
	l := loaders.For(ctx)
	l.Customer.Clear(ctx, id)
	s.recent.forget(id)
	return l.Customer.Load(ctx, id)
}

// Update sets fields of one customer.
func (s *Store) Update(ctx context.Context, req tanma.UpdateCustomerRequest) error {
	err := s.client.UpdateCustomer(ctx, req)
	s.Forget(ctx, req.CustomerID)
	s.audit(ctx, "customerUpdate", err, "customer", req.CustomerID.String(), "fields", len(req.Fields))
	return err
}

// AddClue creates a lead and returns its customer id.
func (s *Store) AddClue(ctx context.Context, req tanma.AddClueRequest) (tanma.ID, error) {
	id, err := s.client.AddClue(ctx, req)
	s.audit(ctx, "clueCreate", err, "customer", id.String(), "fields", len(req.Fields))
	if err == nil {
		s.Forget(ctx, id)
	}
	return id, err
}

// Transfer hands the relations in req (those of the customers ids) to
// another staff member in one call.
func (s *Store) Transfer(ctx context.Context, req tanma.TransferRequest, ids []tanma.ID) error {
	err := s.client.TransferCustomers(ctx, req)
	s.Forget(ctx, ids...)
	s.audit(ctx, "customersTransfer", err, "customers", len(ids), "to", req.ToQwUserID)
	return err
}

// audit logs one write: who, what, which customer, and the outcome's
// code; never the values written.
func (s *Store) audit(ctx context.Context, mutation string, err error, attrs ...any) {
	outcome := "ok"
	if err != nil {
		code, _, _ := apperr.Classify(err)
		outcome = string(code)
	}
	c, _ := auth.FromContext(ctx)
	attrs = append([]any{"request_id", requestlog.RequestID(ctx), "mutation", mutation, "caller", c.ID, "outcome", outcome}, attrs...)
	s.log.InfoContext(ctx, "write", attrs...)
}
