package main

import (
	"time"
)

// phase is what one phase of the attack reports: what it sent, what came
// back, and the gateway before, at its peak during the phase and after it
// settled.
type phase struct {
	name     string
	sent     string // what was sent, e.g. "10,000 requests"
	outcomes string // by HTTP status class, close code...
	fiveXX   int    // HTTP 5xx answers (must be 0)
	timeouts int    // requests or sockets that got no answer in time
	failed   []string

	before, peak, after point
	samples, missed     int
	took                time.Duration

	// detail is the phase's own table (header, then rows).
	detail [][]string
}

// fail records a check the phase failed.
func (p *phase) fail(format string) { p.failed = append(p.failed, format) }

// measure runs attack as phase name: observes the gateway before, samples
// it every 100 ms while attack runs, then waits settle and observes it
// after.
func measure(t *target, name string, settle time.Duration, attack func(p *phase) error) (*phase, error) {
	p := &phase{name: name, before: observe(t)}
	s := startSampler(t)
	startedAt := time.Now()
	err := attack(p)
	p.took = time.Since(startedAt)
	p.peak, p.samples, p.missed = s.stop()
	time.Sleep(settle)
	p.after = observe(t)
	return p, err
}
