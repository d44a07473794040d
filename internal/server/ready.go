package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// CachedCheck runs check at most once per every (concurrent callers share
// the run) with its own timeout, and answers from the last result in
// between: readiness probes then cost what they check one call per
// interval, however often they come.
func CachedCheck(check func(context.Context) error, every, timeout time.Duration) func(context.Context) error {
	var (
		mu   sync.Mutex
		last time.Time
		err  error
	)
	return func(ctx context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		if !last.IsZero() && time.Since(last) < every {
			return err
		}
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		err, last = check(cctx), time.Now()
		return err
	}
}

// StatusHandler serves a diagnostic document as JSON (no store: always
// current).
func StatusHandler(doc func() any) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(doc())
	})
}
