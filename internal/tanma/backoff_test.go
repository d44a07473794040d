package tanma

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestBackoff: full jitter below base·2ⁿ capped at the max delay, never
// less than Retry-After, and no retry when Retry-After exceeds the max.
func TestBackoff(t *testing.T) {
	t.Parallel()
	p := retryPolicy{attempts: 3, base: 100 * time.Millisecond, maxDelay: 2 * time.Second}
	tests := []struct {
		name       string
		retry      int
		retryAfter time.Duration
		wantMin    time.Duration
		wantMax    time.Duration
		wantOK     bool
	}{
		{name: "first retry", retry: 0, wantMax: 100 * time.Millisecond, wantOK: true},
		{name: "second retry", retry: 1, wantMax: 200 * time.Millisecond, wantOK: true},
		{name: "capped", retry: 10, wantMax: 2 * time.Second, wantOK: true},
		{name: "no overflow", retry: 200, wantMax: 2 * time.Second, wantOK: true},
		{name: "retry-after is a floor", retry: 0, retryAfter: time.Second, wantMin: time.Second, wantMax: time.Second, wantOK: true},
		{name: "retry-after at the max", retry: 0, retryAfter: 2 * time.Second, wantMin: 2 * time.Second, wantMax: 2 * time.Second, wantOK: true},
		{name: "retry-after past the max", retry: 0, retryAfter: 3 * time.Second, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seen := map[time.Duration]bool{}
			for range 200 {
				got, ok := p.backoff(tt.retry, tt.retryAfter)
				assert.Equal(t, tt.wantOK, ok)
				if !ok {
					return
				}
				assert.GreaterOrEqual(t, got, tt.wantMin)
				assert.LessOrEqual(t, got, tt.wantMax)
				seen[got] = true
			}
			if tt.wantMin != tt.wantMax {
				assert.Greater(t, len(seen), 10, "jittered")
			}
		})
	}
	zero := retryPolicy{attempts: 3}
	got, ok := zero.backoff(5, 0)
	assert.True(t, ok)
	assert.Zero(t, got, "a zero base retries at once")
}
