package graph

import (
	"time"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/graph/relay"
	"github.com/tanma-gql/gateway/internal/customers"
)

// Query cost model, checked before a query runs: every field costs 1 plus
// its selection (gqlgen's default); a connection multiplies its selection by
// the page size asked for (first, or the default), which bounds what it can
// return; a field that costs an upstream call for each parent adds
// upstreamCallCost. So the dashboard query of the README (50 customers,
// typed fields, latest follow-up each) costs about 3,400, and asking 20
// follow-ups for each of 100 customers is over the default budget.
// The budget (MAX_COMPLEXITY) is internal/limits'.
const upstreamCallCost = 10

// complexity returns the cost functions of the schema's expensive fields.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Customers = func(child int, _ string, first *int, _ *string, _ *int, _ *string, _, _ *time.Time) int {
		return connectionCost(child, first, customers.PageLimits) + upstreamCallCost
	}
	c.Staff.Customers = func(child int, first *int, _ *string, _ *int, _ *string, _, _ *time.Time) int {
		return connectionCost(child, first, customers.PageLimits) + upstreamCallCost
	}
	c.Query.SearchCustomers = func(child int, _ *model.CustomerFilter, first *int, _ *string) int {
		return connectionCost(child, first, customers.PageLimits) + upstreamCallCost
	}
	c.Query.Staff = func(child int, _ *string, first *int, _ *string) int {
		return connectionCost(child, first, staffLimits)
	}
	c.Customer.FollowUps = func(child int, first *int, _ *string) int {
		return connectionCost(child, first, customers.FollowUpLimits) + upstreamCallCost
	}
	c.Staff.Departments = func(child int) int { return 1 + child + upstreamCallCost }
	c.Query.Customer = func(child int, _ string) int { return 1 + child + upstreamCallCost }
	c.Query.Node = func(child int, _ string) int { return 1 + child + upstreamCallCost }
	c.Query.Nodes = func(child int, ids []string) int { return 1 + len(ids)*(child+upstreamCallCost) }
	// A router's entity fetch costs what nodes costs for as many ids: each
	// representation may be an upstream call (entities.go).
	c.Query.__resolve_entities = func(child int, reps []map[string]any) int { return 1 + len(reps)*(child+upstreamCallCost) }
	// A write costs its upstream calls: the write, a lookup or a read back,
	// and for a transfer a lookup of each customer (its payload holds one
	// result per customer).
	c.Mutation.CustomerUpdate = func(child int, _ model.CustomerUpdateInput) int { return 1 + child + 3*upstreamCallCost }
	c.Mutation.ClueCreate = func(child int, _ model.ClueCreateInput) int { return 1 + child + 2*upstreamCallCost }
	c.Mutation.CustomersTransfer = func(child int, in model.CustomersTransferInput) int {
		return 1 + len(in.CustomerIds)*child + (len(in.CustomerIds)+1)*upstreamCallCost
	}
	return c
}

// connectionCost is a connection's cost for the page size asked for; an
// out-of-range first counts as the maximum (it is rejected when it runs).
func connectionCost(child int, first *int, lim relay.Limits) int {
	n := lim.Default
	if first != nil {
		n = min(max(*first, 0), lim.Max)
		if *first < 0 || *first > lim.Max {
			n = lim.Max
		}
	}
	return 1 + n*child
}
