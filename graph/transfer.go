package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/customers"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// transfer is one customersTransfer on its way: each asked customer's
// result, and the relations to send in the one upstream call.
type transfer struct {
	ref     model.Reference // what the payload's customers are typed with
	places  []customerPlace // where the payload shows its customers
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

// customerPlace is one place the payload shows its results' customers: an
// alias of results, an alias of customer under it, and its selection.
type customerPlace struct {
	results, customer string
	sel               ast.SelectionSet
}

func newTransfer(ctx context.Context, ids []string, ref model.Reference) *transfer {
	t := &transfer{ref: ref, items: make([]transferItem, len(ids))}
	op := graphql.GetOperationContext(ctx)
	for _, r := range graphql.CollectFields(op, selection(ctx), []string{"CustomersTransferPayload"}) {
		if r.Name != "results" {
			continue
		}
		for _, c := range graphql.CollectFields(op, r.Selections, []string{"CustomerTransferResult"}) {
			if c.Name == "customer" {
				t.places = append(t.places, customerPlace{r.Alias, c.Alias, c.Selections})
			}
		}
	}
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
			t.done(ctx, i, c, seesStaff(ctx, to))
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
		t.done(ctx, i, &moved, seeNew)
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

// done marks item i's customer handed over; it is shown when the caller
// may see its new owner, its problems reported where the payload shows it.
func (t *transfer) done(ctx context.Context, i int, c *tanma.Customer, visible bool) {
	it := &t.items[i]
	it.result.Ok = true
	if !visible {
		return
	}
	m := model.NewCustomer(ctx, *c, fieldSet(ctx), t.ref)
	it.result.Customer = m
	if len(m.Problems) == 0 {
		return
	}
	for _, p := range t.places {
		at := graphql.WithPathContext(ctx, graphql.NewPathWithField(p.results))
		at = graphql.WithPathContext(at, graphql.NewPathWithIndex(i))
		at = graphql.WithPathContext(at, graphql.NewPathWithField(p.customer))
		reportProblems(at, p.sel, m.Problems)
	}
}

// fail records why the customer was not handed over, with the code and
// message the error presenter would give.
func (it *transferItem) fail(err error) {
	code, msg, _ := apperr.Classify(err)
	c := string(code)
	it.result.Ok, it.result.ErrorCode, it.result.Message = false, &c, &msg
}
