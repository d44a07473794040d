package sandbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

const listBody = `{"qwUserId":"xiehua","size":10}`

// TestFaultLatency checks that Latency delays answers and that a caller who
// gives up is let go at once.
func TestFaultLatency(t *testing.T) {
	t.Parallel()
	t.Run("delays the answer", func(t *testing.T) {
		t.Parallel()
		sb := &sandbox.Server{}
		sb.SetFaults(sandbox.Faults{Latency: 50 * time.Millisecond})
		start := time.Now()
		w := post(sb, pathList, listBody)
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("answered after %v, want at least 50ms", d)
		}
		okData(t, w)
	})
	t.Run("a cancelled request returns early", func(t *testing.T) {
		t.Parallel()
		sb := &sandbox.Server{}
		sb.SetFaults(sandbox.Faults{Latency: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		r := signedRequest(pathList, []byte(listBody), defaultCreds()).WithContext(ctx)
		start := time.Now()
		w := serve(sb, r)
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("returned after %v, want soon after the 20ms deadline", d)
		}
		if w.Body.Len() != 0 {
			t.Errorf("answered %s to a caller who gave up", w.Body.Bytes())
		}
	})
}

// TestFaultAnswers checks each injected failure's HTTP status, code, message
// and headers.
func TestFaultAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		faults     sandbox.Faults
		status     int
		code       int    // 0: any non-zero code
		message    string // "": any message
		retryAfter string
	}{
		{name: "error rate 1", faults: sandbox.Faults{ErrorRate: 1}, status: http.StatusInternalServerError},
		{name: "code and message", faults: sandbox.Faults{Code: 12345, Message: "x"}, status: http.StatusOK, code: 12345, message: "x"},
		{name: "code without message", faults: sandbox.Faults{Code: 1003}, status: http.StatusOK, code: 1003},
		{name: "rate limited", faults: sandbox.Faults{RateLimited: true, RetryAfter: 2 * time.Second}, status: http.StatusTooManyRequests, retryAfter: "2"},
		{name: "rate limited, default Retry-After", faults: sandbox.Faults{RateLimited: true}, status: http.StatusTooManyRequests, retryAfter: "1"},
		{name: "rate limited, Retry-After rounded up", faults: sandbox.Faults{RateLimited: true, RetryAfter: 1500 * time.Millisecond}, status: http.StatusTooManyRequests, retryAfter: "2"},
		{name: "rate limit wins over a code", faults: sandbox.Faults{RateLimited: true, Code: 12345, ErrorRate: 1}, status: http.StatusTooManyRequests, retryAfter: "1"},
		{name: "code wins over error rate", faults: sandbox.Faults{Code: 12345, ErrorRate: 1}, status: http.StatusOK, code: 12345},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := &sandbox.Server{}
			sb.SetFaults(tt.faults)
			for _, path := range []string{pathList, pathSearch} {
				w := post(sb, path, listBody)
				if w.Code != tt.status {
					t.Errorf("%s: HTTP status %d, want %d", path, w.Code, tt.status)
				}
				env := decodeEnvelope(t, w.Body.Bytes())
				if env.Code == 0 || (tt.code != 0 && env.Code != tt.code) {
					t.Errorf("%s: code %d, want %d (non-zero)", path, env.Code, tt.code)
				}
				if env.Message == "" || (tt.message != "" && env.Message != tt.message) {
					t.Errorf("%s: message %q, want %q (non-empty)", path, env.Message, tt.message)
				}
				if string(env.Data) != "null" {
					t.Errorf("%s: data %s, want null", path, env.Data)
				}
				if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
					t.Errorf("%s: Retry-After %q, want %q", path, got, tt.retryAfter)
				}
			}
		})
	}
}

// TestFaultErrorRate checks that a fractional rate fails some calls, not all.
// With rate 0.5 and 100 calls, all-or-nothing has probability 2^-99.
func TestFaultErrorRate(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	sb.SetFaults(sandbox.Faults{ErrorRate: 0.5})
	failed := 0
	for range 100 {
		w := post(sb, pathList, `{"qwUserId":"zhaolei"}`)
		switch w.Code {
		case http.StatusInternalServerError:
			failed++
		case http.StatusOK:
		default:
			t.Fatalf("HTTP status %d", w.Code)
		}
	}
	if failed == 0 || failed == 100 {
		t.Errorf("%d of 100 calls failed at rate 0.5", failed)
	}
}

// TestFaultPaths checks that Paths limits the faults to those endpoints and
// that ClearFaults (or zero Faults) restores normal service.
func TestFaultPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		paths         []string
		listFails     bool
		searchFails   bool
		restore       func(*sandbox.Server)
		unknownFaults bool
	}{
		{name: "search only", paths: []string{pathSearch}, searchFails: true, restore: (*sandbox.Server).ClearFaults},
		{name: "list only", paths: []string{pathList}, listFails: true, restore: (*sandbox.Server).ClearFaults},
		{name: "both", paths: []string{pathList, pathSearch}, listFails: true, searchFails: true, restore: (*sandbox.Server).ClearFaults},
		{name: "all paths", listFails: true, searchFails: true, restore: func(s *sandbox.Server) { s.SetFaults(sandbox.Faults{}) }},
		{name: "another path", paths: []string{"/api/v3/echo"}, restore: (*sandbox.Server).ClearFaults},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sb := &sandbox.Server{}
			sb.SetFaults(sandbox.Faults{Code: 777, Message: "injected", Paths: tt.paths})
			check := func(path string, fails bool) {
				t.Helper()
				w := post(sb, path, `{"qwUserId":"zhaolei","customerId":1}`) // empty answers from both
				if fails {
					failure(t, w, http.StatusOK, 777, "injected", false)
				} else {
					okData(t, w)
				}
			}
			check(pathList, tt.listFails)
			check(pathSearch, tt.searchFails)
			tt.restore(sb)
			check(pathList, false)
			check(pathSearch, false)
		})
	}
}

// TestFaultsWhileServing changes faults while goroutines are being served;
// run with -race. Every answer is either a page or the injected failure.
func TestFaultsWhileServing(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	const workers, calls = 4, 25
	stop := make(chan struct{})
	var toggler sync.WaitGroup
	toggler.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if i%2 == 0 {
				sb.SetFaults(sandbox.Faults{Code: 999, Message: "toggled"})
			} else {
				sb.ClearFaults()
			}
			time.Sleep(100 * time.Microsecond)
		}
	})
	var wg sync.WaitGroup
	errs := make(chan string, workers*calls)
	for range workers {
		wg.Go(func() {
			for range calls {
				w := post(sb, pathList, listBody)
				var env envelope // not decodeEnvelope: no t.Fatal off the test goroutine
				err := json.Unmarshal(w.Body.Bytes(), &env)
				if err != nil || w.Code != http.StatusOK || (env.Code != 0 && env.Code != 999) {
					errs <- w.Body.String()
				}
				_ = sb.Calls(pathList)
				_ = sb.TotalCalls()
			}
		})
	}
	wg.Wait()
	close(stop)
	toggler.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("unexpected answer %s", e)
	}
	if got := sb.Calls(pathList); got != workers*calls {
		t.Errorf("Calls = %d, want %d", got, workers*calls)
	}
}
