package server_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Writers of the visibility test: the gate must hold for callers that may
// write, too.
const (
	keyLinaWriter  = "tk_linaw_5e0b17c2"  // scoped to lina, may write
	keyAdminWriter = "tk_adminw_0f9d8e31" // unscoped, may write
)

// routeAttack is one attempt to reach another staff member's customer
// through a route of the schema: served to a caller scoped to lina, the
// answer must hold nothing of any other staff member's customers; served
// to an unscoped caller (the control), the same query must reach one, or
// the attempt proves nothing.
type routeAttack struct {
	query string
	// events, when set, make query a subscription: it is opened over
	// WebSocket, these events are published as the push receiver would,
	// and the answer is every message that arrives.
	events []events.Event
	// noControl says why the query cannot reach another owner's customer
	// even unscoped ("" when it can, and the control runs).
	noControl string
}

// customerRoutes lists, as "Type.field", every field of the schema that can
// lead to a customer: its type is Customer, or an interface Customer
// implements, or an object with such a field, at any depth. Fields of the
// connection, edge, payload and result wrappers are left out: they only
// carry what the field that returned them decided (and so is the
// federation plugin's Entity, which nothing reaches).
func customerRoutes(s *ast.Schema) []string {
	reaches := map[string]bool{"Customer": true}
	for changed := true; changed; {
		changed = false
		for name, def := range s.Types {
			if reaches[name] || strings.HasPrefix(name, "__") {
				continue
			}
			hit := false
			for _, impl := range s.PossibleTypes[name] {
				hit = hit || (def.Kind != ast.Object && reaches[impl.Name])
			}
			for _, f := range def.Fields {
				hit = hit || reaches[f.Type.Name()]
			}
			if hit {
				reaches[name], changed = true, true
			}
		}
	}
	var out []string
	for name, def := range s.Types {
		if def.Kind != ast.Object || strings.HasPrefix(name, "__") || isWrapper(name) {
			continue
		}
		for _, f := range def.Fields {
			if reaches[f.Type.Name()] && !strings.HasPrefix(f.Name, "__") {
				out = append(out, name+"."+f.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func isWrapper(typeName string) bool {
	if typeName == "Entity" {
		// gqlgen's federation plugin declares it for the signatures of the
		// entity resolvers; no root reaches it (Query._entities does).
		return true
	}
	for _, suffix := range []string{"Connection", "Edge", "Payload", "Result"} {
		if strings.HasSuffix(typeName, suffix) {
			return true
		}
	}
	return false
}

// TestEveryRouteToACustomerIsGated: every field that can lead to a customer
// (enumerated from the schema, so a new one fails here until it has a
// case) is tried by a caller scoped to lina, reading and writing, and
// never yields anything of another staff member's customers; the same
// query from an unscoped caller does, so each attempt is a real one.
func TestEveryRouteToACustomerIsGated(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	linaFirst := customerIDsOf(sb, "lina", 1)[0]
	dowen := dowenSeedCustomerID
	movable := "" // a customer of dowen's that Tanma can transfer (it has a WeChat external user id)
	for _, c := range sb.Data().CustomersOf("dowen") {
		if c.ExternalUserID != nil && *c.ExternalUserID != "" {
			movable = c.CustomerID.String()
			break
		}
	}
	require.NotEmpty(t, movable)
	dowenID, _ := tanma.ParseID(dowen)
	const customer = `customerId name mobiles owner { qwUserId }`
	attacks := map[string]routeAttack{
		"Query.customer":          {query: `{ customer(id: "` + dowen + `") { ` + customer + ` } }`},
		"Query.node":              {query: `{ node(id: "` + customerGID(dowen) + `") { ... on Customer { ` + customer + ` } } }`},
		"Query.nodes":             {query: `{ nodes(ids: ["` + customerGID(linaFirst) + `", "` + customerGID(dowen) + `"]) { ... on Customer { ` + customer + ` } } }`},
		"Query.customers":         {query: `{ customers(ownerId: "dowen", first: 5) { edges { node { ` + customer + ` } } } }`},
		"Query.searchCustomers":   {query: `{ searchCustomers(filter: {text: "张三测"}, first: 20) { totalCount edges { node { ` + customer + ` } } } }`},
		"Query.staff":             {query: `{ staff(first: 100) { edges { node { qwUserId customers(first: 3) { edges { node { customerId } } } } } } }`},
		"Query.staffMember":       {query: `{ staffMember(qwUserId: "dowen") { customers(first: 3) { edges { node { customerId } } } } }`},
		"Staff.customers":         {query: `{ node(id: "` + staffGID("dowen") + `") { ... on Staff { customers(first: 3) { edges { node { customerId } } } } } }`},
		"Customer.owner":          {query: `{ nodes(ids: ["` + customerGID(linaFirst) + `", "` + customerGID(dowen) + `"]) { ... on Customer { owner { qwUserId customers(first: 3) { edges { node { customerId } } } } } } }`},
		"Customer.followUps":      {query: `{ customer(id: "` + dowen + `") { customerId followUps(first: 3) { edges { node { content } } } } }`},
		"FollowUp.author":         {query: `{ customers(ownerId: "lina", first: 40) { edges { node { followUps(first: 5) { edges { node { author { qwUserId customers(first: 2) { edges { node { customerId } } } } } } } } } } }`},
		"Mutation.customerUpdate": {query: `mutation { customerUpdate(input: {id: "` + dowen + `", fields: [{key: "description", text: "seen"}]}) { customer { ` + customer + ` } } }`},
		"Mutation.clueCreate": {query: `mutation { clueCreate(input: {name: "新线索", mobiles: ["` + dowenSeedMobile + `"]}) { customer { ` + customer + ` } } }`,
			noControl: "a new lead has no owner, and a phone number another customer has is a CONFLICT that names no one"},
		"Query._entities": {query: `{ _entities(representations: [{__typename: "Customer", customerId: "` + dowen + `"},
			{__typename: "Customer", id: "` + customerGID(dowen) + `"}, {__typename: "Staff", qwUserId: "dowen"}]) {
			... on Customer { ` + customer + ` } ... on Staff { qwUserId customers(first: 3) { edges { node { customerId } } } } } }`},
		"Subscription.customerChanged": {query: `subscription { customerChanged { customerId customer { ` + customer + ` } } }`,
			events: []events.Event{tagEvent(dowen, "dowen")}},
		"CustomerChange.customer": {query: `subscription { customerChanged { customer { ` + customer + ` } } }`,
			events: []events.Event{
				{Kind: events.CustomerContact, MsgID: "1", CustomerID: dowenID}, // no owner named: placed by the customer read
				tagEvent(dowen, "lina"), // a push that names the wrong owner
			}},
		"CustomerChange.owner": {query: `subscription { customerChanged { owner { qwUserId customers(first: 3) { edges { node { customerId } } } } } }`,
			events: []events.Event{{Kind: events.NewCustomer, MsgID: "2", Owner: "dowen", ExternalUserID: "wm-new"}}},
		"Mutation.customersTransfer": {query: `mutation {
			take: customersTransfer(input: {customerIds: ["` + movable + `"], toStaffId: "lina"}) { results { ok errorCode customer { ` + customer + ` } } }
			give: customersTransfer(input: {customerIds: ["` + linaFirst + `"], toStaffId: "dowen"}) { results { ok customer { ` + customer + ` } } } }`},
	}
	routes := customerRoutes(graph.NewSchema(nil).Schema())
	covered := make([]string, 0, len(attacks))
	for r := range attacks {
		covered = append(covered, r)
	}
	sort.Strings(covered)
	require.Equal(t, routes, covered, "every field that can lead to a customer has an attack (and no attack names a field that cannot)")

	keys := []auth.APIKey{
		{ID: "lina-writer", SHA256: auth.HashAPIKey(keyLinaWriter), StaffIDs: []string{"lina"}, Permissions: []string{auth.PermWrite}},
		{ID: "admin-writer", SHA256: auth.HashAPIKey(keyAdminWriter), Permissions: []string{auth.PermWrite}},
	}
	for route, a := range attacks {
		t.Run(route, func(t *testing.T) {
			t.Parallel()
			// A gateway each: the mutations change the sandbox.
			scoped := startGateway(t, gatewayOptions{Keys: keys, NoJWT: true})
			before := scoped.SB.Data()
			r := attack(t, scoped, a, keyLinaWriter)
			require.True(t, r.JSON, r.Body)
			assertOthersUnchanged(t, before, scoped.SB.Data(), "lina")
			for _, st := range scoped.SB.Data().Staff {
				if st.QwUserID != "lina" {
					assertNoCustomerDataOf(t, r.Body, scoped.SB, st.QwUserID, a.query)
				}
			}
			for _, c := range r.codes() {
				assert.Contains(t, []string{"FORBIDDEN", "NOT_FOUND", "CONFLICT"}, c, "a refusal is the gate's: %s", r.Body)
			}
			if a.noControl != "" {
				return
			}
			unscoped := startGateway(t, gatewayOptions{Keys: keys, NoJWT: true})
			c := attack(t, unscoped, a, keyAdminWriter)
			assert.True(t, reachesOthers(c.Body, unscoped.SB, "lina", a.query), "unscoped, the query reaches no other owner's customer: %s", clipBody(c.Body))
		})
	}
}

// attack runs a route attack with key: a query or mutation over HTTP, or
// a subscription over WebSocket that hears its events; the reply's body is
// then every message that came within a second.
func attack(t *testing.T, g *gateway, a routeAttack, key string) reply {
	t.Helper()
	if a.events == nil {
		return g.post(t, a.query, apiKey(key))
	}
	c := connected(t, g, key)
	c.Subscribe("1", a.query)
	waitSubscribers(t, g, 1)
	for _, ev := range a.events {
		g.Bus.Publish(context.Background(), ev)
	}
	var payloads []string
	for _, m := range c.Collect(time.Second) {
		payloads = append(payloads, string(m.Payload))
	}
	body := `{"data":{"messages":[` + strings.Join(payloads, ",") + `]}}`
	return reply{Status: http.StatusOK, Body: body, JSON: true}
}

// assertOthersUnchanged asserts that every customer another staff member
// than owner had before is still theirs, unchanged: nothing was written to
// it.
func assertOthersUnchanged(t *testing.T, before, after *sandbox.Dataset, owner string) {
	t.Helper()
	now := make(map[tanma.ID]tanma.Customer, len(after.Customers))
	for _, c := range after.Customers {
		now[c.CustomerID] = c
	}
	for _, c := range before.Customers {
		if c.QwUserID != nil && *c.QwUserID == owner {
			continue
		}
		if !assert.Equal(t, c, now[c.CustomerID], "customer %s of another owner was changed", c.CustomerID) {
			return
		}
	}
}

// reachesOthers reports whether body holds a customer of a staff member
// other than owner (as owned when the answer came).
func reachesOthers(body string, sb *sandbox.Server, owner, query string) bool {
	for _, st := range sb.Data().Staff {
		if st.QwUserID == owner {
			continue
		}
		for _, id := range customerIDsOf(sb, st.QwUserID, 0) {
			// An id the query named itself counts only as a customer served.
			if strings.Contains(body, `"customerId":"`+id+`"`) ||
				(!strings.Contains(query, id) && (strings.Contains(body, id) || strings.Contains(body, customerGID(id)))) {
				return true
			}
		}
	}
	return false
}
