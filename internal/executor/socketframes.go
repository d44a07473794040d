package executor

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"sync"
)

// framedWriter is the upgrade's ResponseWriter whose hijacked connection
// is read through a frameGuard: the WebSocket library enforces its read
// limit only as a message's bytes arrive, so a frame header announcing a
// payload larger than the limit, followed by a slow trickle or nothing,
// would hold the connection until the ping timeout. The guard sees the
// announced length in the header and has the connection closed at once
// (1009).
//
// It also tells when the hijacked connection is really closed (whenGone):
// the library may still be closing it for seconds after a close frame was
// sent (it waits for the peer's), and until then it holds a socket.
type framedWriter struct {
	http.ResponseWriter
	limit int64

	mu       sync.Mutex
	onBig    func()
	big      bool // announced before onBig was set
	hijacked bool
	onGone   func()
	gone     bool // closed before onGone was set
}

var _ http.Hijacker = (*framedWriter)(nil)

// whenTooBig sets what happens when a frame over the limit is announced.
func (w *framedWriter) whenTooBig(f func()) {
	w.mu.Lock()
	w.onBig = f
	seen := w.big
	w.mu.Unlock()
	if seen {
		f()
	}
}

func (w *framedWriter) announce() {
	w.mu.Lock()
	w.big = true
	f := w.onBig
	w.mu.Unlock()
	if f != nil {
		go f()
	}
}

// whenGone sets what runs once the hijacked connection is closed (at once
// if it is); it reports whether the connection was hijacked here (if not,
// nothing will run f).
func (w *framedWriter) whenGone(f func()) bool {
	w.mu.Lock()
	w.onGone = f
	gone, hijacked := w.gone, w.hijacked
	w.mu.Unlock()
	if gone {
		f()
	}
	return hijacked
}

func (w *framedWriter) closed() {
	w.mu.Lock()
	w.gone = true
	f := w.onGone
	w.mu.Unlock()
	if f != nil {
		f()
	}
}

// Hijack hands the WebSocket library the connection, its reads guarded
// and its close told (whenGone).
func (w *framedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack() // through the middleware's wrappers
	if err != nil {
		return conn, brw, err
	}
	w.mu.Lock()
	w.hijacked = true
	w.mu.Unlock()
	// The library reads the connection itself once it has taken what the
	// server had buffered: the guard is the connection, and drains that
	// buffer first.
	g := &guardedNetConn{Conn: conn, guard: frameGuard{r: brw.Reader, limit: w.limit, onBig: w.announce}, closed: w.closed}
	return g, bufio.NewReadWriter(bufio.NewReader(g), brw.Writer), nil
}

// guardedNetConn is the hijacked connection read through a frameGuard;
// guard.r is the server's buffered reader over it, so bytes the server had
// already read come first. Its first Close calls closed.
type guardedNetConn struct {
	net.Conn
	guard  frameGuard
	once   sync.Once
	closed func()
}

func (c *guardedNetConn) Read(p []byte) (int, error) { return c.guard.Read(p) }

// Close closes the connection and tells its writer, once.
func (c *guardedNetConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.closed)
	return err
}

// Unwrap exposes the ResponseWriter (http.ResponseController).
func (w *framedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// frameGuard follows the WebSocket frames (RFC 6455 5.2) in the bytes a
// client sends, calling onBig once for a data frame that announces a
// payload larger than limit.
type frameGuard struct {
	r     io.Reader
	limit int64
	onBig func()

	hdr    [14]byte // the current frame's header, as far as read
	n      int      // bytes of hdr read
	skip   uint64   // payload bytes of the current frame still to pass
	called bool
}

func (g *frameGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.scan(p[:n])
	return n, err
}

// scan advances through b: header bytes are collected, payload bytes
// skipped.
func (g *frameGuard) scan(b []byte) {
	for len(b) > 0 && !g.called {
		if g.skip > 0 {
			k := uint64(len(b))
			if k > g.skip {
				k = g.skip
			}
			g.skip -= k
			b = b[k:]
			continue
		}
		g.hdr[g.n] = b[0]
		g.n++
		b = b[1:]
		size, length, ok := g.header()
		if !ok || g.n < size {
			continue
		}
		g.n, g.skip = 0, length
		if opcode := g.hdr[0] & 0x0f; opcode < 8 && g.limit > 0 && length > uint64(g.limit) {
			g.called = true
			g.onBig()
		}
	}
}

// header returns the current frame header's size and payload length once
// enough of it is read to know them (ok).
func (g *frameGuard) header() (size int, length uint64, ok bool) {
	if g.n < 2 {
		return 0, 0, false
	}
	masked := g.hdr[1]&0x80 != 0
	size = 2
	switch l7 := g.hdr[1] & 0x7f; l7 {
	case 126:
		size += 2
	case 127:
		size += 8
	default:
		length = uint64(l7)
	}
	if masked {
		size += 4
	}
	if g.n < size {
		return size, 0, true
	}
	switch g.hdr[1] & 0x7f {
	case 126:
		length = uint64(binary.BigEndian.Uint16(g.hdr[2:4]))
	case 127:
		length = binary.BigEndian.Uint64(g.hdr[2:10])
	}
	return size, length, true
}
