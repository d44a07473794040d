package graph_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
)

// env is the real GraphQL handler over a sandbox reached by signed HTTP.
type env struct {
	sb *sandbox.Server
	c  *client.Client
}

func newEnv(t testing.TB) *env {
	t.Helper()
	sb, tc := sandboxtest.Start(t, nil)
	h := graph.NewHandler(graph.NewResolver(tc, slog.New(slog.NewTextHandler(io.Discard, nil)), refdata.DefaultPolicy))
	return &env{sb: sb, c: client.New(h)}
}

// gqlError is one error of a response.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// do runs a query and returns its data decoded into out and its errors.
func (e *env) do(t testing.TB, query string, out any, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := e.c.RawPost(query, opts...)
	require.NoError(t, err)
	if out != nil && resp.Data != nil {
		b, err := json.Marshal(resp.Data)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, out))
	}
	var errs []gqlError
	if resp.Errors != nil {
		require.NoError(t, json.Unmarshal(resp.Errors, &errs))
	}
	return errs
}

// mustDo runs a query that must not fail.
func (e *env) mustDo(t testing.TB, query string, out any, opts ...client.Option) {
	t.Helper()
	errs := e.do(t, query, out, opts...)
	require.Empty(t, errs, "query errors")
}

// codes lists the extensions.code of each error.
func codes(errs []gqlError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i], _ = e.Extensions["code"].(string)
	}
	return out
}
