package limits

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// admissionRetry is the Retry-After of a request that waited its deadline
// for a slot.
const admissionRetry = time.Second

// Admit runs at most limit requests of next at once; the others wait for
// a slot, first come first served, until their deadline. An executing
// GraphQL request holds its response in memory until it is written, so
// with more callers than the cores can serve, executing them all at once
// only adds memory (and spreads the same CPU over more requests); waiting
// requests hold next to nothing. One that waits past its deadline is
// answered 503 RATE_LIMITED with Retry-After.
func Admit(limit int, m *metrics.Metrics, next http.Handler) http.Handler {
	if limit <= 0 {
		return next
	}
	slots := make(chan struct{}, limit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			m.Rejected("in_flight")
			w.Header().Set("Retry-After", strconv.Itoa(int(admissionRetry/time.Second)))
			requestlog.WriteError(w, r, http.StatusServiceUnavailable, apperr.RateLimited,
				"the gateway is busy: retry in a second")
			return
		}
		defer func() { <-slots }()
		next.ServeHTTP(w, r)
	})
}
