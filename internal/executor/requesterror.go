package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
)

// A request error is an error raised before execution begins: the body or a
// parameter is malformed, the document does not parse or validate, a
// variable does not coerce, or a limit refuses the operation. The GraphQL
// spec says its response has no data entry (and GraphQL over HTTP's
// application/graphql-response+json relies on that), but gqlgen writes
// "data": null for every response. withoutDataOnRequestError drops that
// entry when gqlgen answered without executing the operation; a response of
// an executed operation keeps its data, null or not.
func withoutDataOnRequestError(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r) // a WebSocket: its errors are messages, not responses
			return
		}
		rw := &requestErrorWriter{ResponseWriter: w, mark: &executionMark{}}
		next.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), executionMarkKey{}, rw.mark)))
		rw.finish()
	})
}

// executionMark records that gqlgen started executing a request's operation.
type executionMark struct{ started bool }

type executionMarkKey struct{}

// executionMarker is the extension that sets a request's executionMark:
// gqlgen calls operation interceptors only once it executes an operation.
type executionMarker struct{}

var (
	_ graphql.HandlerExtension     = executionMarker{}
	_ graphql.OperationInterceptor = executionMarker{}
)

func (executionMarker) ExtensionName() string                   { return "ExecutionMarker" }
func (executionMarker) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptOperation marks the request as executed.
func (executionMarker) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if m, ok := ctx.Value(executionMarkKey{}).(*executionMark); ok {
		m.started = true
	}
	return next(ctx)
}

// requestErrorWriter holds back what gqlgen writes until it is known whether
// the operation was executed: then it passes it through unchanged, otherwise
// finish writes it without the data entry.
type requestErrorWriter struct {
	http.ResponseWriter
	mark   *executionMark
	status int // held back (0: none yet)
	body   bytes.Buffer
	passed bool // writing straight through
}

func (w *requestErrorWriter) WriteHeader(status int) {
	if w.pass() {
		w.ResponseWriter.WriteHeader(status)
		return
	}
	if w.status == 0 {
		w.status = status
	}
}

func (w *requestErrorWriter) Write(b []byte) (int, error) {
	if w.pass() {
		return w.ResponseWriter.Write(b)
	}
	return w.body.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *requestErrorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// pass reports whether to write straight through (the operation runs),
// first sending a status held back before it started.
func (w *requestErrorWriter) pass() bool {
	if !w.passed && w.mark.started {
		w.passed = true
		if w.status != 0 {
			w.ResponseWriter.WriteHeader(w.status)
		}
	}
	return w.passed
}

// finish writes a held-back response, without a null data entry.
func (w *requestErrorWriter) finish() {
	if w.passed {
		return
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
	_, _ = w.ResponseWriter.Write(withoutNullData(w.body.Bytes()))
}

// withoutNullData returns a JSON response object without its "data" entry
// when that entry is null, and anything else unchanged.
func withoutNullData(body []byte) []byte {
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil || string(resp["data"]) != "null" {
		return body
	}
	delete(resp, "data")
	out, err := json.Marshal(resp) // keys sorted: "errors" still comes first
	if err != nil {
		return body
	}
	return out
}
