package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor/wstest"
)

// TestHostileWebSocketFrames: whatever an authenticated client sends over
// its socket ends with a close code, an error message for that operation,
// or nothing at all, never a panic, and the gateway goes on serving;
// queries and mutations are refused there (they belong to HTTP, with its
// MAX_IN_FLIGHT and deadline). A
// subscription id used twice at once (graphql-transport-ws says 4409;
// gqlgen runs both) holds its subscriptions no longer than the
// connection.
func TestHostileWebSocketFrames(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	big := strings.Repeat("x", 3<<20)
	const tagSub = `{"id":"1","type":"subscribe","payload":{"query":"subscription { tagLibraryChanged { kind } }"}}`
	cases := []struct {
		name string
		init bool     // connection_init first
		send []string // raw frames
		bin  bool     // sent as binary frames
		then string   // "closed", "error" (for the operation) or "open" (ignored: a ping still gets its pong)
	}{
		{name: "not json", init: true, send: []string{`{"type":`}, then: "closed"},
		{name: "json, not a message", init: true, send: []string{`[1,2,3]`}, then: "closed"},
		{name: "unknown type", init: true, send: []string{`{"type":"hello"}`}, then: "closed"},
		{name: "subscribe before init", send: []string{tagSub}, then: "closed"},
		{name: "init twice", init: true, send: []string{`{"type":"connection_init"}`}, then: "closed"},
		{name: "oversized frame", init: true, send: []string{`{"type":"ping","payload":{"x":"` + big + `"}}`}, then: "closed"},
		{name: "payload not an object", init: true, send: []string{`{"id":"1","type":"subscribe","payload":"{}"}`}, then: "error"},
		{name: "no query", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{}}`}, then: "error"},
		{name: "invalid query", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{"query":"subscription { nope }"}}`}, then: "error"},
		{name: "variables of the wrong type", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{"query":"subscription($o: ID) { customerChanged(ownerId: $o) { kind } }","variables":{"o":{"a":1}}}}`}, then: "error"},
		{name: "a mutation", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{"query":"mutation { clueCreate(input: {name: \"x\", mobiles: []}) { clientMutationId } }"}}`}, then: "next"},
		{name: "a query", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{"query":"{ __typename }"}}`}, then: "next"},
		{name: "complete an unknown id", init: true, send: []string{`{"id":"nope","type":"complete"}`}, then: "open"},
		{name: "binary frame", init: true, send: []string{`{"type":"pong"}`}, bin: true, then: "open"},
	}
	t.Run("frames", func(t *testing.T) { // returns when every case has
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				c := wstest.Dial(t, g.URL+"/query", apiKey(keyAdmin))
				if tc.init {
					require.Equal(t, "connection_ack", c.Init(nil))
				}
				for _, f := range tc.send {
					c.SendRaw([]byte(f), tc.bin)
				}
				switch tc.then {
				case "closed":
					assert.NotEqual(t, websocket.StatusCode(-1), c.Ended(5*time.Second), "the server ends the connection")
					return
				case "open":
					c.Send(wstest.Message{Type: "ping"})
				}
				m, ok := c.Next(5 * time.Second)
				require.True(t, ok, "an answer, the connection open")
				switch tc.then {
				case "open":
					assert.Equal(t, "pong", m.Type, string(m.Payload))
				case "next": // refused, as the operation's result: HTTP carries queries and mutations
					assert.Equal(t, "next", m.Type)
					assert.Contains(t, string(m.Payload), `"BAD_REQUEST"`)
					assert.NotContains(t, string(m.Payload), `"data":{`)
				default:
					assert.Equal(t, tc.then, m.Type, string(m.Payload))
				}
			})
		}
	})

	t.Run("same id twice", func(t *testing.T) {
		c := connected(t, g, keyAdmin)
		c.SendRaw([]byte(tagSub), false)
		c.SendRaw([]byte(tagSub), false)
		waitSubscribers(t, g, 2)
		c.Close()
		waitSubscribers(t, g, 0)
	})

	// Still serving, and nothing panicked.
	c := connected(t, g, keyAdmin)
	c.Subscribe("ok", `subscription { tagLibraryChanged { kind } }`)
	waitSubscribers(t, g, 1)
	assert.NotContains(t, g.Logs.String(), "panic")
}
