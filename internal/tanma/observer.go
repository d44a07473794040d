package tanma

import (
	"context"
	"time"
)

// Outcomes of one upstream attempt, the values of CallInfo.Outcome. The set
// is closed (no other value is ever reported), so they are safe as metric
// labels.
const (
	OutcomeOK          = "ok"           // HTTP 2xx with code 0
	OutcomeError       = "error"        // HTTP 2xx with code != 0 (see CallInfo.Code)
	OutcomeHTTP4xx     = "http_4xx"     // any other non-2xx status below 500 but 429
	OutcomeHTTP5xx     = "http_5xx"     // HTTP 5xx
	OutcomeRateLimited = "rate_limited" // HTTP 429 from the upstream
	OutcomeTransport   = "transport"    // network failure or a cut-off answer
	OutcomeTimeout     = "timeout"      // the attempt's timeout (WithTimeout) or the callers' deadline ran out
	OutcomeCircuitOpen = "circuit_open" // failed fast: the endpoint's breaker is open, nothing sent
	OutcomeBadResponse = "bad_response" // an answer that is not a readable envelope
	OutcomeCanceled    = "canceled"     // every caller cancelled its context while the attempt ran
	OutcomeQuota       = "quota"        // failed fast: the gateway's own QPS quota (WithRateLimit) had no token in time, nothing sent
)

// Outcomes returns every value CallInfo.Outcome can take, for pre-declaring
// metric label values.
func Outcomes() []string {
	return []string{
		OutcomeOK, OutcomeError, OutcomeHTTP4xx, OutcomeHTTP5xx, OutcomeRateLimited,
		OutcomeTransport, OutcomeTimeout, OutcomeCircuitOpen, OutcomeBadResponse, OutcomeCanceled, OutcomeQuota,
	}
}

// CallInfo describes one finished upstream attempt. It never holds request
// or answer data, only the endpoint path and classifications.
type CallInfo struct {
	Path       string        // upstream endpoint path, e.g. PathSearchCustomers
	Attempt    int           // 1-based attempt number within one logical call
	Duration   time.Duration // time spent on the HTTP exchange (0 for circuit_open)
	Outcome    string        // one of the Outcome* constants (a closed set)
	Code       int           // envelope code when one was read, else 0
	HTTPStatus int           // HTTP status when an answer arrived, else 0
	Circuit    string        // the endpoint's circuit breaker state ("closed", "half-open", "open"; "" without one)
}

// Observer watches upstream attempts, so the application can count calls,
// export metrics and trace without this package importing a metrics or
// tracing library. StartCall is called once per HTTP attempt (retries and the
// clock-skew re-sign each count) and once per circuit-open or quota fast
// failure. The
// context it returns is the one the HTTP request is made with (a tracer may
// put a span in it); the function it returns is called exactly once, when the
// attempt ends. Implementations must be safe for concurrent use.
type Observer interface {
	StartCall(ctx context.Context, path string) (context.Context, func(CallInfo))
}

// nopObserver is the default Observer.
type nopObserver struct{}

func (nopObserver) StartCall(ctx context.Context, _ string) (context.Context, func(CallInfo)) {
	return ctx, func(CallInfo) {}
}

var _ Observer = nopObserver{}

// startCall runs the observer, tolerating a nil context or end function.
func (c *Client) startCall(ctx context.Context, path string) (context.Context, func(CallInfo)) {
	octx, end := c.observer.StartCall(ctx, path)
	if octx == nil {
		octx = ctx
	}
	if end == nil {
		end = func(CallInfo) {}
	}
	return octx, end
}
