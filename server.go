// Command gateway serves a typed GraphQL API over the Tanma (探马) SCRM
// customer API. With no configuration it serves the embedded sandbox's data;
// `gateway sandbox` serves the sandbox alone as a fake Tanma for other tools.
// This file only runs it: config → a replica (replica.go wires the upstream
// client, shared state and handler) → http.Server, and graceful shutdown.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/gcpolicy"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gateway:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) > 0 && args[0] == "sandbox" {
		return runSandbox(ctx, args[1:], out)
	}
	if len(args) > 0 {
		return fmt.Errorf("unknown command %q: run with no arguments to serve the gateway, or `sandbox` to serve the sandbox alone", args[0])
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := slog.New(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: cfg.LogLevel}))
	gc := gcpolicy.Decide(getenv, memlimit.FromCgroup)
	gcpolicy.Apply(gc)
	log.Info("garbage collector policy", gc.LogAttrs()...)
	if gc.Warning != "" {
		log.Warn("garbage collector policy: "+gc.Warning+"; set GOMEMLIMIT", gc.LogAttrs()...)
	}
	if cfg.Sandbox {
		url, stopSandbox, err := startSandbox()
		if err != nil {
			return err
		}
		defer stopSandbox()
		cfg.BaseURL, cfg.AppID, cfg.AppKey = url, sandbox.DefaultAppID, sandbox.DefaultAppKey
		log.Warn("no TANMA_APP_ID/TANMA_APP_KEY: serving SANDBOX data from the embedded fake Tanma, not a real tenant", "sandbox", url)
	}
	r, err := newReplica(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer r.close()
	var side sync.WaitGroup // the side listeners and the start check, stopped with the main listener
	defer side.Wait()
	ctx, stopSide := context.WithCancel(ctx)
	defer stopSide() // before side.Wait: deferred calls run last first
	if cfg.MetricsAddr != "" {
		side.Go(func() { serveMetrics(ctx, log, cfg.MetricsAddr, r.metrics, r.upstreamStatus) })
	}
	fatal := make(chan error, 1)
	side.Go(func() {
		if err := r.checkUpstream(ctx, cfg, log); err != nil {
			fatal <- err
		}
	})
	if cfg.PprofAddr != "" {
		log.Warn("profiling endpoints on: keep PPROF_ADDR on a private address", "addr", cfg.PprofAddr)
		side.Go(func() { servePprof(ctx, log, cfg.PprofAddr) })
	}
	log.Info("gateway listening", "addr", cfg.Addr, "upstream", cfg.BaseURL, "introspection", cfg.Security.Introspection,
		"playground", cfg.Security.Playground, "cors_origins", cfg.Security.CORSOrigins, "redis", r.redisAddr())
	return serve(ctx, log, &http.Server{
		Addr:              cfg.Addr,
		Handler:           r.srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       120 * time.Second,
	}, drainer{drain: r.srv.Drain, delay: cfg.DrainDelay, fatal: fatal})
}

// drainer is how the main listener stops: drain makes readiness fail,
// then the listener keeps serving for delay (load balancers stop sending
// first, with no preStop sleep needed) before it stops accepting; an error
// on fatal stops it at once.
type drainer struct {
	drain func()
	delay time.Duration
	fatal <-chan error
}

// serveMetrics serves /metrics and /upstream-status alone on their own
// address until ctx ends.
func serveMetrics(ctx context.Context, log *slog.Logger, addr string, m *metrics.Metrics, status func() any) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /upstream-status", server.StatusHandler(status))
	if err := serve(ctx, log, &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}, drainer{}); err != nil {
		log.Error("metrics listener stopped", "err", err.Error())
	}
}

// servePprof serves Go's profiling endpoints (/debug/pprof/) on their own
// listener, only when PPROF_ADDR asks for it.
func servePprof(ctx context.Context, log *slog.Logger, addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	if err := serve(ctx, log, &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}, drainer{}); err != nil {
		log.Error("pprof listener stopped", "err", err.Error())
	}
}

// serve runs hs until ctx ends, then drains: readiness fails first, the
// listener keeps serving for the drain delay, then in-flight requests get
// up to 20 seconds to finish. A fatal error stops it at once and is
// returned.
func serve(ctx context.Context, log *slog.Logger, hs *http.Server, d drainer) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.ListenAndServe() }()
	var fatal error
	select {
	case err := <-errc:
		return err
	case fatal = <-d.fatal:
		log.Error("stopping: " + fatal.Error())
	case <-ctx.Done():
		if d.drain != nil {
			d.drain()
		}
		if d.delay > 0 {
			log.Info("shutting down: not ready any more, still serving while load balancers catch up", "drain_delay", d.delay.String())
			time.Sleep(d.delay)
		}
	}
	log.Info("shutting down: draining in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return fatal
}

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
