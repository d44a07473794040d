package server

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestCachedCheckAsksAtMostOncePerInterval: probes between runs get the
// last answer; the check runs on its own timeout, not the probe's context.
func TestCachedCheckAsksAtMostOncePerInterval(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	fail := errors.New("upstream down")
	var answer atomic.Pointer[error]
	check := CachedCheck(func(ctx context.Context) error {
		calls.Add(1)
		if _, ok := ctx.Deadline(); !ok {
			t.Error("the check has no timeout")
		}
		if p := answer.Load(); p != nil {
			return *p
		}
		return nil
	}, 50*time.Millisecond, time.Second)
	for range 10 {
		assert.NoError(t, check(context.Background()))
	}
	assert.Equal(t, int64(1), calls.Load())
	answer.Store(&fail)
	time.Sleep(60 * time.Millisecond)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, check(cancelled), fail, "a probe that gave up still gets the check's answer")
	assert.Equal(t, int64(2), calls.Load())
}
