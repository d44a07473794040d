package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/tanma-gql/gateway/internal/config"
	"github.com/tanma-gql/gateway/internal/server"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// ready is the readiness check: what this process can do, never Tanma's
// health (a Tanma outage or a key rotation must not take every replica out
// of its Service, and no probe spends the app's quota). Not ready until
// Tanma has answered the start check once, and, with REDIS_REQUIRED, while
// Redis does not answer (asked at most once per redisEvery). Draining is
// the server's.
func (r *replica) ready(cfg config.Config, log *slog.Logger, redisEvery time.Duration) func(context.Context) error {
	redis := func(context.Context) error { return nil }
	if cfg.Scaling.RedisRequired {
		redis = server.CachedCheck(func(ctx context.Context) error {
			err := r.store.Ping(ctx)
			if err != nil {
				log.Warn("not ready: Redis does not answer and REDIS_REQUIRED is true", "err", err.Error())
			}
			return err
		}, redisEvery, 2*time.Second)
	}
	return func(ctx context.Context) error {
		if !r.answered.Load() {
			if p := r.startProblem.Load(); p != nil {
				return fmt.Errorf("%w: %w", errWaitingForTanma, *p)
			}
			return errWaitingForTanma
		}
		return redis(ctx)
	}
}

var errWaitingForTanma = errors.New("Tanma has not answered the start check yet")

// upstreamStatus is the /upstream-status document.
func (r *replica) upstreamStatus() any {
	s := r.health.Status()
	s.Circuits = r.client.CircuitStates()
	s.StartCheck = "waiting"
	if r.answered.Load() {
		s.StartCheck = "answered"
	} else if p := r.startProblem.Load(); p != nil {
		s.StartCheckProblem = (*p).Error()
	}
	return s
}

// msgStartCheckFailed is the log message of a failed start check that is
// retried.
const msgStartCheckFailed = "Tanma did not answer the start check: not ready until it does; retrying"

// checkUpstream makes one cheap signed call (the field definitions) when
// the replica starts, and again with backoff until Tanma answers, so
// wrong settings are found at start rather than by the first user: a
// refused signature names TANMA_APP_ID/TANMA_APP_KEY, and an answer that is
// not Tanma's (a 404 page, HTML) names TANMA_BASE_URL; either is fatal
// (run returns it). An unreachable or failing Tanma is a warning, and the
// replica stays not ready until it answers, with the reason in the log,
// the readiness error and /upstream-status. It returns nil once Tanma
// answered or ctx ended.
func (r *replica) checkUpstream(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	wait := time.Second
	for {
		_, err := r.client.ListFields(ctx)
		if err == nil {
			r.answered.Store(true)
			log.Info("Tanma answered the start check: ready")
			return nil
		}
		if ctx.Err() != nil {
			return nil
		}
		reason, fatal := startCheckVerdict(err, cfg.BaseURL)
		if fatal {
			return reason
		}
		r.startProblem.Store(&reason)
		log.Warn(msgStartCheckFailed, "retry_in", wait.String(), "err", reason.Error())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// startCheckVerdict says what a failed start check means: fatal when the
// settings are wrong (the run stops with reason), otherwise why the replica
// is not ready yet, retried (Tanma unreachable, failing or rate limiting).
// An HTTP 4xx or 2xx that is not Tanma's answer (a 404 page, HTML) is a
// wrong TANMA_BASE_URL, fatal; an HTTP 5xx that is not Tanma's answer (a
// proxy's error page) may be a wrong base URL or Tanma down behind its
// proxy, so it is retried, with a reason that names TANMA_BASE_URL. Tanma's
// own answer with data outside its documented shape is retried too.
func startCheckVerdict(err error, baseURL string) (reason error, fatal bool) {
	var te *tanma.APIError
	if !errors.As(err, &te) {
		return err, false
	}
	switch {
	case errors.Is(err, tanma.ErrOutsideShape):
		// Tanma's envelope: the base URL is right, the data is not.
		return fmt.Errorf("Tanma answered %s outside its documented shape at start (%s): not ready until it answers as documented", te.Endpoint, te.Reason()), false
	case errors.Is(err, tanma.ErrSignatureRejected):
		return fmt.Errorf("Tanma rejected the gateway's signature (code %d) at start: check TANMA_APP_ID and TANMA_APP_KEY", te.Code), true
	case errors.Is(err, tanma.ErrBadResponse),
		te.HTTPStatus >= 400 && te.HTTPStatus <= 499 && te.HTTPStatus != http.StatusTooManyRequests:
		what := "an answer that is not Tanma's"
		if te.HTTPStatus != http.StatusOK {
			what = fmt.Sprintf("HTTP %d, not a Tanma answer", te.HTTPStatus)
		}
		return fmt.Errorf("TANMA_BASE_URL %s does not answer like Tanma's OpenAPI at start (%s): check the base URL (it ends before /api/v3/..., e.g. %s)",
			baseURL, what, tanma.DefaultBaseURL), true
	case te.HTTPStatus >= 500 && te.NotTanma():
		return fmt.Errorf("TANMA_BASE_URL %s answers HTTP %d with a page that is not a Tanma answer: check the base URL, or the upstream is down",
			baseURL, te.HTTPStatus), false
	}
	return err, false
}
