package main

import (
	"fmt"
	"sync"
	"time"
)

// runHTTP is phase 1: the hostile cases' total requests over workers, the
// slow connections at the same time, tallied into p.
func runHTTP(t *target, p *phase, total, workers int) error {
	cursor, err := validCursor(t.base)
	if err != nil {
		return fmt.Errorf("a valid cursor to forge from: %w", err)
	}
	cases := hostileCases(&kit{base: t.base, cursor: cursor})
	var slow []slowCase
	var slowTallies []*tally
	var wg sync.WaitGroup
	wg.Go(func() { slow, slowTallies = runSlow(t.host) })
	tallies := runHostile(cases, total, workers)
	wg.Wait()

	p.detail = [][]string{{"category", "sent", "HTTP status: n", "first error code: n", "5xx", "timeouts", "no answer", "leaks", "mean", "slowest", "mean answer"}}
	sent, classes, data := 0, map[string]int{}, 0
	add := func(name string, tl *tally) {
		sent += tl.sent
		for s, k := range tl.statuses {
			classes[fmt.Sprintf("%dxx", s/100)] += k
		}
		classes["no answer"] += tl.connErrs
		data += tl.codes["data"]
		p.fiveXX += tl.fiveXX()
		p.timeouts += tl.timeouts
		codes := "-"
		if len(tl.codes) > 0 {
			codes = counts(tl.codes)
		}
		p.detail = append(p.detail, []string{name, fmt.Sprint(tl.sent), counts(tl.statuses), codes, fmt.Sprint(tl.fiveXX()),
			fmt.Sprint(tl.timeouts), fmt.Sprint(tl.connErrs), fmt.Sprint(tl.leaks), tl.mean().Round(100 * time.Microsecond).String(), tl.slowest().Round(time.Millisecond).String(), size(tl.bytesIn, tl.sent)})
		if tl.leaks > 0 {
			p.fail(fmt.Sprintf("%s: %d answers leak (%s)", name, tl.leaks, tl.samples[0]))
		}
		if tl.fiveXX() > 0 || tl.timeouts > 0 {
			p.fail(fmt.Sprintf("%s: %d 5xx, %d timeouts, e.g. %v", name, tl.fiveXX(), tl.timeouts, tl.samples))
		}
	}
	for i, c := range cases {
		add(c.name, tallies[i])
	}
	for i, c := range slow {
		add(c.name, slowTallies[i])
	}
	if classes["no answer"] == 0 {
		delete(classes, "no answer")
	}
	p.sent = fmt.Sprintf("%d requests (%d categories, %d workers)", sent, len(cases)+len(slow), workers)
	p.outcomes = fmt.Sprintf("%s (answers with data and no error: %d)", counts(classes), data)
	return nil
}

// size is the mean answer size of n answers of total bytes.
func size(total int64, n int) string {
	if n == 0 {
		return "-"
	}
	m := float64(total) / float64(n)
	if m >= 10<<10 {
		return fmt.Sprintf("%.0f KiB", m/1024)
	}
	return fmt.Sprintf("%.0f B", m)
}

// validCursor is the end cursor of dowen's first two customers: the
// original of the forged ones.
func validCursor(base string) (string, error) {
	var r struct {
		Data struct {
			Customers struct {
				PageInfo struct{ EndCursor string }
			}
		}
	}
	err := query(base, keyHostile, `{ customers(ownerId: "dowen", first: 2) { pageInfo { endCursor } } }`, nil, &r)
	if err == nil && r.Data.Customers.PageInfo.EndCursor == "" {
		err = fmt.Errorf("no end cursor")
	}
	return r.Data.Customers.PageInfo.EndCursor, err
}

// warm reads what every phase leans on (the reference data) once, so the
// first phase's baseline is the gateway at work, not at start.
func warm(base string) error {
	var out any
	return query(base, keyHostile, `{ customers(ownerId: "dowen", first: 5) { edges { node { id name owner { name departments { name } } tags { name } stage { label } fields { key text } } } } tagGroups { name } }`, nil, &out)
}
