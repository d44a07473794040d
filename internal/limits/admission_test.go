package limits

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdmitBoundsRequestsInFlight: at most limit requests run at once; one
// more waits for a slot and runs when one frees; one that waits past its
// deadline is answered 503 RATE_LIMITED with Retry-After, never run.
func TestAdmitBoundsRequestsInFlight(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var running, most, served atomic.Int32
	h := Admit(2, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		running.Add(-1)
		served.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	do := func(ctx context.Context) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/query", nil).WithContext(ctx))
		return w
	}
	results := make(chan int, 3)
	for range 3 {
		go func() { results <- do(context.Background()).Code }()
	}
	require.Eventually(t, func() bool { return running.Load() == 2 }, 5*time.Second, time.Millisecond)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	w := do(ctx)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, "1", w.Header().Get("Retry-After"))
	var body struct {
		Errors []struct {
			Extensions map[string]any
		}
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body))
	require.Len(t, body.Errors, 1)
	assert.Equal(t, "RATE_LIMITED", body.Errors[0].Extensions["code"])

	close(release)
	for range 3 {
		assert.Equal(t, http.StatusOK, <-results)
	}
	assert.Equal(t, int32(2), most.Load(), "never more than the limit at once")
	assert.Equal(t, int32(3), served.Load(), "the waiting request ran once a slot freed")
}
