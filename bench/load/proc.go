package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat times (100 on Linux).
const clockTicks = 100

// cpuSeconds is the user+system CPU time the process has used.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which may hold spaces) start after ')'.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / clockTicks, nil
}

// peakRSS is the process's peak resident memory (VmHWM) in MB.
func peakRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM")
}

// metric reads the sum of a metric's samples from the gateway's /metrics.
func metric(base, name string) (float64, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	var sum float64
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, name+"{") || strings.HasPrefix(line, name+" ") {
			v, err := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			if err == nil {
				sum += v
			}
		}
	}
	return sum, nil
}

// upstreamCalls is how many upstream attempts the gateway has made.
func upstreamCalls(base string) (float64, error) {
	return metric(base, "gateway_upstream_request_duration_seconds_count")
}

// sampler records the gateway's heap in use at an interval.
type sampler struct {
	stopc chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	mb    []float64
}

func startSampling(base string, every time.Duration) *sampler {
	s := &sampler{stopc: make(chan struct{})}
	if every <= 0 {
		return s
	}
	s.wg.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stopc:
				return
			case <-t.C:
				if v, err := metric(base, "go_memstats_heap_inuse_bytes"); err == nil {
					s.mu.Lock()
					s.mb = append(s.mb, v/(1<<20))
					s.mu.Unlock()
				}
			}
		}
	})
	return s
}

func (s *sampler) stop() []float64 {
	close(s.stopc)
	s.wg.Wait()
	return s.mb
}

func series(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', 1, 64)
	}
	return strings.Join(parts, " ")
}

// trend is the least-squares slope of the samples, per minute, given the
// samples' spacing in seconds.
func trend(v []float64, spacing float64) float64 {
	n := float64(len(v))
	if n < 2 || spacing <= 0 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i, y := range v {
		x := float64(i) * spacing
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	slope := (n*sxy - sx*sy) / (n*sxx - sx*sx) // MB per second
	return slope * 60
}

// startProfile records a CPU profile of the gateway for most of the run
// into path (nothing when path is empty); the function it returns waits for
// the profile and reports how writing it went.
func startProfile(base, path string, d time.Duration) func() error {
	if path == "" {
		return func() error { return nil }
	}
	secs := max(1, int(d.Seconds())-1)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", base, secs))
		if err != nil {
			errc <- err
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(path)
		if err != nil {
			errc <- err
			return
		}
		_, err = io.Copy(f, resp.Body)
		errc <- errors.Join(err, f.Close())
	}()
	return func() error { return <-errc }
}
