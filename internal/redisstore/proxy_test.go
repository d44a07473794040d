package redisstore_test

import (
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// holdingProxy forwards TCP connections to a Redis and can hold back the
// next answer until a channel closes: Redis has done the work, but its
// answer reaches the client late (a loaded network or machine), at a
// moment the test chooses rather than after a sleep.
type holdingProxy struct {
	ln     net.Listener
	target string
	hold   chan (<-chan struct{}) // the next answer waits for the channel sent here
	done   chan struct{}          // closed when the test ends: nothing is held any more
	wg     sync.WaitGroup
}

// newHoldingProxy listens on a loopback port, forwarding to target, until
// the test ends.
func newHoldingProxy(t *testing.T, target string) *holdingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &holdingProxy{ln: ln, target: target, hold: make(chan (<-chan struct{}), 1), done: make(chan struct{})}
	var mu sync.Mutex
	var conns []net.Conn
	p.wg.Go(func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				_ = client.Close()
				continue
			}
			mu.Lock()
			conns = append(conns, client, server)
			mu.Unlock()
			p.wg.Go(func() { _, _ = io.Copy(server, client); _ = server.Close() })
			p.wg.Go(func() { p.answers(client, server); _ = client.Close() })
		}
	})
	t.Cleanup(func() {
		close(p.done)
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		p.wg.Wait()
	})
	return p
}

// addr is where clients connect.
func (p *holdingProxy) addr() string { return p.ln.Addr().String() }

// holdNextAnswerUntil makes the next bytes Redis sends wait until release
// is closed.
func (p *holdingProxy) holdNextAnswerUntil(release <-chan struct{}) { p.hold <- release }

// answers copies Redis's answers to the client, holding one back when asked.
func (p *holdingProxy) answers(client, server net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 {
			select {
			case release := <-p.hold:
				select {
				case <-release:
				case <-p.done:
				}
			default:
			}
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
