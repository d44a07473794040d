package requestlog

import (
	"encoding/json"
	"net/http"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// WriteError answers a request refused before GraphQL sees it (401, 400,
// 403, 405, 413, 415...) in the GraphQL response shape, like every other
// error of the gateway: the message, extensions.code and, inside a request,
// extensions.requestId. The code is recorded on the request's log line.
// Headers already set on w (WWW-Authenticate, Allow) are kept.
func WriteError(w http.ResponseWriter, r *http.Request, status int, code apperr.Code, msg string) {
	ext := map[string]string{"code": string(code)}
	if e := From(r.Context()); e != nil {
		e.AddCode(string(code))
		ext["requestId"] = e.ID
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": ext}},
	})
}
