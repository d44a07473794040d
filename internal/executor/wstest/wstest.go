// Package wstest is a graphql-transport-ws client over a real WebSocket, as
// graphql-ws (Apollo Client, urql) speaks it, for the tests of the
// gateway's subscriptions.
package wstest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/stretchr/testify/require"
)

// Client is one connection.
type Client struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan Message // what the server sent, pings answered
	done chan struct{}
	// closeErr is why the connection ended, once done is closed.
	closeErr error
}

// Message is one message of the protocol.
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Dial opens a connection to the GraphQL endpoint at httpURL (http://...)
// with the upgrade's headers h; it fails the test unless the upgrade
// succeeds. The connection is closed when the test ends.
func Dial(t *testing.T, httpURL string, h http.Header) *Client {
	t.Helper()
	c, resp, err := TryDial(t, httpURL, h)
	require.NoError(t, err, "upgrade answered %v", resp)
	return c
}

// TryDial is Dial that returns the upgrade's failure.
func TryDial(t *testing.T, httpURL string, h http.Header) (*Client, *http.Response, error) {
	t.Helper()
	return dial(t, httpURL, h, "graphql-transport-ws")
}

// DialLegacy is Dial speaking the older graphql-ws protocol (subprotocol
// graphql-ws: start and stop, data; subscriptions-transport-ws), which
// clients of that library still use.
func DialLegacy(t *testing.T, httpURL string, h http.Header) *Client {
	t.Helper()
	c, resp, err := dial(t, httpURL, h, "graphql-ws")
	require.NoError(t, err, "upgrade answered %v", resp)
	return c
}

func dial(t *testing.T, httpURL string, h http.Header, subprotocol string) (*Client, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(httpURL, "http"),
		&websocket.DialOptions{Subprotocols: []string{subprotocol}, HTTPHeader: h})
	if err != nil {
		return nil, resp, err
	}
	c := &Client{t: t, conn: conn, msgs: make(chan Message, 64), done: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { c.Close() })
	return c, resp, nil
}

func (c *Client) read() {
	defer close(c.done)
	defer close(c.msgs)
	for {
		var m Message
		if err := wsjson.Read(context.Background(), c.conn, &m); err != nil {
			c.closeErr = err
			return
		}
		if m.Type == "ping" {
			_ = wsjson.Write(context.Background(), c.conn, Message{Type: "pong"})
			continue
		}
		c.msgs <- m
	}
}

// Send sends one message.
func (c *Client) Send(m Message) {
	c.t.Helper()
	require.NoError(c.t, wsjson.Write(context.Background(), c.conn, m))
}

// SendRaw sends one frame as it is: text, or binary when binary is set.
func (c *Client) SendRaw(frame []byte, binary bool) {
	c.t.Helper()
	typ := websocket.MessageText
	if binary {
		typ = websocket.MessageBinary
	}
	require.NoError(c.t, c.conn.Write(context.Background(), typ, frame))
}

// Init sends connection_init with payload and returns the answer's type
// (connection_ack), or "" when the connection closed instead.
func (c *Client) Init(payload map[string]any) string {
	c.t.Helper()
	p, _ := json.Marshal(payload)
	c.Send(Message{Type: "connection_init", Payload: p})
	m, ok := c.Next(3 * time.Second)
	if !ok {
		return ""
	}
	return m.Type
}

// Subscribe starts a subscription with id.
func (c *Client) Subscribe(id, query string) {
	c.t.Helper()
	p, _ := json.Marshal(map[string]any{"query": query})
	c.Send(Message{ID: id, Type: "subscribe", Payload: p})
}

// Next returns the next message within d, false when none came or the
// connection ended.
func (c *Client) Next(d time.Duration) (Message, bool) {
	select {
	case m, ok := <-c.msgs:
		return m, ok
	case <-time.After(d):
		return Message{}, false
	}
}

// Collect gathers the messages that arrive within d.
func (c *Client) Collect(d time.Duration) []Message {
	var out []Message
	deadline := time.After(d)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return out
			}
			out = append(out, m)
		case <-deadline:
			return out
		}
	}
}

// Ended waits up to d for the server to close the connection, and returns
// its close status (-1 when it did not close).
func (c *Client) Ended(d time.Duration) websocket.StatusCode {
	select {
	case <-c.done:
		return websocket.CloseStatus(c.closeErr)
	case <-time.After(d):
		return -1
	}
}

// Msgs is the stream of messages (closed when the connection ends).
func (c *Client) Msgs() <-chan Message { return c.msgs }

// Close closes the connection and waits for its reader.
func (c *Client) Close() {
	go func() {
		for range c.msgs { // unread messages must not block the reader
		}
	}()
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	<-c.done
}
