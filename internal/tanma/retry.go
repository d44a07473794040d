package tanma

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// retryPolicy is how read calls are retried (see WithRetry).
type retryPolicy struct {
	attempts int           // HTTP attempts in all, the first included; 1: no retry
	base     time.Duration // backoff ceiling before the first retry
	maxDelay time.Duration // largest wait between two attempts
}

// run makes one logical call: attempts until success, a failure that must
// not be retried, the retry budget running out, or the next wait passing the
// deadline. A clock-skew answer (code 1003) is re-signed and sent again at
// once, a single time, for reads and writes alike: the upstream rejected it
// before acting on it, and the extra attempt does not use the retry budget.
// Anything else is retried only for reads, and only when the upstream looks
// unwell: transport errors and timeouts, HTTP 5xx and HTTP 429.
func (c *Client) run(ctx context.Context, path string, raw []byte, write bool, deadline deadlineFunc) result {
	resigned := false
	retries := 0
	for n := 1; ; n++ {
		res := c.attempt(ctx, path, raw, n, deadline)
		switch {
		case res.err == nil:
			return res
		case ctx.Err() != nil:
			if write {
				return unknownOutcome(res)
			}
			return res
		case !resigned && res.status >= 200 && res.status <= 299 && errors.Is(res.err, ErrClockSkew):
			resigned = true
			continue
		case write:
			return unknownOutcome(res)
		case !upstreamFailure(res.outcome) || retries+1 >= c.retry.attempts:
			return res
		}
		var ra time.Duration
		var e *APIError
		if errors.As(res.err, &e) {
			ra = e.RetryAfter
		}
		wait, ok := c.retry.backoff(retries, ra)
		if !ok {
			return res
		}
		if dl, has := deadline(); has && time.Until(dl) < wait {
			return res // the answer would come too late to be of use
		}
		retries++
		if !sleep(ctx, wait) {
			return res
		}
	}
}

// unknownOutcome marks a write that was sent and got no answer that says
// it was refused. Only two answers say so: an HTTP 4xx (refused at the
// door: 400, 401, 404, 429...), and an envelope on an HTTP 2xx with one of
// the codes Tanma documents as refusals, which it sends before acting: a
// rejected signature (1002) or timestamp (1003), or a validation failure
// (请求参数验证失败：..., such as 40417 for a duplicate phone). Everything
// else may have followed the write's effect: no answer at all, an HTTP 5xx
// (the upstream, or a gateway in front of it, failed, perhaps after
// acting), a 2xx whose body cannot be read, or any other code (a generic
// system error may come after the write took effect).
func unknownOutcome(res result) result {
	var e *APIError
	if !res.sent || !errors.As(res.err, &e) || errors.Is(e.Err, ErrUnknownOutcome) {
		return res
	}
	refused := res.status >= 400 && res.status <= 499 ||
		res.status >= 200 && res.status <= 299 && documentedRefusal(e)
	if refused {
		return res
	}
	res.err = markUnknown(e)
	return res
}

// documentedRefusal: e's code is one Tanma documents as refusing a request
// before acting on it.
func documentedRefusal(e *APIError) bool {
	return errors.Is(e, ErrSignatureRejected) || errors.Is(e, ErrClockSkew) || errors.Is(e, ErrValidation)
}

// markUnknown returns a copy of e that also matches ErrUnknownOutcome.
func markUnknown(e *APIError) *APIError {
	cp := *e
	if cp.Err == nil {
		cp.Err = ErrUnknownOutcome
	} else {
		cp.Err = fmt.Errorf("%w: %w", ErrUnknownOutcome, cp.Err)
	}
	return &cp
}

// durationMax guards the backoff arithmetic.
const durationMax = time.Duration(math.MaxInt64)

// backoff returns the wait before retry number retry+1: a uniformly random
// duration up to base·2^retry capped at maxDelay ("full jitter"), but at
// least retryAfter. It reports false when retryAfter exceeds maxDelay: the
// upstream asks for a longer pause than a caller should wait for.
func (p retryPolicy) backoff(retry int, retryAfter time.Duration) (time.Duration, bool) {
	if retryAfter > p.maxDelay {
		return 0, false
	}
	ceiling := p.maxDelay
	if retry < 62 && p.base <= durationMax>>retry {
		ceiling = min(p.base<<retry, p.maxDelay)
	}
	var wait time.Duration
	if ceiling > 0 {
		wait = rand.N(ceiling + 1)
	}
	return max(wait, retryAfter), true
}

// sleep waits for d or until ctx ends, reporting whether the wait was whole.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
