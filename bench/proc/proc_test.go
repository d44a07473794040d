package proc_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/bench/proc"
)

func TestFreeAddrCanBeListenedOn(t *testing.T) {
	t.Parallel()
	addr := proc.FreeAddr()
	host, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", host)
	assert.Equal(t, port, proc.Port(addr))
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err, "nothing holds the address")
	ln.Close()
}

func TestWaitListening(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	assert.NoError(t, proc.WaitListening(ln.Addr().String(), time.Second))
	assert.ErrorContains(t, proc.WaitListening(proc.FreeAddr(), 100*time.Millisecond), "nothing listens on")
}

func TestWaitReadyWaitsFor200(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := calls.Add(1); r.URL.Path != "/readyz" || n < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	require.NoError(t, proc.WaitReady(srv.URL+"/readyz", 5*time.Second))
	assert.Equal(t, int32(3), calls.Load(), "polled until it answered 200")
	assert.ErrorContains(t, proc.WaitReady(srv.URL+"/other", 100*time.Millisecond), "did not answer 200")
}

func TestStopInterrupts(t *testing.T) {
	t.Parallel()
	c := exec.Command("sleep", "60")
	require.NoError(t, c.Start())
	start := time.Now()
	proc.Stop(c)
	assert.Less(t, time.Since(start), 5*time.Second, "sleep ends on SIGINT, no kill needed")
	assert.NotNil(t, c.ProcessState, "waited for")
	proc.Stop(exec.Command("true")) // never started: nothing to do
}

func TestReadsThisProcess(t *testing.T) {
	t.Parallel()
	m, err := proc.ReadMemory(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, m.RSS)
	assert.GreaterOrEqual(t, m.HWM, m.RSS, "the high-water mark is at least what is resident")
	deadline := time.Now().Add(50 * time.Millisecond)
	for time.Now().Before(deadline) { // spend some CPU
	}
	cpu, err := proc.CPUSeconds(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, cpu)
	_, err = proc.ReadMemory(-1)
	assert.Error(t, err)
}

func TestMetricsAndSeries(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `# HELP go_goroutines Number of goroutines.
go_goroutines 42
gateway_push_events_total{outcome="accepted"} 3
gateway_push_events_total{outcome="forged"} 2
gateway_push_events_total_other 9
`)
	}))
	defer srv.Close()
	m, err := proc.Metrics(srv.URL, "go_goroutines", "gateway_push_events_total", "absent")
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"go_goroutines": 42, "gateway_push_events_total": 5}, m)
	s, err := proc.Series(srv.URL, "gateway_push_events_total")
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{`{outcome="accepted"}`: 3, `{outcome="forged"}`: 2}, s)
	_, err = proc.Metrics(srv.URL+"/nowhere", "go_goroutines")
	assert.ErrorContains(t, err, "404")
}
