package main

import (
	"sync"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
)

// What is observed of the gateway process from outside: its memory from
// /proc/<pid>/status, its goroutines and counters from /metrics (on
// METRICS_ADDR), sampled every 100 ms while a phase runs.

// sampleEvery is how often a phase samples the gateway.
const sampleEvery = 100 * time.Millisecond

// point is one observation of the gateway.
type point struct {
	rss, hwm   float64 // MB
	goroutines float64 // -1: /metrics did not answer
}

func observe(t *target) point {
	p := point{goroutines: -1}
	if m, err := proc.ReadMemory(t.pid); err == nil {
		p.rss, p.hwm = m.RSS, m.HWM
	}
	if m, err := proc.Metrics(t.ops, "go_goroutines"); err == nil {
		p.goroutines = m["go_goroutines"]
	}
	return p
}

// sampler observes the gateway every sampleEvery until stopped and keeps
// the peaks.
type sampler struct {
	stopc chan struct{}
	wg    sync.WaitGroup

	mu      sync.Mutex
	peak    point
	samples int
	missed  int // /metrics did not answer in time
}

func startSampler(t *target) *sampler {
	s := &sampler{stopc: make(chan struct{})}
	s.wg.Go(func() {
		tick := time.NewTicker(sampleEvery)
		defer tick.Stop()
		for {
			p := observe(t)
			s.mu.Lock()
			s.samples++
			if p.goroutines < 0 {
				s.missed++
			}
			s.peak.rss = max(s.peak.rss, p.rss)
			s.peak.hwm = max(s.peak.hwm, p.hwm)
			s.peak.goroutines = max(s.peak.goroutines, p.goroutines)
			s.mu.Unlock()
			select {
			case <-s.stopc:
				return
			case <-tick.C:
			}
		}
	})
	return s
}

// stop ends the sampling and returns the peaks, the number of samples and
// how many of them found /metrics unanswered.
func (s *sampler) stop() (point, int, int) {
	close(s.stopc)
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak, s.samples, s.missed
}
