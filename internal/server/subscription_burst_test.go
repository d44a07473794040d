package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/events/eventstest"
	"github.com/tanma-gql/gateway/internal/executor/wstest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestBurstKeepsSubscribersAlive: a bulk change in Tanma, 240 pushes about
// four customers (two of lina's, two of dowen's) arriving at once, at the
// default upstream quota (10 calls/s), ends no subscription. Each
// subscriber ends up with every customer's final state (or a RESYNC after
// its last event about it: it refetches); the customers are read far
// fewer times than there were events, and not at all for subscribers that
// neither select the customer nor need its owner. A caller scoped to lina,
// or asking for lina's customers, hears only of lina's, under coalescing
// and RESYNC alike.
func TestBurstKeepsSubscribersAlive(t *testing.T) {
	t.Parallel()
	const withCustomer = `kind customerId tagRemoved customer { customerId tags { qwTagId } }`
	for _, tc := range []struct {
		name      string
		key       string
		selection string
		owner     string // the ownerId argument ("": none)
		reads     bool   // the customers are read (selected, or needed to place the events)
		onlyLina  bool   // hears only of lina's customers
	}{
		{name: "unscoped, selecting the customer", key: keyAdmin, selection: withCustomer, reads: true},
		{name: "scoped to lina, selecting the customer", key: keyLina, selection: withCustomer, reads: true, onlyLina: true},
		{name: "asking for lina's customers", key: keyAdmin, selection: withCustomer, owner: "lina", reads: true, onlyLina: true},
		{name: "scoped to lina, not selecting the customer", key: keyLina, selection: `kind customerId tagRemoved`, reads: true, onlyLina: true},
		{name: "unscoped, not selecting the customer", key: keyAdmin, selection: `kind customerId tagRemoved`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := startGateway(t, gatewayOptions{QPS: tanma.DefaultQPS})
			lina, dowen := customerIDsOf(g.SB, "lina", 2), customerIDsOf(g.SB, "dowen", 2)
			ids := append(slices.Clone(lina), dowen...)
			owners := map[string]string{lina[0]: "lina", lina[1]: "lina", dowen[0]: "dowen", dowen[1]: "dowen"}
			tag := untaggedTag(t, g.SB, ids)
			// The tag library and staff are read before: the calls counted
			// are the events' own.
			require.Empty(t, g.send(t, request{query: `{ customers(ownerId: "lina", first: 1) { edges { node { tags { qwTagId } } } } }`,
				header: apiKey(keyAdmin)}).Errors)

			query := "subscription { customerChanged { " + tc.selection + " } }"
			if tc.owner != "" {
				query = fmt.Sprintf("subscription { customerChanged(ownerId: %q) { %s } }", tc.owner, tc.selection)
			}
			var subs []*burstSubscriber
			for range 2 {
				subs = append(subs, burstSubscribers(t, g, tc.key, query, 10, tag.QwTagID)...)
			}
			waitSubscribers(t, g, len(subs))
			g.SB.ResetCalls()

			// 60 rounds of an event about each customer; every 12th round
			// the tag really is added or removed first (a write of the
			// sandbox is slow under the race detector, a push is not), so
			// the customers end up tagged.
			const pushes = 240
			tagged := map[string]bool{}
			for i := range pushes {
				id := ids[i%len(ids)]
				if (i/len(ids))%12 == 11 {
					toggleTag(t, g.SB, id, tag.ID, tagged[id])
					tagged[id] = !tagged[id]
				}
				ev := tagEvent(id, owners[id])
				ev.Removed = !tagged[id]
				g.Bus.Publish(context.Background(), ev)
			}
			heard := ids
			if tc.onlyLina {
				heard = lina
			}
			final := map[string]bool{}
			for _, id := range heard {
				tid, _ := tanma.ParseID(id)
				c, _ := g.SB.Data().Customer(tid)
				final[id] = slices.Contains(c.TagIDs, tag.QwTagID)
			}
			// Settled: every subscriber has been quiet for a while (nothing
			// more on its way) and holds the final states, or one ended.
			require.Eventually(t, func() bool {
				for _, s := range subs {
					if s.hasEnded() {
						return true
					}
					if !s.quiet(time.Second) || !s.settled(final) {
						return false
					}
				}
				return true
			}, 30*time.Second, 50*time.Millisecond, "every subscriber ends up with the final state or a RESYNC: %v", subs)
			ended, unsettled := 0, 0
			for _, s := range subs {
				if s.hasEnded() {
					ended++
				} else if !s.settled(final) {
					unsettled++
				}
				if tc.onlyLina {
					for _, p := range s.payloads() {
						assertNoCustomerDataOf(t, p, g.SB, "dowen")
					}
				}
			}
			require.Zero(t, ended, "no subscriber ends: %v", subs)
			require.Zero(t, unsettled, "every subscriber ends up with the final state or a RESYNC: %v", subs)
			searches := g.SB.Calls(tanma.PathSearchCustomers)
			if tc.reads {
				assert.LessOrEqual(t, searches, int64(pushes/6), "the customers are read far fewer times than there were events")
			} else {
				assert.Zero(t, searches, "nothing selected needs the customer")
			}
		})
	}
}

// TestSlowSubscriberIsToldToResync: a subscriber that cannot be served
// every event (events about 100 customers at once, half of them lina's,
// half dowen's, for a caller scoped to lina whose events are each placed
// by reading the customer, at 10 calls/s) gets one RESYNC change, which
// names no customer, instead of losing its subscription; later events
// reach it as before. Nothing it receives names a customer of dowen's.
func TestSlowSubscriberIsToldToResync(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{QPS: tanma.DefaultQPS})
	lina := connected(t, g, keyLina)
	lina.Subscribe("1", `subscription { customerChanged { kind customerId owner { qwUserId } customer { customerId } } }`)
	waitSubscribers(t, g, 1)
	linas, dowens := customerIDsOf(g.SB, "lina", 50), customerIDsOf(g.SB, "dowen", 50)
	for i := range linas {
		g.Bus.Publish(context.Background(), tagEvent(dowens[i], "dowen"))
		g.Bus.Publish(context.Background(), tagEvent(linas[i], "lina"))
	}
	var got []string
	resyncs := 0
	deadline := time.After(15 * time.Second)
	for resyncs == 0 {
		select {
		case m, ok := <-lina.Msgs():
			require.True(t, ok, "the connection stays open")
			require.Equal(t, "next", m.Type, "the subscription goes on: %s", m.Payload)
			got = append(got, string(m.Payload))
			if strings.Contains(string(m.Payload), `"RESYNC"`) {
				resyncs++
				assert.JSONEq(t, `{"data":{"customerChanged":{"kind":"RESYNC","customerId":null,"owner":null,"customer":null}}}`, string(m.Payload))
			}
		case <-deadline:
			t.Fatal("no RESYNC after the subscriber fell behind")
		}
	}
	for _, m := range lina.Collect(3 * time.Second) {
		got = append(got, string(m.Payload))
		assert.NotContains(t, string(m.Payload), `"RESYNC"`, "one RESYNC for one burst")
	}
	for _, p := range got {
		assertNoCustomerDataOf(t, p, g.SB, "dowen")
	}
	assert.Equal(t, 1, g.Bus.Subscribers(), "still subscribed")
	g.Bus.Publish(context.Background(), tagEvent(dowens[0], "dowen"))
	g.Bus.Publish(context.Background(), tagEvent(linas[0], "lina"))
	d := nextData(t, lina, "1")
	assert.Equal(t, "TAGS_CHANGED", at(d, "customerChanged", "kind"))
	assert.Equal(t, linas[0], at(d, "customerChanged", "customer", "customerId"))
}

// untaggedTag is a tag of the library none of the customers ids has.
func untaggedTag(t *testing.T, sb *sandbox.Server, ids []string) sandbox.Tag {
	t.Helper()
	d := sb.Data()
	for _, grp := range d.TagGroups {
		for _, tg := range grp.Tags {
			if !slices.ContainsFunc(ids, func(id string) bool {
				tid, _ := tanma.ParseID(id)
				c, _ := d.Customer(tid)
				return slices.Contains(c.TagIDs, tg.QwTagID)
			}) {
				return tg
			}
		}
	}
	t.Fatal("every tag is on one of the customers")
	return sandbox.Tag{}
}

// toggleTag adds the tag to the customer in the sandbox, or removes it,
// as an operator would in Tanma (no push: the test publishes the event).
func toggleTag(t *testing.T, sb *sandbox.Server, customerID string, tagID tanma.ID, remove bool) {
	t.Helper()
	body := fmt.Sprintf(`{"customerId": %s, "tagId": %d, "remove": %t}`, customerID, tagID, remove)
	rec := httptest.NewRecorder()
	sb.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, sandbox.PathSimulateCustomerTag, strings.NewReader(body)))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
}

// burstSubscriber is one subscription's view of a burst: what it
// received, in order.
type burstSubscriber struct {
	customer bool // selects the customer
	mu       sync.Mutex
	got      []eventstest.Change
	raw      []string
	last     time.Time // when the latest message came
	ended    string    // the message that ended it (error, complete), or "closed"
}

// burstSubscribers opens one connection with key and n subscriptions of
// query on it, and records what each receives.
func burstSubscribers(t *testing.T, g *gateway, key, query string, n int, qwTagID string) []*burstSubscriber {
	t.Helper()
	c := connected(t, g, key)
	subs := map[string]*burstSubscriber{}
	var out []*burstSubscriber
	for i := range n {
		id := fmt.Sprint(i)
		subs[id] = &burstSubscriber{customer: strings.Contains(query, "customer {")}
		out = append(out, subs[id])
		c.Subscribe(id, query)
	}
	go func() {
		for m := range c.Msgs() {
			if s := subs[m.ID]; s != nil {
				s.record(m, qwTagID)
			}
		}
		for _, s := range out {
			s.mu.Lock()
			if s.ended == "" {
				s.ended = "closed"
			}
			s.mu.Unlock()
		}
	}()
	return out
}

func (s *burstSubscriber) record(m wstest.Message, qwTagID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = time.Now()
	if m.Type != "next" {
		s.ended = m.Type + " " + string(m.Payload)
		return
	}
	s.raw = append(s.raw, string(m.Payload))
	if ch, err := eventstest.ParseChange(m.Payload, qwTagID, s.customer); err == nil {
		s.got = append(s.got, ch)
	}
}

func (s *burstSubscriber) hasEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended != ""
}

// quiet reports whether nothing came for d.
func (s *burstSubscriber) quiet(d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.last) >= d
}

func (s *burstSubscriber) payloads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.raw)
}

// settled reports whether the subscriber holds every customer of final
// (whether it has the tag in the end) in that state, or a RESYNC after
// its last event about it (eventstest.Settled).
func (s *burstSubscriber) settled(final map[string]bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return eventstest.Settled(s.got, final)
}

func (s *burstSubscriber) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprintf("{%d received, ended %q}", len(s.got), s.ended)
}
