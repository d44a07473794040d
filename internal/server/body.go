package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/requestlog"
)

// graphQLParams is the shape of a GraphQL-over-HTTP POST body.
type graphQLParams struct {
	Query         string         `json:"query"`
	OperationName string         `json:"operationName"`
	Variables     map[string]any `json:"variables"`
	Extensions    map[string]any `json:"extensions"`
}

// guardBody caps request bodies and answers a clean 400 for a JSON POST body
// that does not decode as GraphQL parameters. gqlgen's POST transport would
// echo such a body into its error message, and a body can hold personal data.
func guardBody(maxBytes int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Method != http.MethodPost {
			h.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			writeError(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", maxBytes))
			return
		case err != nil:
			writeError(w, r, http.StatusBadRequest, "the request body could not be read")
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/json" {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var p graphQLParams
			if err := dec.Decode(&p); err != nil || dec.More() {
				writeError(w, r, http.StatusBadRequest, "the request body is not a JSON object of GraphQL parameters (query, operationName, variables, extensions)")
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}

// writeError answers a request-level failure in the GraphQL response
// shape, with extensions.code BAD_REQUEST (or FORBIDDEN for a 403).
func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	code := apperr.BadRequest
	if status == apperr.Forbidden.Status() {
		code = apperr.Forbidden
	}
	requestlog.WriteError(w, r, status, code, msg)
}
