package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Phase 2's socket flood: connections opened as fast as possible with
// valid credentials, each subscribing once, held, then closed; beside them
// sets that cross a bound: connections that never send connection_init,
// connections of a caller past MAX_SOCKETS_PER_CALLER, connections from an
// address past MAX_SOCKETS_PER_ADDRESS.

// floodSources are the loopback addresses the flood comes from, each
// holding fewer than perAddress connections.
var floodSources = []string{"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}

const (
	noInitSource    = "127.0.0.7" // connections that never init
	dialConcurrency = 256         // dials in flight at once
)

// callerOverflowSource is where the caller overflow set's i-th connection
// comes from: addresses of its own, 250 connections each.
func callerOverflowSource(i int) string { return fmt.Sprintf("127.0.1.%d", i/250+1) }

// group is a set of connections and what became of them.
type group struct {
	name     string
	mu       sync.Mutex
	opened   int         // upgraded
	refused  map[int]int // upgrade refused, by HTTP status (0: no answer)
	acked    int
	subbed   int         // subscribe sent
	codes    map[int]int // how the connections the gateway ended ended (close code; 0 without a close frame)
	errs     int         // operations refused (error messages, next with errors)
	closedUs int         // closed by us at the end
	conns    []*wsConn
	took     time.Duration // from the first dial to the last answer
	sample   string
}

func newGroup(name string) *group {
	return &group{name: name, refused: map[int]int{}, codes: map[int]int{}}
}

// dialSpec says how the i-th connection of a group is opened.
type dialSpec struct {
	source    string
	key       string // sent in connection_init's payload ("" no init at all)
	inHeader  bool   // the key goes in the upgrade's X-API-Key instead
	subscribe bool
}

// open opens n connections of g concurrently (at most dialConcurrency
// dials at once), spec(i) saying how; each is initialised and subscribes
// when its spec says so. It returns when each is acknowledged or refused.
func (g *group) open(ctx context.Context, base string, n int, spec func(i int) dialSpec) {
	start := time.Now()
	sem := make(chan struct{}, dialConcurrency)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s := spec(i)
			h := http.Header{}
			if s.inHeader {
				h.Set("X-API-Key", s.key)
			}
			c, status, err := dialWS(ctx, base, s.source, h)
			if err != nil {
				g.mu.Lock()
				g.refused[status]++
				g.sample = err.Error()
				g.mu.Unlock()
				return
			}
			g.mu.Lock()
			g.opened++
			g.conns = append(g.conns, c)
			g.mu.Unlock()
			if s.key == "" {
				return
			}
			payload := map[string]any{"X-API-Key": s.key}
			if s.inHeader {
				payload = nil
			}
			if c.init(payload, 10*time.Second) != "connection_ack" {
				return
			}
			g.mu.Lock()
			g.acked++
			g.mu.Unlock()
			if s.subscribe && c.subscribe("1", floodQuery) == nil {
				g.mu.Lock()
				g.subbed++
				g.mu.Unlock()
			}
		})
	}
	wg.Wait()
	g.took = time.Since(start)
}

// settle waits up to d for every connection of g to end (those that will:
// the gateway closes them) or d to pass, then records how each ended that
// has; those still open stay in g.conns.
func (g *group) settle(d time.Duration) {
	deadline := time.Now().Add(d)
	g.mu.Lock()
	defer g.mu.Unlock()
	var open []*wsConn
	for _, c := range g.conns {
		code := c.ended(max(0, time.Until(deadline)))
		if code == -1 {
			open = append(open, c)
			continue
		}
		g.codes[code]++
	}
	g.conns = open
}

// reap records connections of g that have ended by now, without waiting.
func (g *group) reap() { g.settle(0) }

// drain counts the error messages received on g's open connections.
func (g *group) drain() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.conns {
	read:
		for {
			select {
			case m, ok := <-c.msgs:
				if !ok {
					break read
				}
				if m.refused() {
					g.errs++
				}
			default:
				break read
			}
		}
	}
}

// closeAll closes g's open connections (concurrently).
func (g *group) closeAll() {
	g.mu.Lock()
	conns := g.conns
	g.conns = nil
	g.closedUs += len(conns)
	g.mu.Unlock()
	var wg sync.WaitGroup
	sem := make(chan struct{}, dialConcurrency)
	for _, c := range conns {
		sem <- struct{}{}
		wg.Go(func() { defer func() { <-sem }(); c.close() })
	}
	wg.Wait()
}

// row is g's line of the phase's table.
func (g *group) row(n int) []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	refused := "0"
	if len(g.refused) > 0 {
		refused = counts(g.refused)
	}
	closed := "none"
	if len(g.codes) > 0 {
		closed = closeCodes(g.codes)
	}
	return []string{g.name, fmt.Sprint(n), fmt.Sprint(g.opened), refused, fmt.Sprint(g.acked), fmt.Sprint(g.subbed),
		closed, fmt.Sprint(g.errs), fmt.Sprint(g.closedUs), g.took.Round(time.Millisecond).String()}
}
