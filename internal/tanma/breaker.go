package tanma

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sony/gobreaker/v2"
)

// breakers holds one circuit breaker per upstream endpoint path, made on
// first use. A nil *breakers disables circuit breaking.
type breakers struct {
	failures uint32
	openFor  time.Duration

	mu sync.Mutex
	m  map[string]*breaker
}

// breaker is one endpoint's circuit breaker and when it last opened.
type breaker struct {
	cb       *gobreaker.TwoStepCircuitBreaker[struct{}]
	openFor  time.Duration
	openedAt atomic.Int64 // Unix nanoseconds
}

// Verdicts fed to a breaker after a call: nil is a success.
var (
	errBreakerFailure  = errors.New("upstream failure")
	errBreakerExcluded = errors.New("not the upstream's doing")
)

func newBreakers(failures uint32, openFor time.Duration) *breakers {
	if failures == 0 {
		return nil
	}
	return &breakers{failures: failures, openFor: openFor, m: map[string]*breaker{}}
}

// get returns path's breaker, making it on first use; nil when disabled.
func (bs *breakers) get(path string) *breaker {
	if bs == nil {
		return nil
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if b, ok := bs.m[path]; ok {
		return b
	}
	b := &breaker{openFor: bs.openFor}
	b.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        path,
		MaxRequests: 1, // one probe when half-open
		Timeout:     bs.openFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= bs.failures },
		// Called under the breaker's own lock: touch nothing but b.openedAt.
		OnStateChange: func(_ string, _, to gobreaker.State) {
			if to == gobreaker.StateOpen {
				b.openedAt.Store(time.Now().UnixNano())
			}
		},
		IsSuccessful: func(err error) bool { return err == nil },
		IsExcluded:   func(err error) bool { return errors.Is(err, errBreakerExcluded) },
	})
	bs.m[path] = b
	return b
}

// remaining estimates how long the circuit stays open, for Retry-After.
func (b *breaker) remaining() time.Duration {
	left := time.Until(time.Unix(0, b.openedAt.Load()).Add(b.openFor))
	return max(left, 0)
}

// breakerVerdict says how a call counts, from the result of its last
// attempt: upstream failures (transport, timeout, 5xx, 429) are failures;
// any answer, even a business error (code != 0, 1002, 4xx, an unreadable
// envelope), is a success; calls the client never sent do not count.
//
// A call whose context ended while it waited for the upstream counts by
// why it ended: cut by its callers' deadline (context.DeadlineExceeded,
// the request deadline), it is a failure, since an upstream that has not
// answered by then is one that hangs, and counting those is what opens
// the circuit on a hung upstream (every call there ends by the deadline,
// REQUEST_TIMEOUT being shorter than the attempts of TANMA_TIMEOUT with
// their backoff); cancelled (context.Canceled: the client went away, or
// every caller of a shared call left), it says nothing of the upstream and
// does not count.
func breakerVerdict(ctx context.Context, res result) error {
	switch {
	case res.outcome == "" || res.outcome == OutcomeCanceled:
		return errBreakerExcluded
	case ctx.Err() != nil && !errors.Is(context.Cause(ctx), context.DeadlineExceeded):
		return errBreakerExcluded
	case upstreamFailure(res.outcome):
		return errBreakerFailure
	}
	return nil
}

// CircuitStates returns the state of each endpoint's circuit breaker, by
// upstream path: "closed", "half-open" or "open". Only paths called since
// the client was made appear; it is empty when circuit breaking is off.
func (c *Client) CircuitStates() map[string]string {
	out := map[string]string{}
	bs := c.breakers
	if bs == nil {
		return out
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for path, b := range bs.m {
		out[path] = b.cb.State().String()
	}
	return out
}
