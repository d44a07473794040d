package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
)

// metric reads the sum of a metric's samples from the gateway's /metrics.
func metric(base, name string) (float64, error) {
	m, err := proc.Metrics(base, name)
	return m[name], err
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
