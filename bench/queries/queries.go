// Package queries holds the GraphQL documents the gateway is measured with,
// shared by the Go benchmarks (graph/bench_test.go) and the load generator
// (bench/load), so both measure what dashboards select. Dashboard is
// README's dashboard query, character for character, DashboardFollowUps
// the same with the follow-ups line README adds and
// DashboardDeferredFollowUps with that line deferred (a test keeps them
// equal).
package queries

import (
	"fmt"
	"strings"
)

// typedFields selects every typed value of a customer's fields, as
// README's dashboard does.
const typedFields = `fields {
          key label kind text problem
          ... on SelectCustomerField { option { id label } }
          ... on MultiSelectCustomerField { options { label } }
          ... on DateCustomerField { date }
          ... on DateTimeCustomerField { dateTime }
          ... on NumberCustomerField { number }
          ... on PhoneCustomerField { phones }
        }`

// customer is what README's dashboard selects of each customer, typed
// fields included, follow-ups excluded.
const customer = `id customerId name mobiles gender updatedAt
        owner { name departments { name } }
        tags { name group { name } }
        stage { id label }
        source { label }
        ` + typedFields

// followUps is the line README's dashboard adds for the latest follow-up:
// one upstream call per customer.
const followUps = `
        followUps(first: 1) { edges { node { kind content createdAt author { name } } } }`

// deferredFollowUps is the same line deferred, as README shows it: the
// rows come first, each customer's follow-up in a later part.
const deferredFollowUps = `
        ... @defer { followUps(first: 1) { edges { node { kind content createdAt author { name } } } } }`

// page wraps a customer selection in README's connection query.
func page(name, selection string) string {
	return `query ` + name + `($owner: ID!, $after: String) {
  customers(ownerId: $owner, first: 50, after: $after) {
    edges {
      node {
        ` + selection + `
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`
}

// Dashboard is README's dashboard page (50 customers with owner and
// departments, tags with groups, stage and source labels, every typed
// field) without follow-ups. Variables: owner, after.
var Dashboard = page("Dashboard", customer)

// DashboardFollowUps is Dashboard plus each customer's latest follow-up,
// as README shows it.
var DashboardFollowUps = page("Dashboard", customer+followUps)

// DashboardDeferredFollowUps is DashboardFollowUps with the follow-ups
// deferred (README's @defer example): a client that accepts
// multipart/mixed gets the rows in the first part and the follow-ups in
// later ones.
var DashboardDeferredFollowUps = page("Dashboard", customer+deferredFollowUps)

// Fields is the page with nothing but each customer's typed fields.
var Fields = page("Fields", "id\n        "+typedFields)

// Typed is the page an outside comparison with GraphQL Mesh measured: the
// customers' plain properties, the owner's id, tag ids and the fields' key,
// kind and text (what Tanma's raw envelope carries, typed).
var Typed = page("Typed", `customerId owner { qwUserId } type createdAt updatedAt nickname avatarUrl externalUserId
        tags { id } fields { key kind text }`)

// IDs is the page reduced to the customers' ids: the upstream work and the
// connection without per-field cost.
var IDs = page("IDs", "id")

// AliasedFields asks the first 50 customers of each owner with their typed
// fields, in one query (one alias per owner).
func AliasedFields(owners []string) string {
	var b strings.Builder
	b.WriteString("query AliasedFields {")
	for i, o := range owners {
		fmt.Fprintf(&b, "\n  o%d: customers(ownerId: %q, first: 50) { edges { node { id %s } } }", i, o, typedFields)
	}
	b.WriteString("\n}")
	return b.String()
}
