package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// startSandbox serves the embedded sandbox on a loopback port, so the
// gateway talks to it over real signed HTTP exactly as to Tanma.
func startSandbox() (sb *sandbox.Server, url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, fmt.Errorf("start sandbox: %w", err)
	}
	sb = &sandbox.Server{}
	hs := &http.Server{Handler: sb, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return sb, "http://" + ln.Addr().String(), func() { sb.Close(); _ = hs.Close() }, nil
}

// sandboxControl forwards /sandbox/ (the sandbox's simulate endpoints and
// push counters) to the embedded sandbox, so `curl` against the gateway
// can simulate a change in Tanma; only same-origin or non-browser calls.
func sandboxControl(sandboxURL string) http.Handler {
	u, _ := url.Parse(sandboxURL) // built by startSandbox: always parses
	return http.NewCrossOriginProtection().Handler(httputil.NewSingleHostReverseProxy(u))
}

// selfURL is the loopback URL of the gateway's own listener at addr
// (":8080", "0.0.0.0:8080"...): where the embedded sandbox pushes to.
func selfURL(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		port = strings.TrimPrefix(addr, ":")
	}
	return "http://127.0.0.1:" + port
}

// runSandbox serves the sandbox alone: a fake Tanma for other tools.
func runSandbox(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, sandboxUsage)
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:9090", "listen address")
	latency := fs.Duration("latency", 0, "latency added to every answer, e.g. 20ms")
	push := fs.String("push", "", "push events to this URL as Tanma does, e.g. http://127.0.0.1:8080/tanma/events")
	errorRate := fs.Float64("error-rate", 0, "fraction of calls answered with HTTP 500, e.g. 0.3")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed
	} else if err != nil {
		return err
	}
	if *errorRate < 0 || *errorRate > 1 {
		return fmt.Errorf("sandbox: -error-rate %v is not a fraction between 0 and 1", *errorRate)
	}
	log := slog.New(slog.NewJSONHandler(out, nil))
	sb := &sandbox.Server{}
	defer sb.Close()
	sb.SetFaults(sandbox.Faults{Latency: *latency, ErrorRate: *errorRate})
	sb.SetPushTarget(*push)
	ln, err := listen(*addr, "-addr")
	if err != nil {
		return err
	}
	log.Info("sandbox Tanma listening: sign requests with the sandbox app id and the test app key from README",
		"addr", ln.Addr().String(), "appId", sandbox.DefaultAppID, "latency", latency.String(), "errorRate", *errorRate, "push", *push)
	return serve(ctx, log, ln, &http.Server{Handler: sb, ReadHeaderTimeout: 5 * time.Second}, drainer{})
}
