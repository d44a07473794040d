package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// startSandbox serves the embedded sandbox on a loopback port, so the
// gateway talks to it over real signed HTTP exactly as to Tanma.
func startSandbox() (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("start sandbox: %w", err)
	}
	hs := &http.Server{Handler: &sandbox.Server{}, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = hs.Close() }, nil
}

// runSandbox serves the sandbox alone: a fake Tanma for other tools.
func runSandbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address")
	latency := fs.Duration("latency", 0, "latency added to every answer, e.g. 20ms")
	errorRate := fs.Float64("error-rate", 0, "fraction of calls answered with HTTP 500, e.g. 0.3")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *errorRate < 0 || *errorRate > 1 {
		return fmt.Errorf("sandbox: -error-rate %v is not a fraction between 0 and 1", *errorRate)
	}
	log := slog.New(slog.NewJSONHandler(out, nil))
	sb := &sandbox.Server{}
	sb.SetFaults(sandbox.Faults{Latency: *latency, ErrorRate: *errorRate})
	log.Info("sandbox Tanma listening: sign requests with the sandbox app id and the test app key from README",
		"addr", *addr, "appId", sandbox.DefaultAppID, "latency", latency.String(), "errorRate", *errorRate)
	return serve(ctx, log, &http.Server{Addr: *addr, Handler: sb, ReadHeaderTimeout: 5 * time.Second}, drainer{})
}
