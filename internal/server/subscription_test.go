package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/executor/wstest"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

const customerChangedQuery = `subscription { customerChanged { kind customerId owner { qwUserId }
	customer { customerId name owner { qwUserId } fields { key } } receivedAt } }`

// tagEvent is a customer tag push as the receiver publishes it.
func tagEvent(customerID, owner string) events.Event {
	id, _ := tanma.ParseID(customerID)
	return events.Event{Kind: events.CustomerTags, MsgID: customerID, CustomerID: id, Owner: owner, TagID: "1",
		ReceivedAt: time.Now()}
}

// nextData waits for the next "next" message of subscription id and
// returns its data.
func nextData(t *testing.T, c *wstest.Client, id string) map[string]any {
	t.Helper()
	data, errs := eventPayload(t, c, id)
	require.Empty(t, errs)
	return data
}

// connected is a graphql-transport-ws client of g with the API key key,
// its connection acknowledged.
func connected(t *testing.T, g *gateway, key string) *wstest.Client {
	t.Helper()
	c := wstest.Dial(t, g.URL+"/query", apiKey(key))
	require.Equal(t, "connection_ack", c.Init(nil))
	return c
}

// waitSubscribers waits until n subscriptions are open on g's bus.
func waitSubscribers(t *testing.T, g *gateway, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return g.Bus.Subscribers() == n }, 5*time.Second, 5*time.Millisecond)
}

// TestSubscriptionsOverWebSocket: a client speaking graphql-transport-ws
// subscribes and receives each event with the customer read fresh (typed
// fields included) and the tag library after a change.
func TestSubscriptionsOverWebSocket(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	c := connected(t, g, keyAdmin)
	c.Subscribe("1", customerChangedQuery)
	c.Subscribe("2", `subscription { tagLibraryChanged { kind target name tagGroups { name tags { name } } } }`)
	waitSubscribers(t, g, 2)

	g.Bus.Publish(context.Background(), tagEvent(dowenSeedCustomerID, "dowen"))
	d := nextData(t, c, "1")
	assert.Equal(t, "TAGS_CHANGED", at(d, "customerChanged", "kind"))
	assert.Equal(t, dowenSeedCustomerID, at(d, "customerChanged", "customer", "customerId"))
	assert.Equal(t, "dowen", at(d, "customerChanged", "customer", "owner", "qwUserId"))
	fields, _ := at(d, "customerChanged", "customer", "fields").([]any)
	assert.NotEmpty(t, fields, "the customer's typed fields")
	received, _ := at(d, "customerChanged", "receivedAt").(string)
	assert.True(t, strings.HasSuffix(received, "+08:00"), "receivedAt in China time, as every time: %q", received)

	g.Bus.Publish(context.Background(), events.Event{Kind: events.TagLibrary, MsgID: "7", Change: "CREATED", Target: "TAG", Name: "新标签"})
	d = nextData(t, c, "2")
	assert.Equal(t, "CREATED", at(d, "tagLibraryChanged", "kind"))
	groups, _ := at(d, "tagLibraryChanged", "tagGroups").([]any)
	assert.NotEmpty(t, groups)
}

// TestSubscriptionAuthentication: browsers cannot set headers on the
// upgrade, so connection_init's payload carries the credential; a wrong
// or missing one closes the connection with 4403 before anything runs.
func TestSubscriptionAuthentication(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	for _, tc := range []struct {
		name    string
		payload map[string]any
		ok      bool
	}{
		{"api key in the payload", map[string]any{"X-API-Key": keyAdmin}, true},
		{"api key in lower case", map[string]any{"x-api-key": keyLina}, true},
		{"nested headers", map[string]any{"headers": map[string]any{"X-API-Key": keyAdmin}}, true},
		{"bearer token", map[string]any{"Authorization": "Bearer " + g.Issuer.Token(t, nil)}, true},
		{"wrong key", map[string]any{"X-API-Key": "tk_wrong"}, false},
		{"no credential", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := wstest.Dial(t, g.URL+"/query", nil)
			got := c.Init(tc.payload)
			if tc.ok {
				assert.Equal(t, "connection_ack", got)
				return
			}
			assert.NotEqual(t, "connection_ack", got)
			assert.Equal(t, websocket.StatusCode(4403), c.Ended(3*time.Second))
		})
	}
}

// TestSubscriptionScope: a caller scoped to lina hears only of lina's
// customers, events that name no owner or another one included (placed by
// the customer read for them), and may not subscribe to another staff
// member's.
func TestSubscriptionScope(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	lina := connected(t, g, keyLina)
	lina.Subscribe("1", customerChangedQuery)
	admin := connected(t, g, keyAdmin)
	admin.Subscribe("1", customerChangedQuery)
	waitSubscribers(t, g, 2)

	linaFirst := customerIDsOf(g.SB, "lina", 1)[0]
	dowenID, _ := tanma.ParseID(dowenSeedCustomerID)
	heard := 0
	for _, ev := range []events.Event{
		tagEvent(dowenSeedCustomerID, "dowen"),
		{Kind: events.CustomerContact, MsgID: "2", CustomerID: dowenID}, // no owner named
		// A push naming lina for dowen's customer (lina tagged a contact
		// they share, or the customer was since transferred): placed by
		// the customer's owner as Tanma has it, not by the name in the push.
		tagEvent(dowenSeedCustomerID, "lina"),
		tagEvent(linaFirst, "lina"),
	} {
		// Each once the unscoped caller has heard the one before: events
		// about one customer that wait together coalesce.
		g.Bus.Publish(context.Background(), ev)
		if m, ok := admin.Next(5 * time.Second); ok && m.Type == "next" {
			heard++
		}
	}

	got := lina.Collect(time.Second)
	require.Len(t, got, 1, "lina hears only of lina's customer: %v", got)
	assert.Contains(t, string(got[0].Payload), linaFirst)
	for _, st := range g.SB.Data().Staff {
		if st.QwUserID != "lina" {
			assertNoCustomerDataOf(t, string(got[0].Payload), g.SB, st.QwUserID)
		}
	}
	assert.Equal(t, 4, heard, "an unscoped caller hears of all four")

	lina.Subscribe("2", `subscription { customerChanged(ownerId: "dowen") { kind } }`)
	m, ok := lina.Next(3 * time.Second)
	require.True(t, ok)
	assert.Equal(t, "2", m.ID)
	assert.Contains(t, string(m.Payload), "FORBIDDEN")
	assert.Contains(t, string(m.Payload), `"data":null`)
}

// TestWebSocketOrigin: no cross-site WebSocket hijacking: an upgrade from
// a foreign Origin is refused; one from the gateway's own host, from an
// origin CORS allows, or from no browser at all is accepted.
func TestWebSocketOrigin(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{CORS: server.CORS{AllowedOrigins: []string{"https://dash.example.com"}}})
	host := strings.TrimPrefix(g.URL, "http://")
	for _, tc := range []struct {
		origin string
		ok     bool
	}{
		{"https://evil.example.net", false},
		{"http://" + host + ".evil.example.net", false},
		{"https://dash.example.com", true},
		{"http://" + host, true},
		{"", true},
	} {
		t.Run(tc.origin, func(t *testing.T) {
			h := apiKey(keyAdmin)
			if tc.origin != "" {
				h.Set("Origin", tc.origin)
			}
			_, resp, err := wstest.TryDial(t, g.URL+"/query", h)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		})
	}
}

// TestSubscriptionLimitPerConnection: a connection holds at most
// MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions; ending one frees its
// slot.
func TestSubscriptionLimitPerConnection(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSubscriptionsPerConnection: 2}})
	c := connected(t, g, keyAdmin)
	c.Subscribe("1", customerChangedQuery)
	c.Subscribe("2", customerChangedQuery)
	waitSubscribers(t, g, 2)
	c.Subscribe("3", customerChangedQuery)
	m, ok := c.Next(3 * time.Second)
	require.True(t, ok)
	assert.Contains(t, string(m.Payload), "QUERY_LIMIT_EXCEEDED")
	assert.Contains(t, string(m.Payload), "subscriptionsPerConnection")
	c.Send(wstest.Message{ID: "1", Type: "complete"})
	waitSubscribers(t, g, 1)
	next := 4 // a new id each try: one refused is in use until its complete arrives
	require.Eventually(t, func() bool {
		c.Subscribe(strconv.Itoa(next), customerChangedQuery)
		next++
		return g.Bus.Subscribers() == 2
	}, 3*time.Second, 100*time.Millisecond, "the freed slot is taken")
}

// TestSubscriptionsEndAtShutdown: EndSubscriptions closes the connections,
// which http.Server.Shutdown would not wait for.
func TestSubscriptionsEndAtShutdown(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	c := connected(t, g, keyAdmin)
	c.Subscribe("1", customerChangedQuery)
	waitSubscribers(t, g, 1)
	g.Server.EndSubscriptions()
	assert.NotEqual(t, websocket.StatusCode(-1), c.Ended(5*time.Second), "the connection is closed")
	waitSubscribers(t, g, 0)
}

// TestSubscribeCyclesLeakNothing: 1,000 subscribe/complete cycles, then
// the connection closed: the goroutines return to where they were.
// A completed subscription's slot is given back a moment after its
// complete is read (context.AfterFunc): with the default limit of 20 per
// connection, a subscribe right behind 20 completes may be refused, which
// is not what this test is about, so the limits are out of reach here.
func TestSubscribeCyclesLeakNothing(t *testing.T) {
	g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSubscriptionsPerConnection: 2000, MaxSubscriptionsPerCaller: 2000}})
	settle := func() int {
		time.Sleep(200 * time.Millisecond)
		return runtime.NumGoroutine()
	}
	before := settle()
	c := connected(t, g, keyAdmin)
	go func() {
		for range c.Msgs() { // the server's complete for each
		}
	}()
	for i := range 1000 {
		id := fmt.Sprint(i)
		c.Subscribe(id, customerChangedQuery)
		if i%100 == 0 { // now and then, a subscription that is really open
			waitSubscribers(t, g, 1)
		}
		c.Send(wstest.Message{ID: id, Type: "complete"})
		if i%100 == 0 {
			waitSubscribers(t, g, 0)
		}
	}
	waitSubscribers(t, g, 0)
	c.Close()
	require.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+2 }, 5*time.Second, 50*time.Millisecond,
		"goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

// eventPayload waits for the next "next" message of subscription id and
// returns its data and errors.
func eventPayload(t *testing.T, c *wstest.Client, id string) (map[string]any, []gqlError) {
	t.Helper()
	for {
		m, ok := c.Next(5 * time.Second)
		require.True(t, ok, "no message")
		if m.Type != "next" || m.ID != id {
			continue
		}
		var p struct {
			Data   map[string]any `json:"data"`
			Errors []gqlError     `json:"errors"`
		}
		require.NoError(t, json.Unmarshal(m.Payload, &p))
		return p.Data, p.Errors
	}
}

// TestSubscriptionsAreFaithfulToo: an event's customer is read by the
// customer store, so the rules of every other entry point hold: a value of
// the wrong JSON type is null with an error at its path and the rest is
// served, fields in the definitions' order; a search by id answering an
// item without id is UPSTREAM_INVALID at the customer, never customer "0".
func TestSubscriptionsAreFaithfulToo(t *testing.T) {
	t.Parallel()
	var broken atomic.Bool
	broken.Store(true)
	g := startGateway(t, gatewayOptions{Upstream: sandboxtest.Rewrite(tanma.PathSearchCustomers, func(_, env map[string]any) {
		data, _ := env["data"].(map[string]any)
		list, _ := data["data"].([]any)
		for _, it := range list {
			it := it.(map[string]any)
			if broken.Load() {
				it["qwRemark"] = 42
				fields := it["fields"].([]any)
				slices.Reverse(fields)
			} else {
				delete(it, "customerId")
			}
		}
	})})
	c := connected(t, g, keyAdmin)
	c.Subscribe("1", `subscription { customerChanged { customer { customerId remark name fields { key } } } }`)
	waitSubscribers(t, g, 1)

	g.Bus.Publish(context.Background(), tagEvent(dowenSeedCustomerID, "dowen"))
	d, errs := eventPayload(t, c, "1")
	assert.Equal(t, dowenSeedCustomerID, at(d, "customerChanged", "customer", "customerId"))
	assert.Nil(t, at(d, "customerChanged", "customer", "remark"))
	assert.NotNil(t, at(d, "customerChanged", "customer", "name"), "the rest is served")
	require.Len(t, errs, 1)
	assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"])
	assert.Equal(t, []any{"customerChanged", "customer", "remark"}, errs[0].Path, "the whole path, from the root field")
	fields, _ := at(d, "customerChanged", "customer", "fields").([]any)
	require.NotEmpty(t, fields)
	assert.Equal(t, "customer_source", fields[0].(map[string]any)["key"], "the definitions' order, not the answer's")

	broken.Store(false)
	g.Bus.Publish(context.Background(), tagEvent(dowenSeedCustomerID, "dowen"))
	d, errs = eventPayload(t, c, "1")
	assert.Nil(t, at(d, "customerChanged", "customer"))
	require.Len(t, errs, 1)
	assert.Equal(t, "UPSTREAM_INVALID", errs[0].Extensions["code"])
	assert.Equal(t, []any{"customerChanged", "customer"}, errs[0].Path)
}

// TestSubscriptionsMaskPersonalData: an event's customer and the event's
// own WeChat id reach a subscriber without the personal-data permission
// masked (no whole phone number), and whole to one with it.
func TestSubscriptionsMaskPersonalData(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	const q = `subscription { customerChanged { externalUserId customer { mobiles fields { key text ... on PhoneCustomerField { phones } } } } }`
	plain, people := connected(t, g, keyAdmin), connected(t, g, keyPeople)
	plain.Subscribe("1", q)
	people.Subscribe("1", q)
	waitSubscribers(t, g, 2)
	ev := tagEvent(dowenSeedCustomerID2, "dowen")
	ev.ExternalUserID = "wmExternal0001"
	g.Bus.Publish(context.Background(), ev)
	masked, _ := json.Marshal(nextData(t, plain, "1"))
	whole, _ := json.Marshal(nextData(t, people, "1"))
	assert.NotContains(t, string(masked), dowenSeedMobile)
	assert.Contains(t, string(masked), "189****5284")
	assert.NotContains(t, string(masked), "wmExternal0001", "WeChat ids withheld")
	assert.Contains(t, string(whole), dowenSeedMobile)
	assert.Contains(t, string(whole), "wmExternal0001")
}

// TestUnscopedOwnerIsTheOwnerAsRead: an unscoped subscriber that selects
// owner (and not customer) is told the customer's owner as Tanma has it,
// not the staff member the push names; it was the push's claim.
func TestUnscopedOwnerIsTheOwnerAsRead(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	c := connected(t, g, keyAdmin)
	c.Subscribe("1", `subscription { customerChanged { customerId owner { qwUserId } } }`)
	waitSubscribers(t, g, 1)
	g.Bus.Publish(context.Background(), tagEvent(dowenSeedCustomerID, "lina")) // dowen's customer, lina named
	d := nextData(t, c, "1")
	assert.Equal(t, "dowen", at(d, "customerChanged", "owner", "qwUserId"))
}
