package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor/wstest"
	"github.com/tanma-gql/gateway/internal/limits"
)

// TestSocketEndsWithItsToken: a connection authenticated by a token is
// closed with 4403 and a reason when the token expires (leeway as for
// HTTP), and its subscriptions with it; the same token over HTTP is then
// refused too. A client renews by connecting again with a fresh token.
func TestSocketEndsWithItsToken(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{JWTLeeway: time.Millisecond})
	token := g.Issuer.Token(t, func(c jwt.MapClaims) {
		c["exp"] = time.Now().Add(2 * time.Second).Unix()
		c["staff"] = []string{"dowen"}
	})
	c := wstest.Dial(t, g.URL+"/query", nil)
	require.Equal(t, "connection_ack", c.Init(map[string]any{"Authorization": "Bearer " + token}))
	c.Subscribe("1", `subscription { customerChanged { kind } }`)
	waitSubscribers(t, g, 1)
	assert.Equal(t, websocket.StatusCode(4403), c.Ended(5*time.Second), "closed when the token expired")
	waitSubscribers(t, g, 0)
	r := g.post(t, `{ __typename }`, bearer(token))
	assert.Equal(t, 401, r.Status, "the same token over HTTP")

	fresh := g.Issuer.Token(t, nil)
	again := wstest.Dial(t, g.URL+"/query", nil)
	assert.Equal(t, "connection_ack", again.Init(map[string]any{"Authorization": "Bearer " + fresh}), "renewed by connecting again")
}

// TestSocketBounds: a caller may hold MAX_SOCKETS_PER_CALLER connections
// and an address MAX_SOCKETS_PER_ADDRESS; one more is closed with 4429
// (and a reason); a connection without a subscription is closed (1000)
// after SOCKET_IDLE_TIMEOUT, one with a subscription is not.
func TestSocketBounds(t *testing.T) {
	t.Parallel()
	t.Run("per caller", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSocketsPerCaller: 2}})
		for range 2 {
			connected(t, g, keyAdmin)
		}
		c := wstest.Dial(t, g.URL+"/query", apiKey(keyAdmin))
		assert.Empty(t, c.Init(nil), "refused at connection_init")
		assert.Equal(t, websocket.StatusCode(4429), c.Ended(5*time.Second))
		connected(t, g, keyPlain) // another caller is not held back
	})
	t.Run("per address", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSocketsPerAddress: 2}})
		connected(t, g, keyAdmin)
		connected(t, g, keyPlain)
		c := wstest.Dial(t, g.URL+"/query", apiKey(keyAdmin))
		assert.Equal(t, websocket.StatusCode(4429), c.Ended(5*time.Second), "closed at once, before connection_init")
	})
	t.Run("idle", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{Limits: limits.Limits{SocketIdleTimeout: 300 * time.Millisecond}})
		idle := connected(t, g, keyAdmin)
		busy := connected(t, g, keyAdmin)
		busy.Subscribe("1", `subscription { tagLibraryChanged { kind } }`)
		assert.Equal(t, websocket.StatusNormalClosure, idle.Ended(5*time.Second), "no subscription: closed")
		assert.Equal(t, websocket.StatusCode(-1), busy.Ended(time.Second), "a subscription keeps it open")
	})
	t.Run("slots given back", func(t *testing.T) {
		t.Parallel()
		g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSocketsPerCaller: 1, MaxSocketsPerAddress: 1}})
		for range 3 {
			// The server frees a slot when it sees the close: a moment
			// after the client's.
			require.Eventually(t, func() bool {
				d := wstest.Dial(t, g.URL+"/query", apiKey(keyAdmin))
				defer d.Close()
				return d.Init(nil) == "connection_ack"
			}, 5*time.Second, 50*time.Millisecond, "a closed connection's slots are free again")
		}
	})
}

// TestRemovedKeyNoLongerStreams: API keys are read at start; a key removed
// from the configuration stops streaming at the restart: the connections
// close with it, and one that comes back with the key is refused (4403).
func TestRemovedKeyNoLongerStreams(t *testing.T) {
	t.Parallel()
	before := startGateway(t, gatewayOptions{})
	c := connected(t, before, keyPlain)
	c.Subscribe("1", `subscription { tagLibraryChanged { kind } }`)
	waitSubscribers(t, before, 1)
	before.Server.EndSubscriptions() // the restart
	assert.NotEqual(t, websocket.StatusCode(-1), c.Ended(5*time.Second))

	after := startGateway(t, gatewayOptions{Keys: withoutKey(testKeys(), "plain")})
	again := wstest.Dial(t, after.URL+"/query", apiKey(keyPlain))
	assert.Empty(t, again.Init(nil))
	assert.Equal(t, websocket.StatusCode(4403), again.Ended(5*time.Second))
}

// TestRefusedSocketRunsNothing: a connection over an address's bound is
// closed with 4429 and nothing it sent runs, even when it sends
// connection_init and subscribe with the upgrade, before any answer, and
// never answers the close; its slot is free again once its socket closes.
func TestRefusedSocketRunsNothing(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Limits: limits.Limits{MaxSocketsPerAddress: 1}})
	held := connected(t, g, keyAdmin)
	eager := wstest.DialRawEager(t, g.URL+"/query", apiKey(keyAdmin),
		`{"type":"connection_init"}`, `{"type":"subscribe","id":"1","payload":{"query":"subscription { tagLibraryChanged { kind } }"}}`)
	texts, code := eager.Messages(5 * time.Second)
	assert.Equal(t, 4429, code)
	assert.Empty(t, texts, "no connection_ack, no subscription")
	held.Close()
	eager.Close()
	require.Eventually(t, func() bool {
		d := wstest.Dial(t, g.URL+"/query", apiKey(keyAdmin))
		defer d.Close()
		return d.Init(nil) == "connection_ack"
	}, 10*time.Second, 50*time.Millisecond, "the slots are free once the sockets are closed")
}

// TestLegacyProtocolSubscriptionsAreNotIdle: under the older graphql-ws
// protocol (start, stop) a connection with a running subscription is not
// closed as idle; once it stops, the idle clock runs again.
func TestLegacyProtocolSubscriptionsAreNotIdle(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{Limits: limits.Limits{SocketIdleTimeout: 300 * time.Millisecond}})
	c := wstest.DialLegacy(t, g.URL+"/query", apiKey(keyAdmin))
	require.Equal(t, "connection_ack", c.Init(nil))
	p, _ := json.Marshal(map[string]any{"query": `subscription { tagLibraryChanged { kind } }`})
	c.Send(wstest.Message{ID: "1", Type: "start", Payload: p})
	assert.Equal(t, websocket.StatusCode(-1), c.Ended(time.Second), "a subscription keeps it open")
	c.Send(wstest.Message{ID: "1", Type: "stop"})
	assert.Equal(t, websocket.StatusNormalClosure, c.Ended(5*time.Second), "idle again: closed")
}
