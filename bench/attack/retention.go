package main

import (
	"fmt"
	"strings"

	"github.com/tanma-gql/gateway/bench/proc"
)

// An optional phase (-retention n): n valid documents, each new, each
// carrying a string literal of 900 KiB (under MAX_BODY_BYTES, one token),
// which the gateway refuses at execution (a malformed customer id) after
// validating it. gqlgen keeps every document that validated in the query
// cache: bounded by count (1,000) until 2026-12-06, the heap grew by
// 0.89 MB with each one; bounded by size now (16 MiB, no document over
// 1 MiB), it should stop growing. Off by default: it leaves the gateway
// with the memory it measures.

// runRetention sends n such documents sequentially and reports the
// gateway's heap in use and RSS.
func runRetention(t *target, p *phase, n int) error {
	k := &kit{base: t.base}
	literal := strings.Repeat("9", 900<<10)
	heap := func() float64 {
		m, _ := proc.Metrics(t.ops, "go_memstats_heap_inuse_bytes")
		return m["go_memstats_heap_inuse_bytes"] / (1 << 20)
	}
	p.detail = [][]string{{"documents sent", "HTTP status: n", "heap in use MB", "RSS MB"}}
	statuses := map[int]int{}
	client := hostileClient(1)
	defer client.CloseIdleConnections()
	p.detail = append(p.detail, []string{"0", "-", fmt.Sprintf("%.0f", heap()), mb(observe(t).rss)})
	for i := 1; i <= n; i++ {
		req := k.gql(fmt.Sprintf(`query Big%d { customer(id: "%s") { id } }`, i, literal), nil)
		status, _, _, _, err := send(client, req)
		if err != nil {
			p.timeouts++
			continue
		}
		statuses[status]++
		if status >= 500 {
			p.fiveXX++
		}
		if i%max(1, n/5) == 0 || i == n {
			p.detail = append(p.detail, []string{fmt.Sprint(i), counts(statuses), fmt.Sprintf("%.0f", heap()), mb(observe(t).rss)})
		}
	}
	p.sent = fmt.Sprintf("%d requests of 900 KiB, each document new", n)
	p.outcomes = counts(statuses)
	return nil
}
