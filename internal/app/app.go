// Package app runs the gateway: configuration → a replica (replica.go wires
// the upstream client, shared state and the HTTP handler of
// internal/server) → the listeners, the start check and graceful
// shutdown; or, with the sandbox command, the embedded fake Tanma alone
// (sandbox.go). The command in the repository root only calls Run.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"slices"
	"sync"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/gcpolicy"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Run runs the gateway with args (none, or "sandbox" and its flags) and
// the environment getenv, logging to out, until ctx ends.
func Run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if len(args) > 0 && args[0] == "sandbox" {
		return runSandbox(ctx, args[1:], out)
	}
	if len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help", "help"}, args[0]) {
		_, err := io.WriteString(out, usage)
		return err
	}
	if len(args) > 0 {
		return fmt.Errorf("unknown command %q: run with no arguments to serve the gateway, or `sandbox` to serve the sandbox alone (--help says more)", args[0])
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
		sb, url, stopSandbox, err := startSandbox()
		if err != nil {
			return err
		}
		defer stopSandbox()
		cfg.BaseURL, cfg.AppID, cfg.AppKey = url, sandbox.DefaultAppID, sandbox.DefaultAppKey
		cfg.Events.CorpID = tanma.CorpID(cfg.AppID)
		if cfg.Events.Path != "" {
			sb.SetPushTarget(selfURL(cfg.Addr) + cfg.Events.Path)
		}
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
	switch {
	case cfg.MetricsAddr != "":
		side.Go(func() { serveMetrics(ctx, log, cfg.MetricsAddr, r.metrics, r.upstreamStatus) })
	case !publicOps(cfg):
		log.Warn(msgOpsNotServed)
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
	ln, err := listen(cfg.Addr, "PORT")
	if err != nil {
		return err
	}
	log.Info("gateway listening", "addr", ln.Addr().String(), "upstream", cfg.BaseURL, "introspection", cfg.Security.Introspection,
		"playground", cfg.Security.Playground, "cors_origins", cfg.Security.CORSOrigins, "redis", r.redisAddr(),
		"federation", cfg.Federation)
	return serve(ctx, log, ln, &http.Server{
		Handler:           r.srv,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      cfg.RequestTimeout + 5*time.Second,
		IdleTimeout:       120 * time.Second,
	}, drainer{drain: r.srv.Drain, delay: cfg.DrainDelay, end: r.srv.EndSubscriptions, fatal: fatal})
}

// listen binds addr, or says which setting names it (setting) when it
// cannot: a port another process holds is the usual reason.
func listen(addr, setting string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s (%s): %w; another process may hold the port: set %s to another one", addr, setting, err, setting)
	}
	return ln, nil
}

// drainer is how the main listener stops: drain makes readiness fail,
// then the listener keeps serving for delay (load balancers stop sending
// first, with no preStop sleep needed) before it stops accepting, and end
// closes the connections shutdown does not wait for (WebSockets); an error
// on fatal stops it at once.
type drainer struct {
	drain func()
	delay time.Duration
	end   func()
	fatal <-chan error
}

// publicOps reports whether /metrics and /upstream-status are served on
// the public port: only when callers do not authenticate (the sandbox, or
// INSECURE_ALLOW_UNAUTHENTICATED, where everything the port serves is open
// anyway) and METRICS_ADDR does not give them an address of their own.
// Once callers authenticate, what those two say (Tanma's failures by
// endpoint, the circuits, how busy the gateway is, the operation names
// callers use) is for the operators who can reach METRICS_ADDR, not for
// whoever reaches the public port.
func publicOps(cfg config.Config) bool {
	return cfg.MetricsAddr == "" && cfg.Security.Open
}

// msgOpsNotServed is the start-up warning of a gateway whose callers
// authenticate and that has no METRICS_ADDR.
const msgOpsNotServed = "/metrics and /upstream-status are not served: callers authenticate, so they stay off the public port; set METRICS_ADDR (e.g. :9090) to serve them on an address of their own"

// serveMetrics serves /metrics and /upstream-status alone on their own
// address until ctx ends.
func serveMetrics(ctx context.Context, log *slog.Logger, addr string, m *metrics.Metrics, status func() any) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.Handle("GET /upstream-status", server.StatusHandler(status))
	if err := listenAndServe(ctx, log, addr, "METRICS_ADDR", mux); err != nil {
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
	if err := listenAndServe(ctx, log, addr, "PPROF_ADDR", mux); err != nil {
		log.Error("pprof listener stopped", "err", err.Error())
	}
}

// listenAndServe serves h on addr (named by setting) until ctx ends.
func listenAndServe(ctx context.Context, log *slog.Logger, addr, setting string, h http.Handler) error {
	ln, err := listen(addr, setting)
	if err != nil {
		return err
	}
	return serve(ctx, log, ln, &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}, drainer{})
}

// serve runs hs on ln until ctx ends, then drains: readiness fails first,
// the listener keeps serving for the drain delay, then in-flight requests
// get up to 20 seconds to finish. A fatal error stops it at once and is
// returned.
func serve(ctx context.Context, log *slog.Logger, ln net.Listener, hs *http.Server, d drainer) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
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
	if d.end != nil {
		d.end()
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
