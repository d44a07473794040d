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
// its socket ends as graphql-transport-ws and RFC 6455 say: an invalid
// message closes with 4400, a subscribe before the acknowledgement 4401,
// a second connection_init 4429, a subscription id in use 4409, a text
// frame that is not UTF-8 1007, a frame over MAX_BODY_BYTES 1009; an
// operation's own errors come as an error message; queries and mutations
// are refused there (they belong to HTTP, with its MAX_IN_FLIGHT and
// deadline). Never a panic, and the gateway goes on serving.
func TestHostileWebSocketFrames(t *testing.T) {
	t.Parallel()
	g := startGateway(t, gatewayOptions{})
	big := strings.Repeat("x", 3<<20)
	const tagSub = `{"id":"1","type":"subscribe","payload":{"query":"subscription { tagLibraryChanged { kind } }"}}`
	cases := []struct {
		name  string
		init  bool     // connection_init first
		send  []string // raw frames
		bin   bool     // sent as binary frames
		then  string   // "closed", "error" (for the operation), "next" or "open" (ignored: a ping still gets its pong)
		close websocket.StatusCode
	}{
		{name: "not json", init: true, send: []string{`{"type":`}, then: "closed", close: 4400},
		{name: "json, not a message", init: true, send: []string{`[1,2,3]`}, then: "closed", close: 4400},
		{name: "no type", init: true, send: []string{`{"id":"1"}`}, then: "closed", close: 4400},
		{name: "unknown type", init: true, send: []string{`{"type":"hello"}`}, then: "closed", close: 4400},
		{name: "subscribe before init", send: []string{tagSub}, then: "closed", close: 4401},
		{name: "init twice", init: true, send: []string{`{"type":"connection_init"}`}, then: "closed", close: 4429},
		{name: "the same id twice", init: true, send: []string{tagSub, tagSub}, then: "closed", close: 4409},
		{name: "oversized frame", init: true, send: []string{`{"type":"ping","payload":{"x":"` + big + `"}}`}, then: "closed", close: 1009},
		{name: "invalid UTF-8", init: true, send: []string{"{\"type\":\"ping\",\"payload\":{\"x\":\"\xff\xfe\"}}"}, then: "closed", close: 1007},
		{name: "payload not an object", init: true, send: []string{`{"id":"1","type":"subscribe","payload":"{}"}`}, then: "closed", close: 4400},
		{name: "no query", init: true, send: []string{`{"id":"1","type":"subscribe","payload":{}}`}, then: "closed", close: 4400},
		{name: "subscribe without an id", init: true, send: []string{`{"type":"subscribe","payload":{"query":"subscription { tagLibraryChanged { kind } }"}}`}, then: "closed", close: 4400},
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
					assert.Equal(t, tc.close, c.Ended(5*time.Second), "the server ends the connection with its code")
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

	t.Run("an id used again once completed", func(t *testing.T) {
		c := connected(t, g, keyAdmin)
		c.SendRaw([]byte(tagSub), false)
		waitSubscribers(t, g, 1)
		c.Send(wstest.Message{ID: "1", Type: "complete"})
		waitSubscribers(t, g, 0)
		c.SendRaw([]byte(tagSub), false)
		waitSubscribers(t, g, 1)
		c.Close()
		waitSubscribers(t, g, 0)
	})

	t.Run("a frame header announcing too much, its payload never sent", func(t *testing.T) {
		raw := wstest.DialRaw(t, g.URL+"/query", apiKey(keyAdmin))
		start := time.Now()
		raw.WriteFrameHeader(1, 100<<20) // a text frame of 100 MiB
		code, ok := raw.CloseCode(5 * time.Second)
		require.True(t, ok, "the server closes the connection")
		assert.Equal(t, 1009, code)
		assert.Less(t, time.Since(start), 2*time.Second, "at once, not at the ping timeout")
	})

	// Still serving, and nothing panicked.
	c := connected(t, g, keyAdmin)
	c.Subscribe("ok", `subscription { tagLibraryChanged { kind } }`)
	waitSubscribers(t, g, 1)
	assert.NotContains(t, g.Logs.String(), "panic")
}
