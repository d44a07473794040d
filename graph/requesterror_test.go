package graph_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequestErrorsHaveNoDataEntry: a request that never executes (it does
// not parse, does not validate, or a variable does not coerce) answers with
// errors and no "data" entry at all, as the GraphQL spec asks; an executed
// operation whose root field failed keeps "data": null.
func TestRequestErrorsHaveNoDataEntry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name     string
		body     string
		accept   string
		wantData bool
		status   int
	}{
		{name: "parse error", body: `{"query":"{"}`, status: http.StatusUnprocessableEntity},
		{name: "validation error", body: `{"query":"{ nope }"}`, status: http.StatusUnprocessableEntity},
		{name: "variable coercion", body: `{"query":"query($n: Int) { customers(ownerId: \"dowen\", first: $n) { edges { cursor } } }","variables":{"n":"x"}}`, status: http.StatusUnprocessableEntity},
		{name: "parse error, graphql-response+json", body: `{"query":"{"}`, accept: "application/graphql-response+json", status: http.StatusBadRequest},
		{name: "executed, root field failed", body: `{"query":"{ customers(ownerId: \"dowen\", first: -1) { edges { cursor } } }"}`, wantData: true, status: http.StatusOK},
		{name: "executed, success", body: `{"query":"{ customers(ownerId: \"dowen\", first: 1) { edges { cursor } } }"}`, wantData: true, status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodPost, "/query", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, req)
			assert.Equal(t, tt.status, w.Code, w.Body.String())
			var resp map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &resp), w.Body.String())
			_, hasData := resp["data"]
			assert.Equal(t, tt.wantData, hasData, w.Body.String())
			if !tt.wantData {
				assert.NotEmpty(t, resp["errors"], w.Body.String())
			}
		})
	}
}
