package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// maxTransfer bounds customersTransfer (one upstream call carries them all).
const maxTransfer = 100

// customerUpdate checks every value, then the customer (it must exist and
// be the caller's to see), sends one update and reads the customer back.
// Bad input costs no upstream call.
func (r *Resolver) customerUpdate(ctx context.Context, in model.CustomerUpdateInput) (*model.CustomerUpdatePayload, error) {
	if err := checkWrite(ctx); err != nil {
		return nil, err
	}
	cid, err := parseCustomerID(in.ID)
	if err != nil {
		return nil, err
	}
	if len(in.Fields) == 0 {
		return nil, apperr.BadInput("input.fields must set at least one field")
	}
	l := loaders.For(ctx)
	set, err := l.Fields(ctx)
	if err != nil {
		return nil, err
	}
	writes, err := checkFieldInputs(set, in.Fields, "input.fields")
	if err != nil {
		return nil, err
	}
	// Whose customer it is now: not a copy listed up to a minute ago.
	c, err := r.Customers.Current(ctx, cid)()
	if err == nil {
		err = checkCustomer(ctx, c)
	}
	if err != nil {
		return nil, err
	}
	err = r.Customers.Update(ctx, tanma.UpdateCustomerRequest{CustomerID: cid, Fields: tanma.UpdateFields(tanmaWrites(writes))})
	if err != nil {
		return nil, writeError(err)
	}
	return &model.CustomerUpdatePayload{ClientMutationID: in.ClientMutationID, Customer: r.readBack(ctx, "CustomerUpdatePayload", cid, false)}, nil
}

// clueCreate checks the lead, creates it and reads it back. A new lead has
// no owner, so only unscoped callers may read it later; its creator gets
// it in the payload whatever its scope (it holds nothing the creator did
// not send but its id and times), as long as it has no owner.
func (r *Resolver) clueCreate(ctx context.Context, in model.ClueCreateInput) (*model.ClueCreatePayload, error) {
	if err := checkWrite(ctx); err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		return nil, apperr.BadInput("input.name must not be blank")
	case utf8.RuneCountInString(name) > maxTextRunes || strings.ContainsAny(name, "\r\n"):
		return nil, apperr.BadInput("input.name must be one line of at most %d characters", maxTextRunes)
	}
	mobiles, problem := checkPhones(in.Mobiles, "input.mobiles")
	if problem != "" {
		return nil, apperr.BadInput("%s", problem)
	}
	var writes []fieldWrite
	if len(in.Fields) > 0 {
		set, err := loaders.For(ctx).Fields(ctx)
		if err != nil {
			return nil, err
		}
		if writes, err = checkFieldInputs(set, in.Fields, "input.fields"); err != nil {
			return nil, err
		}
		for i, w := range writes {
			if w.def.Key == tanma.KeyName || w.def.Key == tanma.KeyMobile {
				return nil, fieldError(fieldPos("input.fields", i, w.def), w.def.Key, "set the name and phone numbers with input.name and input.mobiles")
			}
		}
	}
	id, err := r.Customers.AddClue(ctx, tanma.AddClueRequest{CustomerName: name, Mobiles: mobiles, Fields: tanma.ClueFields(tanmaWrites(writes))})
	if err != nil {
		return nil, writeError(err)
	}
	return &model.ClueCreatePayload{ClientMutationID: in.ClientMutationID, Customer: r.readBack(ctx, "ClueCreatePayload", id, true)}, nil
}

// customersTransfer checks each customer (found, the caller's to see,
// transferable), hands the good ones over in one upstream call, and
// reports every customer's outcome in the order asked.
func (r *Resolver) customersTransfer(ctx context.Context, in model.CustomersTransferInput) (*model.CustomersTransferPayload, error) {
	if err := checkWrite(ctx); err != nil {
		return nil, err
	}
	if n := len(in.CustomerIds); n == 0 || n > maxTransfer {
		return nil, apperr.BadInput("input.customerIds takes 1 to %d ids, got %d", maxTransfer, n)
	}
	to, err := ownerQwUserID(in.ToStaffID)
	if err != nil {
		return nil, apperr.BadInput("input.toStaffId must be a staff member's qwUserId or a Staff id")
	}
	if _, listed, err := directoryEntry(ctx, to); err != nil || !listed {
		if err == nil {
			err = apperr.BadInput("input.toStaffId is not in the staff directory")
		}
		return nil, err
	}

	t := newTransfer(ctx, in.CustomerIds, r)
	t.load(ctx, r.Customers)
	t.check(ctx, to)
	if len(t.batch) > 0 {
		ids := make([]tanma.ID, len(t.batchOf))
		for i, j := range t.batchOf {
			ids[i] = t.items[j].cid
		}
		err := r.Customers.Transfer(ctx, tanma.TransferRequest{Customers: t.batch, ToQwUserID: to}, ids)
		t.sent(ctx, to, err)
	}
	return t.payload(in.ClientMutationID), nil
}

// readBack reads a customer from Tanma after a write (never a copy read
// before it). A failure nulls the payload's customer with an error at its
// path; the write itself succeeded. A new lead (newLead) has no owner yet
// and is shown to its creator; any other customer only to callers who may
// see its owner. payload names the mutation's payload type, whose
// customer field the errors are placed at (under its alias).
func (r *Resolver) readBack(ctx context.Context, payload string, id tanma.ID, newLead bool) *model.Customer {
	alias, sel, selected := child(ctx, selection(ctx), payload, "customer")
	if !selected {
		alias = "customer"
	}
	ctx = graphql.WithPathContext(ctx, graphql.NewPathWithField(alias))
	c, err := r.Customers.Fresh(ctx, id)
	if err == nil {
		if err = checkCustomer(ctx, c); newLead && ownerOf(c) == "" {
			err = nil // its creator sees the new lead
		}
	}
	if err != nil {
		graphql.AddError(ctx, err)
		return nil
	}
	return r.mapCustomer(ctx, *c, sel)
}

// writeError is what a caller sees of a failed write: Tanma's refusal of
// the values themselves (its validation codes, but a duplicate phone, which
// is CONFLICT) is BAD_USER_INPUT; anything else as the presenter shows it.
// Tanma's message is not shown: it may quote what was written.
func writeError(err error) error {
	var te *tanma.APIError
	if errors.As(err, &te) && errors.Is(te, tanma.ErrValidation) && !errors.Is(te, tanma.ErrDuplicatePhone) {
		return &apperr.Error{Code: apperr.BadUserInput, Extensions: map[string]any{"upstreamCode": te.Code},
			Message: fmt.Sprintf("Tanma refused the values (code %d): check them against customerFields and the customer", te.Code)}
	}
	return err
}
