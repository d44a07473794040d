package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestCalls checks the per-path counters: every request that reaches a path
// counts, answered or rejected, and ResetCalls zeroes them all.
func TestCalls(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	if sb.TotalCalls() != 0 || sb.Calls(pathList) != 0 {
		t.Fatalf("a fresh server counts %d calls", sb.TotalCalls())
	}
	unsigned := func(path string) { serve(sb, httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{}`))) }
	get := func(path string) { serve(sb, httptest.NewRequest(http.MethodGet, path, nil)) }
	calls := []func(){
		func() { post(sb, pathList, listBody) },
		func() { post(sb, pathList, `{}`) },     // validation failure
		func() { unsigned(pathList) },           // signature failure
		func() { post(sb, pathSearch, `{}`) },   // search everyone, first page
		func() { get(pathSearch) },              // wrong method
		func() { post(sb, "/api/v3/nope", ``) }, // unknown path
	}
	for _, call := range calls {
		call()
	}
	tests := []struct {
		name string
		got  int64
		want int64
	}{
		{name: "list", got: sb.Calls(pathList), want: 3},
		{name: "search", got: sb.Calls(pathSearch), want: 2},
		{name: "unknown path", got: sb.Calls("/api/v3/nope"), want: 1},
		{name: "never called", got: sb.Calls("/api/v3/echo"), want: 0},
		{name: "total", got: sb.TotalCalls(), want: 6},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d calls, want %d", tt.name, tt.got, tt.want)
		}
	}

	sb.ResetCalls()
	if sb.TotalCalls() != 0 || sb.Calls(pathList) != 0 || sb.Calls(pathSearch) != 0 {
		t.Errorf("after ResetCalls: total %d, list %d, search %d", sb.TotalCalls(), sb.Calls(pathList), sb.Calls(pathSearch))
	}
	post(sb, pathList, listBody)
	if sb.Calls(pathList) != 1 || sb.TotalCalls() != 1 {
		t.Errorf("after one more call: list %d, total %d, want 1 and 1", sb.Calls(pathList), sb.TotalCalls())
	}
}

// TestCallsPerServer checks that counters belong to one server.
func TestCallsPerServer(t *testing.T) {
	t.Parallel()
	a, b := &sandbox.Server{}, &sandbox.Server{}
	post(a, pathList, listBody)
	post(a, pathList, listBody)
	post(b, pathList, listBody)
	tests := []struct {
		name string
		sb   *sandbox.Server
		want int64
	}{
		{name: "a", sb: a, want: 2},
		{name: "b", sb: b, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.sb.Calls(pathList); got != tt.want {
				t.Errorf("Calls = %d, want %d", got, tt.want)
			}
		})
	}
}
