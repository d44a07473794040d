package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// What is observed of the gateway process from outside: its memory from
// /proc/<pid>/status, its goroutines and counters from /metrics (on
// METRICS_ADDR), sampled every 100 ms while a phase runs.

// sampleEvery is how often a phase samples the gateway.
const sampleEvery = 100 * time.Millisecond

// memory is the gateway's resident memory, MB: now (VmRSS) and the
// process's high-water mark so far (VmHWM).
type memory struct{ rss, hwm float64 }

func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		for prefix, into := range map[string]*float64{"VmRSS:": &m.rss, "VmHWM:": &m.hwm} {
			if rest, ok := strings.CutPrefix(line, prefix); ok {
				kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
				if err != nil {
					return memory{}, err
				}
				*into = kb / 1024
			}
		}
	}
	return m, s.Err()
}

// metricsClient reads /metrics; short timeout, so a stuck gateway shows
// as a missing sample rather than a stuck tool.
var metricsClient = &http.Client{Timeout: 2 * time.Second}

// metrics reads the sum of each named metric's samples (every label set)
// from the gateway's /metrics.
func metrics(ops string, names ...string) (map[string]float64, error) {
	resp, err := metricsClient.Get(ops + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("/metrics answered %s", resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(names))
	for _, line := range strings.Split(string(b), "\n") {
		for _, name := range names {
			if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
				if v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64); err == nil {
					out[name] += v
				}
			}
		}
	}
	return out, nil
}

// point is one observation of the gateway.
type point struct {
	rss, hwm   float64 // MB
	goroutines float64 // -1: /metrics did not answer
}

func observe(t *target) point {
	p := point{goroutines: -1}
	if m, err := readMemory(t.pid); err == nil {
		p.rss, p.hwm = m.rss, m.hwm
	}
	if m, err := metrics(t.ops, "go_goroutines"); err == nil {
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

// series reads every sample of one metric from /metrics, keyed by its
// label set as written ("" without labels).
func series(ops, name string) (map[string]float64, error) {
	resp, err := metricsClient.Get(ops + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, name)
		if !ok || (rest != "" && rest[0] != '{' && rest[0] != ' ') {
			continue
		}
		sp := strings.LastIndexByte(rest, ' ')
		if sp < 0 {
			continue
		}
		if v, err := strconv.ParseFloat(rest[sp+1:], 64); err == nil {
			out[strings.TrimSpace(rest[:sp])] = v
		}
	}
	return out, nil
}
