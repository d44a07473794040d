package graph

import (
	"context"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// transfer is one customersTransfer on its way: each asked customer's
// result, and the relations to send in the one upstream call.
type transfer struct {
	ref     model.Reference // what the payload's customers are typed with
	items   []transferItem
	batch   []tanma.TransferCustomer // what the upstream call carries
	batchOf []int                    // batch entry → index into items
}

type transferItem struct {
	result   model.CustomerTransferResult
	cid      tanma.ID
	load     func() (*tanma.Customer, error) // nil once the item has its result
	customer *tanma.Customer
}

func newTransfer(ids []string, ref model.Reference) *transfer {
	t := &transfer{ref: ref, items: make([]transferItem, len(ids))}
	for i, id := range ids {
		t.items[i].result.CustomerID = id
	}
	return t
}

// load parses every id and starts every lookup before awaiting any, so the
// customers are fetched in one loader batch.
func (t *transfer) load(ctx context.Context, store *customers.Store) {
	seen := map[tanma.ID]bool{}
	for i := range t.items {
		it := &t.items[i]
		cid, err := parseCustomerID(it.result.CustomerID)
		switch {
		case err != nil:
			it.fail(err)
		case seen[cid]:
			it.fail(apperr.BadInput("this customer is listed more than once"))
		default:
			seen[cid] = true
			// Whose customer it is now, not a copy listed a minute ago.
			it.cid, it.load = cid, store.Current(ctx, cid)
		}
	}
	for i := range t.items {
		if it := &t.items[i]; it.load != nil {
			c, err := it.load()
			it.load = nil
			if err != nil {
				it.fail(err)
				continue
			}
			it.customer = c
		}
	}
}

// check decides each loaded customer: refused, already the new owner's, or
// to be sent.
func (t *transfer) check(ctx context.Context, to string) {
	for i := range t.items {
		it := &t.items[i]
		c := it.customer
		if c == nil {
			continue
		}
		owner := ownerOf(c)
		switch {
		case !seesCustomer(ctx, c):
			it.customer = nil // nothing of it leaves
			it.fail(errCustomerHidden)
		case !seesStaff(ctx, to):
			it.customer = nil
			it.fail(errOutOfScope) // a scoped writer keeps its customers within its scope
		case owner == to:
			it.done(ctx, c, seesStaff(ctx, to), t.ref)
		case owner == "":
			it.fail(apperr.BadInput("this customer has no owner to hand it over from (a lead not yet assigned)"))
		case c.ExternalUserID == nil || *c.ExternalUserID == "":
			it.fail(apperr.BadInput("this customer has no WeChat external user id, which Tanma transfers by"))
		default:
			name := ""
			if n := c.Value(tanma.KeyName); n != nil {
				name = *n
			}
			t.batch = append(t.batch, tanma.TransferCustomer{CustomerName: name, ExternalID: *c.ExternalUserID, QwUserID: owner})
			t.batchOf = append(t.batchOf, i)
		}
	}
}

// sent records the upstream call's outcome for every customer it carried:
// Tanma answers for the batch as a whole.
func (t *transfer) sent(ctx context.Context, to string, err error) {
	seeNew := seesStaff(ctx, to)
	for _, i := range t.batchOf {
		it := &t.items[i]
		if err != nil {
			it.fail(writeError(err))
			continue
		}
		// Tanma answers a transfer with a code only: the payload's customer
		// is the copy read before it, with its new owner.
		moved := *it.customer
		moved.QwUserID = &to
		it.done(ctx, &moved, seeNew, t.ref)
	}
}

func (t *transfer) payload(clientMutationID *string) *model.CustomersTransferPayload {
	p := &model.CustomersTransferPayload{ClientMutationID: clientMutationID, Results: make([]model.CustomerTransferResult, len(t.items))}
	for i, it := range t.items {
		p.Results[i] = it.result
		if it.result.Ok {
			p.TransferredCount++
		}
	}
	return p
}

// done marks the customer handed over; it is shown when the caller may
// see its new owner.
func (it *transferItem) done(ctx context.Context, c *tanma.Customer, visible bool, ref model.Reference) {
	it.result.Ok = true
	if visible {
		it.result.Customer = model.NewCustomer(ctx, *c, fieldSet(ctx), ref)
	}
}

// fail records why the customer was not handed over, with the code and
// message the error presenter would give.
func (it *transferItem) fail(err error) {
	code, msg, _ := apperr.Classify(err)
	c := string(code)
	it.result.Ok, it.result.ErrorCode, it.result.Message = false, &c, &msg
}
