package main

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
)

// runSockets is phase 2: while connections that never send
// connection_init wait out the gateway's 10 s, the flood opens n valid
// connections as fast as it can (two keys, four source addresses), each
// subscribing once; with the flood held, a caller's connections past
// MAX_SOCKETS_PER_CALLER and an address's past MAX_SOCKETS_PER_ADDRESS
// are opened, and the raw-frame abuse runs; then, hold after it was open
// at the earliest (the sets past the bounds and the abuse take about
// 7 s), the flood is closed.
func runSockets(ctx context.Context, t *target, p *phase, n, noInit int, hold time.Duration) error {
	// Never initialised: the gateway must close them after 10 s.
	silent := newGroup("no connection_init (closed by the gateway after 10 s)")
	silentDone := make(chan struct{})
	go func() {
		defer close(silentDone)
		silent.open(ctx, t.base, noInit, func(int) dialSpec { return dialSpec{source: noInitSource} })
		silent.settle(15 * time.Second)
	}()
	// The stalled-frame abuse waits out the gateway's ping timeout: it
	// starts now and is collected at the end.
	cases := abuseCases()
	slowAbuse, quickAbuse := cases[len(cases)-1:], cases[:len(cases)-1]
	var slowRes []*abuseResult
	var slowWG sync.WaitGroup
	slowWG.Go(func() { slowRes = runAbuse(t.host, slowAbuse) })

	flood := newGroup(fmt.Sprintf("flood: valid, subscribed (%d keys, %d addresses)", 2, len(floodSources)))
	flood.open(ctx, t.base, n, func(i int) dialSpec {
		key := keyFloodA
		if i%2 == 1 {
			key = keyFloodB
		}
		return dialSpec{source: floodSources[i%len(floodSources)], key: key, inHeader: i%4 >= 2, subscribe: true}
	})
	held := time.Now()
	subs := waitSubscriptions(t, float64(flood.subbed), 10*time.Second)

	// Past the bounds, with the flood held.
	// Key A holds (n+1)/2 of the flood: the set fills it and goes 50 past.
	callerRoom := perCaller - (n+1)/2
	overCaller := newGroup(fmt.Sprintf("over MAX_SOCKETS_PER_CALLER=%d (flood key A's %d more)", perCaller, callerRoom+50))
	overCaller.open(ctx, t.base, callerRoom+50, func(i int) dialSpec {
		return dialSpec{source: callerOverflowSource(i), key: keyFloodA}
	})
	perSource := (n + len(floodSources) - 1) / len(floodSources)
	overAddress := newGroup(fmt.Sprintf("over MAX_SOCKETS_PER_ADDRESS=%d (%s's %d more)", perAddress, floodSources[0], perAddress-perSource+10))
	overAddress.open(ctx, t.base, perAddress-perSource+10, func(int) dialSpec { return dialSpec{source: floodSources[0], key: keyFloodC} })
	overCaller.settle(3 * time.Second)
	overAddress.settle(time.Second)

	abuse := runAbuse(t.host, quickAbuse)
	time.Sleep(500 * time.Millisecond) // the abuse's subscriptions end
	pipelined := pipelinedOverAddress(t, floodSources[0], 20)

	time.Sleep(time.Until(held.Add(hold)))
	flood.reap()
	flood.drain()
	flood.closeAll()
	overAddress.closeAll()
	overCaller.closeAll()
	<-silentDone
	silent.closeAll()
	slowWG.Wait()
	abuse = append(abuse, slowRes...)

	// The table.
	p.detail = [][]string{{"connections", "n", "upgraded", "upgrade refused", "acked", "subscribed", "ended by the gateway (close code: n)", "operations refused", "closed by us", "took (raw: until ended)"}}
	groups := []struct {
		g *group
		n int
	}{{flood, n}, {silent, noInit}, {overCaller, callerRoom + 50}, {overAddress, perAddress - perSource + 10}}
	sockets, codes, refused := 0, map[int]int{}, map[int]int{}
	for _, gr := range groups {
		p.detail = append(p.detail, gr.g.row(gr.n))
		sockets += gr.n
		for c, k := range gr.g.codes {
			codes[c] += k
		}
		for s, k := range gr.g.refused {
			refused[s] += k
			if s >= 500 {
				p.fiveXX += k
			}
		}
		if k := gr.g.refused[0]; k > 0 {
			p.timeouts += k
		}
	}
	for i, c := range append(quickAbuse, slowAbuse...) {
		r := abuse[i]
		sockets += c.n
		ups := map[int]int{}
		for s, k := range r.upgrades {
			if s != 101 {
				ups[s] += k
				refused[s] += k
				if s >= 500 {
					p.fiveXX += k
				}
			}
		}
		for code, k := range r.codes {
			codes[code] += k
		}
		ref := "0"
		if len(ups) > 0 {
			ref = counts(ups)
		}
		note := ""
		if r.failed > 0 {
			note = fmt.Sprintf(" (%d could not run: %.80s)", r.failed, r.sample)
		}
		p.detail = append(p.detail, []string{"raw: " + c.name + note, fmt.Sprint(c.n), fmt.Sprint(r.upgrades[101]), ref, fmt.Sprint(r.acked), "",
			closeCodes(r.codes), fmt.Sprint(r.errs), "", r.slowest.Round(time.Millisecond).String()})
	}
	sockets += pipelined.n
	for code, k := range pipelined.codes {
		codes[code] += k
	}
	p.detail = append(p.detail, []string{fmt.Sprintf("raw: over MAX_SOCKETS_PER_ADDRESS (%s), connection_init and subscribe pipelined behind the upgrade; gateway_subscriptions +%.0f while held 1 s",
		floodSources[0], pipelined.rise), fmt.Sprint(pipelined.n), fmt.Sprint(pipelined.upgraded), "0", fmt.Sprint(pipelined.acked), "",
		closeCodes(pipelined.codes), "", "", ""})
	if pipelined.acked > 0 || pipelined.rise > 0 {
		p.fail(fmt.Sprintf("over MAX_SOCKETS_PER_ADDRESS: %d of %d connections that pipelined connection_init were acknowledged before their 4429, and gateway_subscriptions rose by %.0f while they were held",
			pipelined.acked, pipelined.n, pipelined.rise))
	}
	p.sent = fmt.Sprintf("%d sockets", sockets)
	p.outcomes = fmt.Sprintf("gateway_subscriptions at hold %.0f; close codes %s; upgrades refused %s", subs, closeCodes(codes), counts(refused))
	if room := perAddress - perSource; overAddress.acked > room {
		p.fail(fmt.Sprintf("over MAX_SOCKETS_PER_ADDRESS: %d connections acknowledged where %d fit", overAddress.acked, room))
	}
	if overCaller.acked > callerRoom {
		p.fail(fmt.Sprintf("over MAX_SOCKETS_PER_CALLER: %d connections acknowledged where %d fit", overCaller.acked, callerRoom))
	}
	if flood.subbed != n {
		p.fail(fmt.Sprintf("flood: %d of %d connections subscribed", flood.subbed, n))
	}
	return nil
}

// waitSubscriptions waits up to d for the gateway's gateway_subscriptions
// to reach want and returns the last value read.
func waitSubscriptions(t *target, want float64, d time.Duration) float64 {
	deadline := time.Now().Add(d)
	var v float64
	for {
		if m, err := proc.Metrics(t.ops, "gateway_subscriptions"); err == nil {
			v = m["gateway_subscriptions"]
		}
		if v >= want || time.Now().After(deadline) {
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
}
