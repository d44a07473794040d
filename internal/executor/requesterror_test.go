package executor_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/executor"
)

// TestRequestErrorsHaveNoDataEntry: a request that never executes (it does
// not parse, does not validate, or a variable does not coerce) answers with
// errors and no "data" entry at all, as the GraphQL spec asks, and HTTP 200
// to clients that accept application/json (400 for
// application/graphql-response+json), as GraphQL over HTTP asks; an
// executed operation whose root field failed keeps "data": null.
func TestRequestErrorsHaveNoDataEntry(t *testing.T) {
	t.Parallel()
	h := handlerWith(t, executor.Options{})
	tests := []struct {
		name     string
		body     string
		accept   string
		get      string // a GET with this query string instead of a POST
		wantData bool
		status   int
	}{
		{name: "parse error", body: `{"query":"{"}`, status: http.StatusOK},
		{name: "validation error", body: `{"query":"{ nope }"}`, status: http.StatusOK},
		{name: "variable coercion", body: `{"query":"query($n: Int) { customers(ownerId: \"dowen\", first: $n) { edges { cursor } } }","variables":{"n":"x"}}`, status: http.StatusOK},
		{name: "parse error, graphql-response+json", body: `{"query":"{"}`, accept: "application/graphql-response+json", status: http.StatusBadRequest},
		{name: "executed, root field failed", body: `{"query":"{ customers(ownerId: \"dowen\", first: -1) { edges { cursor } } }"}`, wantData: true, status: http.StatusOK},
		{name: "executed, success", body: `{"query":"{ customers(ownerId: \"dowen\", first: 1) { edges { cursor } } }"}`, wantData: true, status: http.StatusOK},
		{name: "GET, validation error", get: "query=" + url.QueryEscape("{ nope }"), status: http.StatusOK},
		{name: "GET, validation error, graphql-response+json", get: "query=" + url.QueryEscape("{ nope }"), accept: "application/graphql-response+json", status: http.StatusBadRequest},
		{name: "GET, bad variables", get: "query=" + url.QueryEscape("{ __typename }") + "&variables=%7B", status: http.StatusBadRequest},
		{name: "GET, a mutation", get: "query=" + url.QueryEscape(`mutation { clueCreate(input: {name: "x", mobiles: []}) { clientMutationId } }`), status: http.StatusMethodNotAllowed},
		{name: "a subscription over POST", body: `{"query":"subscription { customerChanged { kind } }"}`, status: http.StatusBadRequest},
		{name: "GET, a subscription", get: "query=" + url.QueryEscape(`subscription { tagLibraryChanged { kind } }`), status: http.StatusBadRequest},
		{name: "no query", body: `{"variables":{}}`, status: http.StatusBadRequest},
		{name: "GET, no query", get: "operationName=x", status: http.StatusBadRequest},
		{name: "GET, success", get: "query=" + url.QueryEscape("{ __typename }"), wantData: true, status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.get != "" {
				req = httptest.NewRequest(http.MethodGet, "/query?"+tt.get, nil)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			var resp map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp), w.Body.String())
			_, hasData := resp["data"]
			assert.Equal(t, tt.wantData, hasData, w.Body.String())
			if !tt.wantData {
				assert.NotEmpty(t, resp["errors"], w.Body.String())
				assert.Contains(t, string(resp["errors"]), `"code":"`, "every error has a code")
				assert.NotContains(t, string(resp["errors"]), `"INTERNAL"`, "a refused request is the caller's, not ours")
			}
		})
	}
}
