package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Phase 3: a push burst, as internal/app/burst_test.go measures it but
// against the gateway's own process: subscribers on their own connections,
// each selecting the customer, then pushes signed and encrypted as Tanma
// sends them, paced evenly over one second, one per customer (a tag added
// to that many customers), to TANMA_EVENTS_PATH. The gateway runs at its
// default TANMA_QPS (10 calls/s), so it cannot read every customer: no
// subscription may end; each gets what could be read and RESYNC. Then
// forged, stale, replayed and malformed pushes, a few of each.

const (
	pushSource = "127.0.0.9"
	pushQuery  = `subscription { customerChanged { kind customerId customer { customerId tags { qwTagId } } } }`
	pushOwner  = "dowen" // 1,234 customers in the sandbox
)

// subscriber is one push subscriber's view.
type subscriber struct {
	c      *wsConn
	mu     sync.Mutex
	events int
	resync int
	nulls  int    // events whose customer could not be read
	ended  string // "error", "complete" or "closed" once the subscription ended
	last   time.Time
}

func (s *subscriber) listen() {
	for m := range s.c.msgs {
		s.mu.Lock()
		s.last = time.Now()
		switch {
		case m.Type == "next" && m.ID == "1":
			var p struct {
				Data struct {
					CustomerChanged struct {
						Kind     string
						Customer json.RawMessage
					}
				}
			}
			if json.Unmarshal(m.Payload, &p) == nil {
				if p.Data.CustomerChanged.Kind == "RESYNC" {
					s.resync++
				} else {
					s.events++
					if len(p.Data.CustomerChanged.Customer) == 0 || string(p.Data.CustomerChanged.Customer) == "null" {
						s.nulls++
					}
				}
			}
		case m.Type == "error" || m.Type == "complete":
			s.ended = m.Type
		}
		s.mu.Unlock()
	}
	s.mu.Lock()
	if s.ended == "" && !s.c.byUsNow() {
		s.ended = "closed"
	}
	s.mu.Unlock()
}

// byUsNow reports whether we closed the connection.
func (c *wsConn) byUsNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byUs
}

// runPushes is phase 3 with pushes pushes over one second and subs
// subscribers.
func runPushes(ctx context.Context, t *target, p *phase, pushes, subs int) error {
	ids, tagID, qwTagID, err := pushTargets(t.base, pushes)
	if err != nil {
		return err
	}
	// Reading the targets spent some of the upstream quota: the burst
	// starts with it whole, as in internal/app/burst_test.go.
	time.Sleep(1500 * time.Millisecond)
	before, _ := proc.Metrics(t.ops, "gateway_subscriptions")
	var subscribers []*subscriber
	for range subs {
		c, _, err := dialWS(ctx, t.base, pushSource, http.Header{"X-Api-Key": {keyPush}})
		if err != nil {
			return fmt.Errorf("subscriber: %w", err)
		}
		if c.init(nil, 5*time.Second) != "connection_ack" {
			return fmt.Errorf("subscriber: no connection_ack")
		}
		if err := c.subscribe("1", pushQuery); err != nil {
			return err
		}
		s := &subscriber{c: c}
		subscribers = append(subscribers, s)
		go s.listen()
	}
	defer func() {
		for _, s := range subscribers {
			s.c.close()
		}
	}()
	if got := waitSubscriptions(t, before["gateway_subscriptions"]+float64(subs), 10*time.Second); got < before["gateway_subscriptions"]+float64(subs) {
		return fmt.Errorf("only %.0f subscriptions open", got)
	}
	m0, _ := proc.Metrics(t.ops, "gateway_upstream_request_duration_seconds_count", "gateway_subscription_resyncs_total")

	// The burst: pushes paced evenly over one second, sent by a few
	// senders so one slow answer does not hold the pace.
	statuses := map[int]int{}
	acked, sendErrs := 0, 0
	var mu sync.Mutex
	msgBase := time.Now().UnixNano() / 1000
	start := time.Now()
	interval := time.Second / time.Duration(pushes)
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i := range pushes {
		time.Sleep(time.Until(start.Add(time.Duration(i) * interval)))
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			noise := fmt.Sprint(1000 + i)
			content := fmt.Sprintf(`{"customerId":%s,"qwSalesId":%q,"tagId":%s,"qwTagId":%q,"changeType":"add_qw_tag"}`, ids[i], pushOwner, tagID, qwTagID)
			status, body, err := push(t.base, fmt.Sprintf(`{"noise":%s,"msgId":%d,"type":%q,"content":%s}`, noise, msgBase+int64(i), tanma.PushCustomerTag, content), time.Now(), nil)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				sendErrs++
				return
			}
			statuses[status]++
			if status == http.StatusOK && body == noise {
				acked++
			}
		})
	}
	wg.Wait()
	window := time.Since(start)

	// Settled: nothing more for two seconds (or every subscriber ended).
	deadline := start.Add(60 * time.Second)
	for time.Now().Before(deadline) {
		quiet := true
		for _, s := range subscribers {
			s.mu.Lock()
			if s.ended == "" && time.Since(s.last) < 2*time.Second {
				quiet = false
			}
			s.mu.Unlock()
		}
		if quiet {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	m1, _ := proc.Metrics(t.ops, "gateway_upstream_request_duration_seconds_count", "gateway_subscription_resyncs_total")
	ended, events, resyncs, nulls := 0, 0, 0, 0
	minR, maxR := -1, 0
	var lastMsg time.Duration
	for _, s := range subscribers {
		s.mu.Lock()
		if s.ended != "" {
			ended++
		}
		events += s.events
		resyncs += s.resync
		nulls += s.nulls
		if minR < 0 || s.resync < minR {
			minR = s.resync
		}
		maxR = max(maxR, s.resync)
		if !s.last.IsZero() {
			lastMsg = max(lastMsg, s.last.Sub(start))
		}
		s.mu.Unlock()
	}
	upstream := m1["gateway_upstream_request_duration_seconds_count"] - m0["gateway_upstream_request_duration_seconds_count"]

	// Hostile pushes, after the burst.
	hostile := hostilePushes(t.base, msgBase+int64(pushes))
	pushClient.CloseIdleConnections() // not to be counted in the "after"

	for s, k := range statuses {
		if s >= 500 {
			p.fiveXX += k
		}
	}
	p.timeouts += sendErrs
	p.sent = fmt.Sprintf("%d pushes in %v + %d hostile; %d subscribers", pushes, window.Round(time.Millisecond), hostile.sent, subs)
	p.outcomes = fmt.Sprintf("burst HTTP %s (%d acknowledged with their noise); subscribers ended %d; RESYNCs %d (%d to %d each; metric +%.0f); events %d (%d without customer); upstream calls %.0f; last message %v after the first push",
		counts(statuses), acked, ended, resyncs, minR, maxR, m1["gateway_subscription_resyncs_total"]-m0["gateway_subscription_resyncs_total"],
		events, nulls, upstream, lastMsg.Round(time.Millisecond))
	if ended != 0 {
		p.fail(fmt.Sprintf("%d of %d subscribers ended during the burst", ended, subs))
	}
	if acked != pushes {
		p.fail(fmt.Sprintf("%d of %d pushes acknowledged with their noise", acked, pushes))
	}
	p.detail = [][]string{{"pushes", "n", "HTTP status: n"}}
	p.detail = append(p.detail, []string{"burst: change_customer_tag, one per customer, paced over 1 s", fmt.Sprint(pushes), counts(statuses)})
	for _, r := range hostile.rows {
		p.detail = append(p.detail, r)
		for s, k := range hostile.byCase[r[0]] {
			if s >= 500 {
				p.fiveXX += k
			}
		}
	}
	pushOutcomes, _ := proc.Series(t.ops, "gateway_push_events_total")
	keys := make([]string, 0, len(pushOutcomes))
	for k := range pushOutcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.detail = append(p.detail, []string{"(gateway_push_events_total" + k + ", whole run)", fmt.Sprint(pushOutcomes[k]), ""})
	}
	return nil
}

// pushTargets reads n of pushOwner's customer ids and a tag (its Tanma id
// and WeChat id) through the gateway.
func pushTargets(base string, n int) (ids []string, tagID, qwTagID string, err error) {
	after := any(nil)
	for len(ids) < n {
		var r struct {
			Data struct {
				Customers struct {
					Edges []struct {
						Node struct{ CustomerID string }
					}
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
		}
		if err := query(base, keyPush, `query($a: String) { customers(ownerId: "`+pushOwner+`", first: 100, after: $a) { edges { node { customerId } } pageInfo { hasNextPage endCursor } } }`,
			map[string]any{"a": after}, &r); err != nil {
			return nil, "", "", err
		}
		for _, e := range r.Data.Customers.Edges {
			ids = append(ids, e.Node.CustomerID)
		}
		if !r.Data.Customers.PageInfo.HasNextPage {
			break
		}
		after = r.Data.Customers.PageInfo.EndCursor
	}
	if len(ids) < n {
		return nil, "", "", fmt.Errorf("%s has %d customers, %d wanted", pushOwner, len(ids), n)
	}
	var tg struct {
		Data struct {
			TagGroups []struct {
				Tags []struct{ TagID, QwTagID string }
			}
		}
	}
	if err := query(base, keyPush, `{ tagGroups { tags { tagId qwTagId } } }`, nil, &tg); err != nil {
		return nil, "", "", err
	}
	if len(tg.Data.TagGroups) == 0 || len(tg.Data.TagGroups[0].Tags) == 0 {
		return nil, "", "", fmt.Errorf("no tag in the library")
	}
	t := tg.Data.TagGroups[0].Tags[0]
	return ids[:n], t.TagID, t.QwTagID, nil
}

// query posts a GraphQL request with key and decodes its answer into out;
// an answer with errors is an error.
func query(base, key, q string, vars map[string]any, out any) error {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/query", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var e struct{ Errors []any }
	if json.Unmarshal(raw, &e) == nil && len(e.Errors) > 0 || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.300s", resp.StatusCode, raw)
	}
	return json.Unmarshal(raw, out)
}

// pushClient sends pushes; a push's body is due within 5 s.
var pushClient = &http.Client{Timeout: 15 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

// push sends plaintext as Tanma would at now, after alter (may be nil)
// changes the request, and returns the answer's status and body.
func push(base, plaintext string, now time.Time, alter func(*http.Request)) (int, string, error) {
	req, err := tanma.PushRequest(base+eventsPath, []byte(plaintext), sandbox.DefaultAppID,
		tanma.CorpID(sandbox.DefaultAppID), sandbox.DefaultAppKey, now)
	if err != nil {
		return 0, "", err
	}
	if alter != nil {
		alter(req)
	}
	resp, err := pushClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return resp.StatusCode, strings.TrimSpace(string(b)), nil
}

// hostileResult is what the hostile pushes got: one row per case.
type hostileResult struct {
	sent   int
	rows   [][]string
	byCase map[string]map[int]int
}

// hostilePushes sends a few of each forged or malformed push, msgIds from
// msgBase on.
func hostilePushes(base string, msgBase int64) hostileResult {
	env := func(i int64, typ, content string) string {
		return fmt.Sprintf(`{"noise":%d,"msgId":%d,"type":%q,"content":%s}`, 5000+i, msgBase+i, typ, content)
	}
	contact := `{"customerId":"398604120668224","contactId":"","eventId":"1"}`
	replayed := env(0, tanma.PushContactEdit, contact)
	cases := []struct {
		name      string
		n         int
		plaintext func(i int) string
		now       time.Time
		alter     func(*http.Request)
	}{
		{"replay of one msgId (first applied, then replays)", 10, func(int) string { return replayed }, time.Now(), nil},
		{"forged sign", 10, func(i int) string { return env(int64(100+i), tanma.PushContactEdit, contact) }, time.Now(),
			func(r *http.Request) { r.Header.Set(tanma.HeaderSign, strings.Repeat("0", 64)) }},
		{"timestamp 10 minutes old", 10, func(i int) string { return env(int64(200+i), tanma.PushContactEdit, contact) }, time.Now().Add(-10 * time.Minute), nil},
		{"another app id", 5, func(i int) string { return env(int64(300+i), tanma.PushContactEdit, contact) }, time.Now(),
			func(r *http.Request) { r.Header.Set(tanma.HeaderAppID, "ww_someone_else") }},
		{"version 2", 5, func(i int) string { return env(int64(400+i), tanma.PushContactEdit, contact) }, time.Now(),
			func(r *http.Request) { r.Header.Set("version", "2") }},
		{"body not Base64", 5, func(i int) string { return "x" }, time.Now(),
			func(r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader("!!! not base64 !!!"))
				r.ContentLength = 18
			}},
		{"body over 64 KiB", 5, func(i int) string {
			return env(int64(500+i), tanma.PushContactEdit, `{"pad":"`+strings.Repeat("a", 70<<10)+`"}`)
		}, time.Now(), nil},
		{"envelope not JSON", 5, func(int) string { return "not json" }, time.Now(), nil},
		{"documented type, content of another shape", 5, func(i int) string { return env(int64(600+i), tanma.PushCustomerTag, `[1,2,3]`) }, time.Now(), nil},
		{"unknown type", 5, func(i int) string { return env(int64(700+i), "made_up_type", `{}`) }, time.Now(), nil},
	}
	res := hostileResult{byCase: map[string]map[int]int{}}
	for _, c := range cases {
		st := map[int]int{}
		for i := range c.n {
			status, _, err := push(base, c.plaintext(i), c.now, c.alter)
			if err != nil {
				status = 0
			}
			st[status]++
			res.sent++
		}
		res.byCase[c.name] = st
		res.rows = append(res.rows, []string{c.name, fmt.Sprint(c.n), counts(st)})
	}
	return res
}
