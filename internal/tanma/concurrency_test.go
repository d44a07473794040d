package tanma_test

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestMaxConcurrent: never more upstream requests in flight than the bound.
func TestMaxConcurrent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		limit int
		calls int
	}{
		{name: "four", limit: 4, calls: 20},
		{name: "one", limit: 1, calls: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var now, peak atomic.Int64
			rec := &recorder{reply: func(w http.ResponseWriter, r *http.Request, n int) {
				cur := now.Add(1)
				for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				now.Add(-1)
				answer(200, `{"code":0,"data":null}`)(w, r, n)
			}}
			c := startRecorder(t, rec, tanma.WithMaxConcurrent(tt.limit))
			var wg sync.WaitGroup
			for i := range tt.calls {
				wg.Go(func() {
					_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: fmt.Sprint("user", i), Size: 100})
					assert.NoError(t, err)
				})
			}
			wg.Wait()
			assert.Len(t, rec.requests(), tt.calls)
			assert.LessOrEqual(t, peak.Load(), int64(tt.limit))
			assert.Equal(t, int64(tt.limit), peak.Load(), "the bound is reached")
		})
	}
}

// TestMaxConcurrentWaitRespectsContext: a call waiting for a slot leaves
// when its context ends, without sending anything.
func TestMaxConcurrentWaitRespectsContext(t *testing.T) {
	t.Parallel()
	g, c := startGate(t, `{"code":0,"data":null}`, tanma.WithMaxConcurrent(1))
	done := make(chan error, 1)
	go func() { done <- listDowen(t.Context(), c) }()
	<-g.reached // holds the only slot

	ctx, cancel := contextWithTimeout(t, 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "other", Size: 100})
	assert.Less(t, time.Since(start), bound)
	assertSentinels(t, err, tanma.ErrUnavailable)
	assert.Len(t, g.rec.requests(), 1, "the waiting call was not sent")

	g.release()
	assert.NoError(t, <-done)
}
