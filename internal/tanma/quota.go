package tanma

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// Quota keeps upstream calls within the app's QPS quota. The client takes
// one permit per HTTP attempt, retries included.
type Quota interface {
	// Wait returns nil once one call may be sent. When the call could only
	// go after deadline (zero: none) it returns ErrLocalRateLimit at once,
	// with how long the wait would have been; when ctx ends first, ctx's
	// error.
	Wait(ctx context.Context, deadline time.Time) (wait time.Duration, err error)
}

// NewLocalQuota returns a token bucket in this process: qps calls per
// second with bursts of up to burst; qps <= 0 returns nil (no limit).
func NewLocalQuota(qps float64, burst int) Quota {
	if qps <= 0 {
		return nil
	}
	return localQuota{rate.NewLimiter(rate.Limit(qps), max(burst, 1))}
}

// localQuota is a Quota over golang.org/x/time/rate.
type localQuota struct{ l *rate.Limiter }

var _ Quota = localQuota{}

func (l localQuota) Wait(ctx context.Context, deadline time.Time) (time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	r := l.l.Reserve()
	if !r.OK() {
		return 0, ErrLocalRateLimit
	}
	wait := r.Delay()
	if wait <= 0 {
		return 0, nil
	}
	if !deadline.IsZero() && time.Until(deadline) < wait {
		r.Cancel()
		return wait, ErrLocalRateLimit
	}
	if !sleep(ctx, wait) {
		r.Cancel()
		return 0, ctx.Err()
	}
	return 0, nil
}
