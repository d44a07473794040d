package app

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor/wstest"
	"github.com/tanma-gql/gateway/internal/redisstore/redistest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// pushTo sends a push of plaintext to a replica's receiver, signed and
// encrypted with the sandbox app's credentials as Tanma would, and returns
// the answer's status and body.
func pushTo(t *testing.T, replicaURL, plaintext string) (int, string) {
	t.Helper()
	req, err := tanma.PushRequest(replicaURL+"/tanma/events", []byte(plaintext), sandbox.DefaultAppID,
		tanma.CorpID(sandbox.DefaultAppID), sandbox.DefaultAppKey, time.Now())
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestPushReachesSubscribersOnEveryReplica: two replicas over one real
// Redis. A push that reaches replica A's receiver reaches a subscription
// connected to replica B, with the customer read fresh there, and replica
// B forgets its copy of the customer; Tanma's
// re-send of the same push to replica B is acknowledged and not applied
// again.
func TestPushReachesSubscribersOnEveryReplica(t *testing.T) {
	redis := redistest.Start(t)
	sb := &sandbox.Server{}
	ts := httptest.NewServer(sb)
	t.Cleanup(ts.Close)
	rs := startReplicas(t, 2, ts.URL, redis.URL(), 100)
	a, b := rs[0], rs[1]

	c := wstest.Dial(t, b.url+"/query", http.Header{"X-Api-Key": {testAPIKey}})
	require.Equal(t, "connection_ack", c.Init(nil))
	c.Subscribe("1", `subscription { customerChanged { kind customerId customer { customerId owner { qwUserId } } } }`)
	require.Eventually(t, func() bool { return b.resolver.Events.Subscribers() == 1 }, 5*time.Second, 10*time.Millisecond)

	// Replica B holds the seed customer from a list it served; then the
	// customer gains a tag in Tanma (not through the gateway).
	seedTags := func(r *testReplica) string {
		res, err := post(r.url, map[string]any{"query": `{ customer(id: "398604120668224") { tags { qwTagId } } }`})
		require.NoError(t, err)
		require.Empty(t, res.Errors, res.Raw)
		return res.Raw
	}
	res, err := post(b.url, map[string]any{"query": `{ customers(ownerId: "dowen", first: 3) { edges { node { customerId } } } }`})
	require.NoError(t, err)
	require.Contains(t, res.Raw, "398604120668224")
	before := seedTags(b)
	seed := sb.Data().CustomersOf("dowen")[0]
	var tag sandbox.Tag
	for _, g := range sb.Data().TagGroups {
		for _, tg := range g.Tags {
			if !slices.Contains(seed.TagIDs, tg.QwTagID) {
				tag = tg
			}
		}
	}
	require.NotZero(t, tag.ID)
	sim, err := http.Post(ts.URL+"/sandbox/simulate/customer-tag", "application/json",
		strings.NewReader(fmt.Sprintf(`{"customerId": 398604120668224, "tagId": %d}`, tag.ID)))
	require.NoError(t, err)
	sim.Body.Close()
	require.Equal(t, http.StatusOK, sim.StatusCode)
	assert.Equal(t, before, seedTags(b), "without the push, replica B serves its copy (listed lately)")

	const push = `{"noise":9223372036854775807,"msgId":4242,"type":"customer_contact_edit","content":{"customerId":"398604120668224","contactId":"","eventId":"1"}}`
	status, body := pushTo(t, a.url, push)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "9223372036854775807", body)

	m, ok := c.Next(5 * time.Second)
	require.True(t, ok, "replica B's subscriber heard the push replica A received")
	var p struct {
		Data struct {
			CustomerChanged struct {
				Kind       string
				CustomerID string
				Customer   struct {
					CustomerID string
					Owner      struct{ QwUserID string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal(m.Payload, &p), string(m.Payload))
	assert.Equal(t, "CONTACT_EDITED", p.Data.CustomerChanged.Kind)
	assert.Equal(t, "398604120668224", p.Data.CustomerChanged.Customer.CustomerID)
	assert.Equal(t, "dowen", p.Data.CustomerChanged.Customer.Owner.QwUserID)
	assert.Contains(t, seedTags(b), tag.QwTagID, "replica B forgot its copy when it heard the push replica A received")

	status, body = pushTo(t, b.url, push) // Tanma sends it again, to the other replica
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "9223372036854775807", body, "a replay is acknowledged too")
	assert.Empty(t, c.Collect(500*time.Millisecond), "and not applied again")
	assert.Contains(t, b.log.String(), `"outcome":"replay"`)
	assert.True(t, strings.Contains(a.log.String(), `"outcome":"applied"`))
}
