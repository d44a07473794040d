package executor

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/requestlog"
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
			code, msg, ext := apperr.Classify(err)
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

// recoverer turns a resolver panic into an INTERNAL error and logs the stack.
func recoverer(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "resolver panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
}
