package app

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/limits"
	"github.com/tanma-gql/gateway/internal/metrics"
	"github.com/tanma-gql/gateway/internal/redisstore"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
	"github.com/tanma-gql/gateway/internal/telemetry"
)

// replica is one gateway built from its configuration: the HTTP handler
// and what it was built from. With REDIS_URL replicas share the upstream
// quota, persisted queries, reference data and callers' cost budgets, so
// any request can go to any replica.
type replica struct {
	srv      *server.Server
	resolver *graph.Resolver
	client   *tanma.Client
	metrics  *metrics.Metrics
	health   *telemetry.UpstreamHealth // what calls made for callers say of Tanma
	store    *redisstore.Store         // nil without REDIS_URL
	closers  []func()
	// answered is set once Tanma has answered the start check: until then
	// the replica is not ready (see checkUpstream).
	answered atomic.Bool
	// startProblem is why the last start check failed, while it has not
	// answered (nil before the first failure).
	startProblem atomic.Pointer[error]
}

// msgJWKSFailed is the log message of a failed fetch of the identity
// provider's key set (JWT_JWKS_URL).
const msgJWKSFailed = "JWKS fetch failed: tokens signed with keys not yet fetched are refused until it succeeds"

// newReplica wires config → upstream client → resolver → HTTP handler.
func newReplica(ctx context.Context, cfg config.Config, log *slog.Logger) (_ *replica, err error) {
	r := &replica{metrics: metrics.New(), health: telemetry.NewUpstreamHealth()}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	tp, stopTracing, err := telemetry.Tracing(ctx, cfg.OTLPEndpoint, server.Version)
	if err != nil {
		return nil, err
	}
	r.closers = append(r.closers, func() { _ = stopTracing(context.Background()) })
	if cfg.Scaling.RedisURL != "" {
		if r.store, err = redisstore.Open(cfg.Scaling.RedisURL, cfg.AppID, log); err != nil {
			return nil, err
		}
		r.closers = append(r.closers, func() { _ = r.store.Close() })
		r.metrics.WatchRedis(r.store.Up)
		log.Info("sharing the upstream quota, persisted queries and reference data through Redis", "redis", r.store.Addr(),
			"required", cfg.Scaling.RedisRequired)
	}
	client, err := tanma.NewClient(
		tanma.WithBaseURL(cfg.BaseURL),
		tanma.WithCredentials(cfg.AppID, cfg.AppKey),
		tanma.WithTimeout(cfg.Timeout),
		tanma.WithQuota(r.quota(cfg)),
		tanma.WithObserver(telemetry.Upstream{Metrics: r.metrics, Tracer: tp.Tracer("tanma"), Log: log, Health: r.health}),
	)
	if err != nil {
		return nil, err
	}
	r.client = client
	r.metrics.WatchUpstream(r.health.Up)
	r.metrics.WatchCircuits(client.CircuitStates)
	if jwt := cfg.Security.JWT; jwt != nil {
		if jwt.StaffClaim == "" {
			log.Warn("JWT callers are UNSCOPED (JWT_UNSCOPED=true): every valid token sees every customer")
		} else {
			log.Info("JWT callers are scoped by a token claim", "staff_claim", jwt.StaffClaim)
		}
		jwt.OnRefreshError = func(err error) {
			log.Warn(msgJWKSFailed, "err", err.Error())
		}
	}
	authn, err := auth.New(ctx, auth.Config{APIKeys: cfg.Security.APIKeys, JWT: cfg.Security.JWT, Open: cfg.Security.Open,
		OpenPermissions: cfg.Security.OpenPermissions})
	if err != nil {
		return nil, fmt.Errorf("authentication: %w", err)
	}
	r.closers = append(r.closers, authn.Close)
	if cfg.Security.Open {
		if slices.Contains(cfg.Security.OpenPermissions, auth.PermWrite) {
			log.Warn("NO CALLER AUTHENTICATION: anyone who can reach this port can read and CHANGE every customer", "sandbox", cfg.Sandbox)
		} else {
			log.Warn("NO CALLER AUTHENTICATION: anyone who can reach this port can read every customer (not change them: INSECURE_ALLOW_ANONYMOUS_WRITES)", "sandbox", cfg.Sandbox)
		}
		if slices.Contains(cfg.Security.OpenPermissions, auth.PermPersonalData) {
			log.Info("anonymous callers see personal data whole (phone numbers, addresses): the sandbox's data is made up; callers with API keys or tokens get exactly their permissions")
		} else {
			log.Info("anonymous callers see personal data masked (phone numbers 138****5678): the personal-data permission needs an API key or a token")
		}
	}
	var budget limits.Budget
	if cfg.Limits.CallerCostPerSecond > 0 {
		budget = limits.NewMemoryBudget(cfg.Limits.CallerCostPerSecond, cfg.Limits.CallerCostBurst, 100000)
		if r.store != nil {
			budget = r.store.CallerBudgets(cfg.Limits.CallerCostPerSecond, cfg.Limits.CallerCostBurst, budget, budgetKey(cfg.AppKey))
		}
	}
	policy := refdata.Policy{TTL: cfg.ReferenceTTL, MaxStale: refdata.DefaultPolicy.MaxStale, Timeout: cfg.Timeout, OnRead: r.metrics.CacheRead}
	gql := executor.Options{Tracer: tp.Tracer("graphql"), Limits: cfg.Limits, Introspection: cfg.Security.Introspection, CallerBudget: budget}
	if r.store != nil {
		policy.Shared, policy.Recheck = r.store.RefStore(), cfg.ReferenceRecheck
		gql.PersistedQueries = r.store.PersistedQueries(8 << 20) // local copies: 8 MiB, as without Redis
	}
	if cfg.Scaling.TrustedDocuments != "" {
		if gql.TrustedDocuments, err = executor.LoadTrustedDocuments(cfg.Scaling.TrustedDocuments); err != nil {
			return nil, err
		}
		log.Info("only trusted documents may run", "documents", len(gql.TrustedDocuments))
	}
	r.resolver = server.NewResolver(client, log, policy, r.metrics)
	receiver := r.live(cfg, log, r.bus(log))
	var control http.Handler
	if cfg.Sandbox {
		control = sandboxControl(cfg.BaseURL)
	}
	r.srv, err = server.New(server.Options{
		SandboxControl: control,
		Events:         receiver,
		EventsPath:     cfg.Events.Path,
		Resolver:       r.resolver,
		Auth:           authn,
		GraphQL:        gql,
		NoFederation:   !cfg.Federation,
		CORS: server.CORS{AllowedOrigins: cfg.Security.CORSOrigins, AllowCredentials: cfg.Security.CORSCredentials,
			Own: ownOrigins(cfg)},
		RequestTimeout: cfg.RequestTimeout,
		SimpleGET:      cfg.Security.SimpleGET,
		Playground:     cfg.Security.Playground,
		Metrics:        r.metrics,
		MetricsRoute:   publicOps(cfg), // otherwise on METRICS_ADDR alone, or nowhere
		Ready:          r.ready(cfg, log, 10*time.Second),
		UpstreamStatus: r.upstreamStatus,
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ownOrigins are the origins of the pages this gateway serves, which a
// browser may call the API from when callers do not authenticate: the
// playground (when served) opened on a loopback address at PORT, i.e.
// http://localhost:PORT, http://127.0.0.1:PORT and http://[::1]:PORT.
// Opened under any other name (a LAN address, a host name, a port mapped
// to another), it is a page like any other: list its origin in
// CORS_ALLOWED_ORIGINS.
func ownOrigins(cfg config.Config) []string {
	if !cfg.Security.Playground {
		return nil
	}
	_, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil
	}
	return server.LoopbackOrigins(port)
}

// quota is the app's upstream QPS limit. Alone, a replica keeps TANMA_QPS /
// TANMA_QPS_REPLICAS (all of it by default); with Redis the replicas share
// one TANMA_QPS, and fall back to that share while Redis is down.
func (r *replica) quota(cfg config.Config) tanma.Quota {
	share := cfg.QPS / float64(cfg.Scaling.QPSReplicas)
	local := tanma.NewLocalQuota(share, max(1, int(share)))
	if r.store == nil || cfg.QPS <= 0 {
		return local
	}
	return r.store.Quota(cfg.QPS, max(1, int(cfg.QPS)), local)
}

// budgetKey is the secret that names callers' budgets in Redis: derived
// from the app key, which every replica of the app has and Redis does not.
func budgetKey(appKey tanma.Secret) []byte {
	sum := sha256.Sum256([]byte("tanma-gateway caller budgets\x00" + appKey.Reveal()))
	return sum[:]
}

// redisAddr is where the shared Redis is, without credentials ("" for none).
func (r *replica) redisAddr() string {
	if r.store == nil {
		return ""
	}
	return r.store.Addr()
}

// close releases what the replica holds, last built first.
func (r *replica) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
}
