package server

import (
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// preflightHeaders are headers a browser cannot send cross-origin without a
// CORS preflight: a GET carrying one cannot be a cross-site request forgery.
var preflightHeaders = []string{"GraphQL-Require-Preflight", "Apollo-Require-Preflight", "X-Apollo-Operation-Name"}

// simpleContentTypes are the content types a cross-site form can send.
var simpleContentTypes = []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}

// graphqlMethods enforces GraphQL over HTTP's method rules and the CSRF
// defences of /query:
//   - only GET, POST and OPTIONS (405 with Allow otherwise);
//   - POST only with Content-Type application/json (415 otherwise: no
//     text/plain, form or multipart bodies, which a cross-site form can send);
//   - GET only for queries (a mutation answers 405 with Allow: POST) and,
//     unless simpleGET, only with a non-simple Content-Type, a
//     preflight-forcing header (GraphQL-Require-Preflight and the like) or
//     an Origin that origins (CORS_ALLOWED_ORIGINS; "*" lists every one)
//     lists, so a cross-site <img> or link cannot run a query with the
//     user's network position.
//
// A browser sends Origin on a GET only from a script's CORS request (fetch,
// XHR), never from an image, a link or a form, and no page can choose it:
// a GET with a listed Origin comes from a page of a listed origin, which may
// send the same query with POST. That is how urql's default, queries as GET
// with no extra header, works from a dashboard whose origin is listed.
func graphqlMethods(simpleGET bool, origins []string, maxTokens int, next http.Handler) http.Handler {
	if maxTokens <= 0 {
		maxTokens = 15000
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodOptions:
		case http.MethodPost:
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				writeError(w, r, http.StatusUnsupportedMediaType, "send the query as JSON: Content-Type: application/json")
				return
			}
		case http.MethodGet:
			if !simpleGET && !preflighted(r) && !listedOrigin(r, origins) {
				writeError(w, r, http.StatusBadRequest, "a GET request must carry a GraphQL-Require-Preflight header or come from an allowed browser origin (cross-site request forgery protection)")
				return
			}
			if isMutation(r, maxTokens) {
				w.Header().Set("Allow", http.MethodPost)
				writeError(w, r, http.StatusMethodNotAllowed, "mutations are sent with POST, never GET")
				return
			}
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			writeError(w, r, http.StatusMethodNotAllowed, "GraphQL is served over GET (queries) and POST")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// preflighted reports whether a browser must have sent a CORS preflight
// before this request.
func preflighted(r *http.Request) bool {
	for _, h := range preflightHeaders {
		if r.Header.Get(h) != "" {
			return true
		}
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true // not a type a form could send
	}
	for _, simple := range simpleContentTypes {
		if strings.EqualFold(mt, simple) {
			return false
		}
	}
	return true
}

// listedOrigin reports whether r carries an Origin that origins lists.
func listedOrigin(r *http.Request, origins []string) bool {
	origin := r.Header.Get("Origin")
	return origin != "" && (slices.Contains(origins, origin) || slices.Contains(origins, "*"))
}

// isMutation reports whether a GET request's operation is not a query. A
// query that does not parse (within the token limit) is left to the GraphQL
// handler to reject.
func isMutation(r *http.Request, maxTokens int) bool {
	q := r.URL.Query()
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: q.Get("query")}, maxTokens)
	if err != nil {
		return false
	}
	op := doc.Operations.ForName(q.Get("operationName"))
	if op == nil && len(doc.Operations) == 1 {
		op = doc.Operations[0]
	}
	return op != nil && op.Operation != ast.Query
}
