package server_test

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

// wsClient is a graphql-transport-ws client over a real WebSocket, as
// graphql-ws (Apollo Client, urql) speaks it.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	msgs chan wsMessage
	done chan struct{}
	// closeErr is why the connection ended, once done is closed.
	closeErr error
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialWS opens a connection to g's /query with the upgrade's headers h;
// it fails the test unless the upgrade succeeds.
func dialWS(t *testing.T, g *gateway, h http.Header) *wsClient {
	t.Helper()
	c, resp, err := tryDialWS(t, g, h)
	require.NoError(t, err, "upgrade answered %v", resp)
	return c
}

func tryDialWS(t *testing.T, g *gateway, h http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(g.URL, "http")+"/query",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: h})
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: t, conn: conn, msgs: make(chan wsMessage, 64), done: make(chan struct{})}
	go c.read()
	t.Cleanup(func() { c.close() })
	return c, resp, nil
}

func (c *wsClient) read() {
	defer close(c.done)
	defer close(c.msgs)
	for {
		var m wsMessage
		if err := wsjson.Read(context.Background(), c.conn, &m); err != nil {
			c.closeErr = err
			return
		}
		if m.Type == "ping" {
			_ = wsjson.Write(context.Background(), c.conn, wsMessage{Type: "pong"})
			continue
		}
		c.msgs <- m
	}
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	require.NoError(c.t, wsjson.Write(context.Background(), c.conn, m))
}

// init sends connection_init with payload and returns the answer's type
// (connection_ack), or "" when the connection closed instead.
func (c *wsClient) init(payload map[string]any) string {
	c.t.Helper()
	p, _ := json.Marshal(payload)
	c.send(wsMessage{Type: "connection_init", Payload: p})
	m, ok := c.next(3 * time.Second)
	if !ok {
		return ""
	}
	return m.Type
}

// subscribe starts a subscription with id.
func (c *wsClient) subscribe(id, query string) {
	c.t.Helper()
	p, _ := json.Marshal(map[string]any{"query": query})
	c.send(wsMessage{ID: id, Type: "subscribe", Payload: p})
}

// next returns the next message within d, false when none came or the
// connection ended.
func (c *wsClient) next(d time.Duration) (wsMessage, bool) {
	select {
	case m, ok := <-c.msgs:
		return m, ok
	case <-time.After(d):
		return wsMessage{}, false
	}
}

// collect gathers the messages that arrive within d.
func (c *wsClient) collect(d time.Duration) []wsMessage {
	var out []wsMessage
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

// ended waits up to d for the server to close the connection, and returns
// its close status (-1 when it did not close).
func (c *wsClient) ended(d time.Duration) websocket.StatusCode {
	select {
	case <-c.done:
		return websocket.CloseStatus(c.closeErr)
	case <-time.After(d):
		return -1
	}
}

func (c *wsClient) close() {
	go func() {
		for range c.msgs { // unread messages must not block the reader
		}
	}()
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	<-c.done
}
