package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// A graphql-transport-ws client over a real WebSocket, as graphql-ws
// speaks it, for the socket flood and the push burst's subscribers; each
// connection can come from its own loopback source address (127.0.0.x),
// which is how the flood stays under MAX_SOCKETS_PER_ADDRESS while one
// set of connections crosses it.

// message is one message of the protocol.
type message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// refused reports a message that ends an operation with errors: an error
// message, or a next whose payload carries errors (how the gateway answers
// an operation refused once it started: a limit, a query sent over the
// socket).
func (m message) refused() bool {
	if m.Type == "error" {
		return true
	}
	if m.Type != "next" {
		return false
	}
	var p struct{ Errors []json.RawMessage }
	return json.Unmarshal(m.Payload, &p) == nil && len(p.Errors) > 0
}

// wsConn is one connection: its messages (pings answered) and, once it
// ended, how.
type wsConn struct {
	conn *websocket.Conn
	msgs chan message
	done chan struct{}

	mu       sync.Mutex
	closeErr error // why the connection ended, once done is closed
	byUs     bool  // we closed it
}

// dialers holds one HTTP client per source address.
var (
	dialersMu sync.Mutex
	dialers   = map[string]*http.Client{}
)

func clientFrom(source string) *http.Client {
	dialersMu.Lock()
	defer dialersMu.Unlock()
	if c, ok := dialers[source]; ok {
		return c
	}
	d := &net.Dialer{Timeout: 10 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(source)}}
	c := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	dialers[source] = c
	return c
}

// dialWS opens a connection to the gateway's /query from source with the
// upgrade's headers h. A refused upgrade returns its HTTP status.
func dialWS(ctx context.Context, base, source string, h http.Header) (*wsConn, int, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, "ws"+base[len("http"):]+"/query", &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
		HTTPHeader:   h,
		HTTPClient:   clientFrom(source),
	})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, status, err
	}
	conn.SetReadLimit(1 << 20)
	c := &wsConn{conn: conn, msgs: make(chan message, 256), done: make(chan struct{})}
	go c.read()
	return c, http.StatusSwitchingProtocols, nil
}

func (c *wsConn) read() {
	defer close(c.done)
	defer close(c.msgs)
	for {
		var m message
		if err := wsjson.Read(context.Background(), c.conn, &m); err != nil {
			c.mu.Lock()
			c.closeErr = err
			c.mu.Unlock()
			return
		}
		if m.Type == "ping" {
			_ = c.send(message{Type: "pong"})
			continue
		}
		select {
		case c.msgs <- m:
		default: // nobody reads: drop rather than block the pongs
		}
	}
}

func (c *wsConn) send(m message) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return wsjson.Write(ctx, c.conn, m)
}

// next returns the next message within d; false when none came or the
// connection ended.
func (c *wsConn) next(d time.Duration) (message, bool) {
	select {
	case m, ok := <-c.msgs:
		return m, ok
	case <-time.After(d):
		return message{}, false
	}
}

// init sends connection_init with payload and returns the answer's type
// ("connection_ack"), or "" when none came within d.
func (c *wsConn) init(payload map[string]any, d time.Duration) string {
	p, _ := json.Marshal(payload)
	if c.send(message{Type: "connection_init", Payload: p}) != nil {
		return ""
	}
	m, ok := c.next(d)
	if !ok {
		return ""
	}
	return m.Type
}

// subscribe starts subscription id with query.
func (c *wsConn) subscribe(id, query string) error {
	p, _ := json.Marshal(map[string]any{"query": query})
	return c.send(message{ID: id, Type: "subscribe", Payload: p})
}

// ended waits up to d for the connection to end and returns the close
// code the gateway sent: -1 when still open after d, 0 when it ended
// without a close frame.
func (c *wsConn) ended(d time.Duration) int {
	select {
	case <-c.done:
	default:
		select {
		case <-c.done:
		case <-time.After(d):
			return -1
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var ce websocket.CloseError
	if errors.As(c.closeErr, &ce) {
		return int(ce.Code)
	}
	return 0
}

// endedAlready reports whether the connection has ended.
func (c *wsConn) endedAlready() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// close closes the connection normally and waits for its reader.
func (c *wsConn) close() {
	c.mu.Lock()
	c.byUs = true
	c.mu.Unlock()
	go func() {
		for range c.msgs {
		}
	}()
	_ = c.conn.Close(websocket.StatusNormalClosure, "")
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		_ = c.conn.CloseNow()
		<-c.done
	}
}
