package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/requestlog"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// presenter is the one place errors become what clients see: a safe message,
// extensions.code (see README, "Errors") and the request id to quote to an
// operator. Unknown errors are logged and shown as INTERNAL.
func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		if _, coded := gqlErr.Extensions["code"]; !coded {
			code, msg, ext := classify(err)
			if code == apperr.Internal {
				log.ErrorContext(ctx, "resolver error", "request_id", requestlog.RequestID(ctx),
					"path", gqlErr.Path.String(), "err", err.Error())
			}
			gqlErr.Message = msg
			gqlErr.Extensions["code"] = string(code)
			for k, v := range ext {
				gqlErr.Extensions[k] = v
			}
		}
		entry := requestlog.From(ctx)
		if code, ok := gqlErr.Extensions["code"].(string); ok {
			entry.AddCode(code)
		}
		if entry != nil {
			gqlErr.Extensions["requestId"] = entry.ID
		}
		return gqlErr
	}
}

// classify maps an error to a code, a message safe to show, and extensions.
func classify(err error) (apperr.Code, string, map[string]any) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code, ae.Message, ae.Extensions
	}
	var te *tanma.APIError
	if !errors.As(err, &te) {
		if errors.Is(err, context.DeadlineExceeded) {
			return apperr.UpstreamUnavailable, "the request ran out of time", nil
		}
		if errors.Is(err, context.Canceled) {
			return apperr.UpstreamUnavailable, "the request was cancelled", nil
		}
		return apperr.Internal, "internal error", nil
	}
	switch {
	case errors.Is(te, tanma.ErrLocalRateLimit):
		return apperr.RateLimited, "the gateway is at its Tanma API quota: retry shortly",
			map[string]any{"retryAfter": 1}
	case errors.Is(te, tanma.ErrRateLimited):
		secs := max(1, int(math.Ceil(te.RetryAfter.Seconds())))
		return apperr.RateLimited, "the Tanma API is rate limiting this gateway: retry later",
			map[string]any{"retryAfter": secs}
	case errors.Is(te, tanma.ErrUnknownOutcome):
		return apperr.UpstreamUnknownOutcome, "the write was sent to Tanma but no answer came back: it may or may not have happened; read the data before trying again", nil
	case errors.Is(te, tanma.ErrDuplicatePhone):
		return apperr.Conflict, "another customer already has this phone number", map[string]any{"upstreamCode": te.Code}
	case errors.Is(te, tanma.ErrUnavailable):
		return apperr.UpstreamUnavailable, unavailable(te), nil
	case errors.Is(te, tanma.ErrSignatureRejected), errors.Is(te, tanma.ErrClockSkew):
		return apperr.UpstreamError, fmt.Sprintf("the Tanma API rejected the gateway's signature (code %d): check the app credentials and clock", te.Code),
			map[string]any{"upstreamCode": te.Code}
	case errors.Is(te, tanma.ErrBadResponse):
		return apperr.UpstreamError, "the Tanma API sent an answer the gateway could not read", nil
	}
	if te.NotTanma() {
		return apperr.UpstreamError, fmt.Sprintf("the upstream answered HTTP %d, not a Tanma answer (the gateway's upstream address may be wrong)", te.HTTPStatus),
			map[string]any{"upstreamStatus": te.HTTPStatus}
	}
	ext := map[string]any{}
	if te.Code != 0 {
		ext["upstreamCode"] = te.Code
	}
	return apperr.UpstreamError, fmt.Sprintf("the Tanma API refused the request (code %d)", te.Code), ext
}

// unavailable says what happened to a call that got no usable answer:
// what the caller may act on, nothing of the upstream's address.
func unavailable(te *tanma.APIError) string {
	switch {
	case errors.Is(te, tanma.ErrCircuitOpen):
		return "the Tanma API failed repeatedly: calls to it are paused for a few seconds (circuit open); retry later"
	case te.HTTPStatus >= 500 && te.NotTanma():
		return fmt.Sprintf("the upstream answered HTTP %d, not a Tanma answer: unavailable, retry later", te.HTTPStatus)
	case te.HTTPStatus >= 500:
		return fmt.Sprintf("the Tanma API answered HTTP %d: unavailable, retry later", te.HTTPStatus)
	case errors.Is(te, context.DeadlineExceeded), isTimeout(te):
		return "the Tanma API did not answer in time: retry later"
	}
	return "the Tanma API could not be reached: retry later"
}

// isTimeout: the cause is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// recoverer turns a resolver panic into an INTERNAL error and logs the stack.
func recoverer(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
}
