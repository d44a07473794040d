package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/tanma-gql/gateway/bench/proc"
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
	bin, err := proc.Build(dir)
	if err != nil {
		return nil, err
	}
	sbAddr, gwAddr, opsAddr := proc.FreeAddr(), proc.FreeAddr(), proc.FreeAddr()
	sbLog, err := os.Create(filepath.Join(dir, "sandbox.log"))
	if err != nil {
		return nil, err
	}
	sb := exec.CommandContext(ctx, bin, "sandbox", "-addr", sbAddr, "-push", "http://"+gwAddr+eventsPath)
	sb.Stdout, sb.Stderr = sbLog, sbLog
	if err := sb.Start(); err != nil {
		return nil, err
	}
	if err := proc.WaitListening(sbAddr, gatewayStartWait); err != nil {
		proc.Stop(sb)
		return nil, err
	}
	logPath := filepath.Join(dir, "gateway.log")
	gwLog, err := os.Create(logPath)
	if err != nil {
		proc.Stop(sb)
		return nil, err
	}
	gw := exec.CommandContext(ctx, bin)
	gw.Env = append(os.Environ(),
		"PORT="+proc.Port(gwAddr),
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
		proc.Stop(sb)
		return nil, err
	}
	t := &target{
		base: "http://" + gwAddr, ops: "http://" + opsAddr, host: gwAddr, pid: gw.Process.Pid, logPath: logPath,
		stop: func() { proc.Stop(gw); proc.Stop(sb); gwLog.Close(); sbLog.Close() },
	}
	if err := proc.WaitReady(t.base+"/readyz", gatewayStartWait); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}
