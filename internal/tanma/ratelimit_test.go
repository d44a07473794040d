package tanma_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestLocalRateLimit: the gateway's own QPS limit waits when there is time
// and fails at once, distinguishably, when the wait would pass the deadline.
func TestLocalRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		qps       float64
		deadline  time.Duration // of the second call; 0: none
		wantIs    []error       // nil: success
		wantCalls int
	}{
		{name: "wait fits the deadline", qps: 20, deadline: time.Second, wantCalls: 2},
		{name: "no deadline: waits", qps: 20, wantCalls: 2},
		{name: "wait would pass the deadline", qps: 1, deadline: 200 * time.Millisecond, wantIs: []error{tanma.ErrRateLimited, tanma.ErrLocalRateLimit}, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			obs := &recordingObserver{}
			c := startRecorder(t, rec, tanma.WithRateLimit(tt.qps, 1), tanma.WithObserver(obs))
			require.NoError(t, listDowen(t.Context(), c)) // takes the only token
			ctx := t.Context()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}

			start := time.Now()
			_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "other", Size: 100})
			elapsed := time.Since(start)

			assert.Len(t, rec.requests(), tt.wantCalls)
			if tt.wantIs == nil {
				require.NoError(t, err)
				assert.GreaterOrEqual(t, elapsed, 25*time.Millisecond, "waited for a token")
				return
			}
			assert.Less(t, elapsed, 100*time.Millisecond, "fails at once")
			assertSentinels(t, err, tt.wantIs...)
			var apiErr *tanma.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Zero(t, apiErr.HTTPStatus, "no upstream answer")
			assert.Greater(t, apiErr.RetryAfter, time.Duration(0))
			assert.Contains(t, err.Error(), "gateway's own")
			assert.Contains(t, err.Error(), "not the upstream's")
			_, infos := obs.infos()
			require.Len(t, infos, 2, "the first call and the refused one")
			assert.Equal(t, tanma.OutcomeQuota, infos[1].Outcome, "the observer hears of the refusal")
		})
	}
}

// TestLocalRateLimitCancel: a caller leaving while it waits for a token gets
// its context's error and sends nothing.
func TestLocalRateLimitCancel(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := startRecorder(t, rec, tanma.WithRateLimit(0.5, 1))
	require.NoError(t, listDowen(t.Context(), c))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(30*time.Millisecond, cancel)

	start := time.Now()
	err := c.Do(ctx, tanma.PathSearchCustomers, tanma.SearchRequest{PageNo: 1, PageSize: 1}, nil)

	assert.Less(t, time.Since(start), bound)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, tanma.ErrLocalRateLimit)
	assert.Len(t, rec.requests(), 1)
}
