package graph_test

import (
	"net/http"
	"sync/atomic"
	"time"
)

// inFlight counts the upstream calls to one path while they are in
// flight, each held for hold before the sandbox answers it, and keeps the
// most there were at once: whether calls overlap, and how far.
type inFlight struct {
	path string
	hold time.Duration
	now  atomic.Int64
	peak atomic.Int64
}

// wrap puts the count in front of the sandbox (an env's wrap).
func (f *inFlight) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == f.path {
			n := f.now.Add(1)
			defer f.now.Add(-1)
			for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
			}
			time.Sleep(f.hold)
		}
		h.ServeHTTP(w, r)
	})
}
