package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The socket abuse of phase 2, each case on its own raw connections: what
// graphql-transport-ws forbids, frames RFC 6455 forbids, and messages past
// the gateway's bounds. Each case reports the close codes the gateway
// answered with (or the HTTP status of a refused upgrade), and how many
// operations it refused on connections it kept open.

// abuseSource is the loopback address the abuse connects from (its own,
// so it does not count against the flood's addresses).
const abuseSource = "127.0.0.8"

// abuseCase is one kind of abuse: what it does on an upgraded connection
// (authenticated with the upgrade's X-API-Key unless noKey), and how long
// it waits for the gateway to close it.
type abuseCase struct {
	name   string
	n      int
	origin string // the upgrade's Origin ("" none)
	noKey  bool   // the upgrade carries no key
	wait   time.Duration
	do     func(r *rawWS) error
}

const floodQuery = `subscription { customerChanged { kind } }`

func subscribeMsg(id, query string) message {
	p, _ := json.Marshal(map[string]any{"query": query})
	return message{ID: id, Type: "subscribe", Payload: p}
}

func abuseCases() []abuseCase {
	acked := func(then func(r *rawWS) error) func(r *rawWS) error {
		return func(r *rawWS) error {
			if err := r.init(nil); err != nil {
				return err
			}
			return then(r)
		}
	}
	const wait = 5 * time.Second
	return []abuseCase{
		{name: "frame header announcing 1 GiB (after ack)", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.header(1, 1<<30, []byte(`{"type":`))
		})},
		{name: "frame header announcing 1 GiB (before init)", n: 5, wait: wait, do: func(r *rawWS) error {
			return r.header(1, 1<<30, nil)
		}},
		{name: "message of 2 MiB in 64 KiB continuation frames", n: 3, wait: wait, do: acked(func(r *rawWS) error {
			chunk := []byte(strings.Repeat("a", 64<<10))
			if err := r.frame(1, false, false, false, []byte(`{"type":"ping","payload":{"x":"`)); err != nil {
				return err
			}
			for range 32 {
				if err := r.frame(0, false, false, false, chunk); err != nil {
					return nil // closed under us: the close code tells
				}
			}
			return r.frame(0, true, false, false, []byte(`"}}`))
		})},
		{name: "text frame not UTF-8", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.text("{\"type\":\"ping\",\"payload\":{\"x\":\"\xff\xfe\"}}")
		})},
		{name: "duplicate subscription id", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			if err := r.json(subscribeMsg("1", floodQuery)); err != nil {
				return err
			}
			return r.json(subscribeMsg("1", floodQuery))
		})},
		{name: "subscribe before connection_ack", n: 5, wait: wait, do: func(r *rawWS) error {
			return r.json(subscribeMsg("1", floodQuery))
		}},
		{name: "second connection_init", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.json(message{Type: "connection_init"})
		})},
		{name: "not JSON", n: 5, wait: wait, do: acked(func(r *rawWS) error { return r.text("hello") })},
		{name: "unknown message type", n: 5, wait: wait, do: acked(func(r *rawWS) error { return r.json(message{Type: "start"}) })},
		{name: "subscribe without a query", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.json(message{ID: "1", Type: "subscribe", Payload: json.RawMessage(`{"variables":{}}`)})
		})},
		{name: "binary frame", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			b, _ := json.Marshal(subscribeMsg("1", floodQuery))
			return r.frame(2, true, false, false, b)
		})},
		{name: "unmasked client frame", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.frame(1, true, false, true, []byte(`{"type":"ping"}`))
		})},
		{name: "compressed frame (RSV1) without deflate", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.frame(1, true, true, false, []byte(`{"type":"ping"}`))
		})},
		{name: "close frame with invalid code 999", n: 5, wait: wait, do: acked(func(r *rawWS) error {
			return r.frame(8, true, false, false, []byte{0x03, 0xe7})
		})},
		{name: "1,000 pings at once (stays open)", n: 3, wait: 2 * time.Second, do: acked(func(r *rawWS) error {
			for range 1000 {
				if err := r.frame(9, true, false, false, []byte(strings.Repeat("p", 125))); err != nil {
					return err
				}
			}
			return nil
		})},
		{name: "25 subscriptions on one connection (limit 20; stays open)", n: 3, wait: 2 * time.Second, do: acked(func(r *rawWS) error {
			for i := range 25 {
				if err := r.json(subscribeMsg(fmt.Sprint(i), floodQuery)); err != nil {
					return err
				}
			}
			return nil
		})},
		{name: "a query over the socket (stays open)", n: 3, wait: 2 * time.Second, do: acked(func(r *rawWS) error {
			return r.json(subscribeMsg("1", `{ customers(ownerId: "dowen", first: 1) { edges { node { id } } } }`))
		})},
		{name: "unknown key in connection_init", n: 5, noKey: true, wait: wait, do: func(r *rawWS) error {
			p, _ := json.Marshal(map[string]any{"X-API-Key": keyUnknown})
			return r.json(message{Type: "connection_init", Payload: p})
		}},
		{name: "no credentials at all", n: 5, noKey: true, wait: wait, do: func(r *rawWS) error {
			return r.json(message{Type: "connection_init"})
		}},
		{name: "upgrade from a foreign Origin", n: 5, origin: foreignOrigin, wait: wait, do: func(r *rawWS) error { return nil }},
		{name: "frame stalls after 10 of 1,000 bytes", n: 3, wait: 40 * time.Second, do: acked(func(r *rawWS) error {
			return r.header(1, 1000, []byte(`{"type":"p`))
		})},
	}
}

// abuseResult is one abuse case's outcome: close codes (-1 still open at
// the end of the wait, 0 ended without a close frame), refused upgrades by
// HTTP status, operations refused, failures to even run it.
type abuseResult struct {
	codes    map[int]int
	upgrades map[int]int
	errs     int
	failed   int
	acked    int // connections that got a connection_ack
	sample   string
	slowest  time.Duration // the longest wait for the gateway to end a connection it ended
}

// runAbuse runs every case's connections concurrently and returns the
// results in the cases' order.
func runAbuse(host string, cases []abuseCase) []*abuseResult {
	res := make([]*abuseResult, len(cases))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for ci, c := range cases {
		res[ci] = &abuseResult{codes: map[int]int{}, upgrades: map[int]int{}}
		for range c.n {
			wg.Go(func() {
				h := http.Header{}
				if !c.noKey {
					h.Set("X-API-Key", keyFloodC)
				}
				if c.origin != "" {
					h.Set("Origin", c.origin)
				}
				r, status, err := dialRaw(host, abuseSource, h)
				mu.Lock()
				res[ci].upgrades[status]++
				mu.Unlock()
				if err != nil {
					if status == 0 {
						mu.Lock()
						res[ci].failed++
						res[ci].sample = err.Error()
						mu.Unlock()
					}
					return
				}
				defer r.close()
				if err := c.do(r); err != nil {
					mu.Lock()
					res[ci].failed++
					res[ci].sample = err.Error()
					mu.Unlock()
				}
				t0 := time.Now()
				code, _, errs := r.closeCode(c.wait)
				took := time.Since(t0)
				mu.Lock()
				if r.acked {
					res[ci].acked++
				}
				if code != -1 {
					res[ci].slowest = max(res[ci].slowest, took)
				}
				res[ci].codes[code]++
				res[ci].errs += errs
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	return res
}

// pipelinedResult is what the pipelined over-address probe saw.
type pipelinedResult struct {
	n, upgraded, acked int
	codes              map[int]int
	rise               float64 // gateway_subscriptions while they were held
}

// pipelinedOverAddress opens n connections from source while source holds
// MAX_SOCKETS_PER_ADDRESS connections already, each sending
// connection_init and a subscribe right behind the upgrade request (a
// client need not wait for the 101). The gateway must close each with 4429
// without acknowledging it; the probe records the acknowledgements that
// came before the close, the close codes, and how far
// gateway_subscriptions rose while the connections were held open for a
// second without answering the close.
func pipelinedOverAddress(t *target, source string, n int) pipelinedResult {
	res := pipelinedResult{n: n, codes: map[int]int{}}
	before := waitSubscriptions(t, 0, 0)
	var conns []*rawWS
	for i := range n {
		r, _, err := dialRawPipelined(t.host, source, http.Header{"X-Api-Key": {keyFloodC}},
			[]message{{Type: "connection_init"}, subscribeMsg(fmt.Sprint(i), floodQuery)})
		if err != nil {
			continue
		}
		res.upgraded++
		conns = append(conns, r)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, r := range conns {
		wg.Go(func() {
			code, _, _ := r.closeCode(time.Second)
			mu.Lock()
			res.codes[code]++
			if r.acked {
				res.acked++
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.rise = waitSubscriptions(t, 0, 0) - before
	for _, r := range conns {
		r.close()
	}
	return res
}
