package sandbox

import (
	"net/http"
	"slices"
	"time"
)

// Faults are the failures the sandbox injects; set them with SetFaults.
// The zero value injects nothing.
type Faults struct {
	Latency     time.Duration // added before every answer (ends early if the caller gives up)
	ErrorRate   float64       // fraction of calls answered with HTTP 500
	Code        int           // non-zero: every call answers HTTP 200 with this code
	Message     string        // message for Code (default "系统异常")
	RateLimited bool          // every call answers HTTP 429 with Retry-After
	RetryAfter  time.Duration // Retry-After for RateLimited (default 1s)
	Paths       []string      // limit the faults to these endpoint paths; empty means all
}

// SetFaults replaces the injected faults; safe while serving.
func (s *Server) SetFaults(f Faults) { s.faults.Store(&f) }

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() { s.faults.Store(nil) }

func (s *Server) faultsFor(path string) Faults {
	f := s.faults.Load()
	if f == nil || (len(f.Paths) > 0 && !slices.Contains(f.Paths, path)) {
		return Faults{}
	}
	return *f
}

// answer returns the injected failure for one call, or nil.
func (f Faults) answer() *answer {
	switch {
	case f.RateLimited:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		// Sandbox choice: Tanma documents no rate-limit answer; HTTP 429 with
		// Retry-After is what a gateway in front of it would send.
		return &answer{status: http.StatusTooManyRequests, code: http.StatusTooManyRequests, message: "请求过于频繁", retryAfter: ra}
	case f.Code != 0:
		msg := f.Message
		if msg == "" {
			msg = "系统异常"
		}
		return &answer{status: http.StatusOK, code: f.Code, message: msg}
	case chance(f.ErrorRate):
		return &answer{status: http.StatusInternalServerError, code: http.StatusInternalServerError, message: "系统异常"}
	}
	return nil
}
