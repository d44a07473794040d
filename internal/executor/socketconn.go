package executor

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// guardedConn is one WebSocket connection as gqlgen's transport sees it,
// with the gateway's rules applied to what the client sends before gqlgen
// reads it: text frames must be UTF-8 (1007), and under the
// graphql-transport-ws protocol every message must be one the protocol
// defines, sent when it allows it (4400 invalid, 4401 subscribe before the
// acknowledgement, 4429 a second connection_init, 4409 a subscription id
// already in use). It also closes itself when it has had no subscription
// for a while, and on the gateway's demand (closeWith).
type guardedConn struct {
	inner transport.WebsocketConn
	exact bool // graphql-transport-ws: its messages are checked
	idle  time.Duration

	mu       sync.Mutex
	inited   bool                // connection_init received
	acked    bool                // connection_ack sent
	active   map[string]struct{} // subscription ids in use
	idleAt   *time.Timer         // runs while there is no subscription
	timers   []*time.Timer       // closeAt and every
	closed   bool                // closing or closed: no more rules, no more closes, no more messages
	finished bool                // closed, its closers run
	closers  []func()            // run once, when the connection closes

	// gone: the socket's close is told (framedWriter.whenGone) and
	// finishes the connection; else closing it does. Set once, while the
	// idle timer may already run.
	gone atomic.Bool
}

var _ transport.WebsocketConn = (*guardedConn)(nil)

// errClosedByGateway ends gqlgen's read loop after the gateway closed the
// connection.
var errClosedByGateway = errors.New("websocket closed by the gateway")

func newGuardedConn(inner transport.WebsocketConn, idle time.Duration) *guardedConn {
	c := &guardedConn{inner: inner, exact: inner.Subprotocol() == "graphql-transport-ws", idle: idle, active: map[string]struct{}{}}
	c.idleAt = time.AfterFunc(idle, func() { c.closeWith(closeNormal, "idle: no subscription") })
	return c
}

// NextReader returns the client's next message once it has passed the
// rules; a message that breaks them closes the connection instead. Once
// the connection is closing, nothing more is read.
func (c *guardedConn) NextReader() (int, io.Reader, error) {
	if c.isClosed() {
		return 0, nil, errClosedByGateway
	}
	typ, r, err := c.inner.NextReader()
	if c.isClosed() {
		return typ, nil, errClosedByGateway
	}
	if err != nil {
		return typ, r, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return typ, nil, err
	}
	if typ == 1 && !utf8.Valid(data) { // 1: a text frame
		c.closeWith(closeInvalidUTF8, "a text frame that is not UTF-8")
		return typ, nil, errClosedByGateway
	}
	if c.exact {
		if code, reason := c.check(data); code != 0 {
			c.closeWith(code, reason)
			return typ, nil, errClosedByGateway
		}
	} else {
		c.legacy(data)
	}
	return typ, bytes.NewReader(data), nil
}

// legacy follows the subscriptions of the older graphql-ws protocol
// (start, stop), which gqlgen checks itself, so that its connections are
// not closed as idle while they subscribe.
func (c *guardedConn) legacy(data []byte) {
	var m clientMessage
	if json.Unmarshal(data, &m) != nil || m.Type == nil || m.ID == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch *m.Type {
	case "start":
		c.active[*m.ID] = struct{}{}
		c.idleAt.Stop()
	case "stop":
		c.done(*m.ID)
	}
}

// clientMessage is a graphql-transport-ws message as the client sends it.
type clientMessage struct {
	Type    *string         `json:"type"`
	ID      *string         `json:"id"`
	Payload json.RawMessage `json:"payload"`
}

// check applies graphql-transport-ws to one client message and returns
// the close code and reason when it breaks the protocol (0: it does not).
func (c *guardedConn) check(data []byte) (int, string) {
	var m clientMessage
	if err := json.Unmarshal(data, &m); err != nil || m.Type == nil {
		return closeBadRequest, "invalid message: not a JSON object with a type"
	}
	object := func(raw json.RawMessage, optional bool) bool {
		raw = bytes.TrimSpace(raw)
		return (optional && (len(raw) == 0 || string(raw) == "null")) || (len(raw) > 0 && raw[0] == '{')
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch *m.Type {
	case "connection_init":
		if c.inited {
			return closeTooMany, "too many initialisation requests"
		}
		c.inited = true
		if !object(m.Payload, true) {
			return closeBadRequest, "invalid message: connection_init's payload must be an object"
		}
	case "ping", "pong":
		if !object(m.Payload, true) {
			return closeBadRequest, "invalid message: " + *m.Type + "'s payload must be an object"
		}
	case "subscribe":
		if !c.acked {
			return closeUnauthorized, "unauthorized: subscribe after connection_ack"
		}
		if m.ID == nil || *m.ID == "" || !object(m.Payload, false) || !hasQuery(m.Payload) {
			return closeBadRequest, "invalid message: subscribe needs an id and a payload object with a query"
		}
		if _, used := c.active[*m.ID]; used {
			return closeSubscriberDup, "subscriber for " + *m.ID + " already exists"
		}
		c.active[*m.ID] = struct{}{}
		c.idleAt.Stop()
	case "complete":
		if m.ID == nil || *m.ID == "" {
			return closeBadRequest, "invalid message: complete needs an id"
		}
		c.done(*m.ID)
	default:
		return closeBadRequest, "invalid message: unknown type " + truncate(*m.Type, 32)
	}
	return 0, ""
}

// hasQuery reports whether a subscribe payload holds a query string.
func hasQuery(payload json.RawMessage) bool {
	var p struct {
		Query *string `json:"query"`
	}
	return json.Unmarshal(payload, &p) == nil && p.Query != nil
}

// done forgets a subscription id; c.mu is held. Without subscriptions the
// idle clock starts.
func (c *guardedConn) done(id string) {
	delete(c.active, id)
	if len(c.active) == 0 && !c.closed {
		c.idleAt.Reset(c.idle)
	}
}

// serverMessage is what the gateway's own messages say of their
// subscription.
type serverMessage struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

// WriteJSON sends a message to the client, noting the acknowledgement and
// the end of subscriptions (complete, error) it carries, under either
// protocol; nothing is sent once the connection is closing.
func (c *guardedConn) WriteJSON(v any) error {
	if c.isClosed() {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var m serverMessage
	if json.Unmarshal(data, &m) == nil {
		c.mu.Lock()
		switch m.Type {
		case "connection_ack":
			c.acked = true
		case "complete", "error": // both protocols end a subscription so
			c.done(m.ID)
		}
		c.mu.Unlock()
	}
	return c.inner.WriteJSON(json.RawMessage(data))
}

// WriteClose is gqlgen's close; a connection the gateway closed first
// keeps the gateway's code.
func (c *guardedConn) WriteClose(code int, message string) error {
	if c.isClosed() {
		return nil
	}
	return c.inner.WriteClose(code, message)
}

// Close ends the connection; what it held is released then, or when its
// socket is closed if that is told (gone).
func (c *guardedConn) Close() error {
	c.stop()
	if !c.gone.Load() {
		c.finish()
	}
	return c.inner.Close()
}

// Subprotocol is the negotiated protocol.
func (c *guardedConn) Subprotocol() string { return c.inner.Subprotocol() }

// SetReadLimit bounds a message (gqlgen's PayloadReadLimit).
func (c *guardedConn) SetReadLimit(n int64) {
	if l, ok := c.inner.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(n)
	}
}

// SetReadDeadline bounds the wait for the next message (gqlgen's ping).
func (c *guardedConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.inner.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}

// closeWith closes the connection with code and reason, once: gqlgen's
// read loop then ends, and its subscriptions with it.
func (c *guardedConn) closeWith(code int, reason string) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.stop()
	_ = c.inner.WriteClose(code, truncate(reason, 120)) // a close frame's reason is at most 123 bytes
	if !c.gone.Load() {
		c.finish()
	}
}

// closeAt closes the connection with code and reason at t.
func (c *guardedConn) closeAt(t time.Time, code int, reason string) {
	c.addTimer(time.AfterFunc(time.Until(t), func() { c.closeWith(code, reason) }))
}

// every runs check every d while the connection is open, closing it with
// the code and reason check answers (0: keep it).
func (c *guardedConn) every(d time.Duration, check func() (int, string)) {
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		if code, reason := check(); code != 0 {
			c.closeWith(code, reason)
			return
		}
		if !c.isClosed() {
			t.Reset(d)
		}
	})
	c.addTimer(t)
}

func (c *guardedConn) addTimer(t *time.Timer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		t.Stop()
		return
	}
	c.timers = append(c.timers, t)
}

// onClose runs f once the connection is closed (at once if it is).
func (c *guardedConn) onClose(f func()) {
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		f()
		return
	}
	c.closers = append(c.closers, f)
	c.mu.Unlock()
}

// stop ends the connection's rules and timers: it is closing.
func (c *guardedConn) stop() {
	c.mu.Lock()
	c.closed = true
	timers := c.timers
	c.timers = nil
	c.idleAt.Stop()
	c.mu.Unlock()
	for _, t := range timers {
		t.Stop()
	}
}

// finish stops the timers and runs the closers, once.
func (c *guardedConn) finish() {
	c.stop()
	c.mu.Lock()
	c.finished = true
	closers := c.closers
	c.closers = nil
	c.mu.Unlock()
	for _, f := range closers {
		f()
	}
}

func (c *guardedConn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
