package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// The bounds the gateway runs with. The socket flood is sized against
// them: two keys of perCaller connections each, spread over source
// addresses holding fewer than perAddress each, so the flood itself fits
// and the overflow sets cross exactly one bound each.
const (
	perCaller        = 500 // MAX_SOCKETS_PER_CALLER
	perAddress       = 300 // MAX_SOCKETS_PER_ADDRESS
	subsPerCaller    = 500 // MAX_SUBSCRIPTIONS_PER_CALLER: one per flood connection
	foreignOrigin    = "https://evil.example"
	allowedOrigin    = "https://dash.example.com"
	eventsPath       = "/tanma/events"
	maxBodyBytes     = 1 << 20 // MAX_BODY_BYTES, its default
	maxTokens        = 15000   // MAX_TOKENS, its default
	gatewayStartWait = 30 * time.Second
)

// target is the gateway under attack, run as its own process against the
// sandbox in another, with its addresses.
type target struct {
	base    string // http://127.0.0.1:port: the public port
	ops     string // METRICS_ADDR: /metrics and /upstream-status
	host    string // 127.0.0.1:port
	pid     int
	logPath string // the gateway's log (JSON lines)
	stop    func()
}

// start builds the gateway into dir, starts `gateway sandbox` pushing to
// the gateway's receiver, and the gateway against it with API keys, the
// bounds above and METRICS_ADDR; it returns once both answer.
func start(ctx context.Context, dir string, extraEnv []string) (*target, error) {
	bin := filepath.Join(dir, "gateway")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	sbAddr, gwAddr, opsAddr := freeAddr(), freeAddr(), freeAddr()
	sbLog, err := os.Create(filepath.Join(dir, "sandbox.log"))
	if err != nil {
		return nil, err
	}
	sb := exec.CommandContext(ctx, bin, "sandbox", "-addr", sbAddr, "-push", "http://"+gwAddr+eventsPath)
	sb.Stdout, sb.Stderr = sbLog, sbLog
	if err := sb.Start(); err != nil {
		return nil, err
	}
	if err := waitListening(sbAddr); err != nil {
		stopProcess(sb)
		return nil, err
	}
	logPath := filepath.Join(dir, "gateway.log")
	gwLog, err := os.Create(logPath)
	if err != nil {
		stopProcess(sb)
		return nil, err
	}
	gw := exec.CommandContext(ctx, bin)
	gw.Env = append(os.Environ(),
		"PORT="+port(gwAddr),
		"TANMA_APP_ID="+sandbox.DefaultAppID,
		"TANMA_APP_KEY="+string(sandbox.DefaultAppKey),
		"TANMA_BASE_URL=http://"+sbAddr,
		"API_KEYS="+apiKeys(),
		"METRICS_ADDR="+opsAddr,
		"CORS_ALLOWED_ORIGINS="+allowedOrigin,
		"TANMA_EVENTS_PATH="+eventsPath,
		"MAX_SOCKETS_PER_CALLER="+strconv.Itoa(perCaller),
		"MAX_SOCKETS_PER_ADDRESS="+strconv.Itoa(perAddress),
		"MAX_SUBSCRIPTIONS_PER_CALLER="+strconv.Itoa(subsPerCaller),
	)
	gw.Env = append(gw.Env, extraEnv...)
	gw.Stdout, gw.Stderr = gwLog, gwLog
	if err := gw.Start(); err != nil {
		stopProcess(sb)
		return nil, err
	}
	t := &target{
		base: "http://" + gwAddr, ops: "http://" + opsAddr, host: gwAddr, pid: gw.Process.Pid, logPath: logPath,
		stop: func() { stopProcess(gw); stopProcess(sb); gwLog.Close(); sbLog.Close() },
	}
	if err := waitReady(t.base + "/readyz"); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}

func freeAddr() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func port(addr string) string {
	_, p, _ := net.SplitHostPort(addr)
	return p
}

// stopProcess interrupts c and waits up to 10 s before killing it.
func stopProcess(c *exec.Cmd) {
	if c.Process == nil {
		return
	}
	_ = c.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = c.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = c.Process.Kill()
		<-done
	}
}

// waitListening waits until addr accepts connections.
func waitListening(addr string) error {
	deadline := time.Now().Add(gatewayStartWait)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("nothing listens on %s after %v", addr, gatewayStartWait)
}

// waitReady polls url until it answers 200.
func waitReady(url string) error {
	deadline := time.Now().Add(gatewayStartWait)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer 200 in %v", url, gatewayStartWait)
}
