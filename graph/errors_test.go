package graph_test

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestUpstreamFailuresHaveDocumentedCodes injects each kind of upstream
// failure through the sandbox's knobs and checks what clients see.
func TestUpstreamFailuresHaveDocumentedCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		faults sandbox.Faults
		code   string
		ext    map[string]any
	}{
		{"non-zero code", sandbox.Faults{Code: 50001, Message: "客户13812345678数据异常"}, "UPSTREAM_ERROR", map[string]any{"upstreamCode": float64(50001)}},
		{"signature rejected", sandbox.Faults{Code: tanma.CodeBadSignature, Message: "签名校验未通过"}, "UPSTREAM_ERROR", map[string]any{"upstreamCode": float64(1002)}},
		{"http 500", sandbox.Faults{ErrorRate: 1}, "UPSTREAM_UNAVAILABLE", nil},
		{"rate limited", sandbox.Faults{RateLimited: true, RetryAfter: 3 * time.Second}, "RATE_LIMITED", map[string]any{"retryAfter": float64(3)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.sb.SetFaults(tc.faults)
			var r struct{ Customers *struct{} }
			errs := e.do(t, `{ customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, &r)
			require.Len(t, errs, 1)
			assert.Equal(t, []string{tc.code}, codes(errs))
			assert.Equal(t, []any{"customers"}, errs[0].Path)
			for k, v := range tc.ext {
				assert.Equal(t, v, errs[0].Extensions[k], k)
			}
			assert.NotRegexp(t, regexp.MustCompile(`\d{7,}`), errs[0].Message, "no phone or id in messages")
			assert.NotContains(t, errs[0].Message, string(sandbox.DefaultAppKey))
		})
	}
}

// TestUpstreamTimeoutIsUnavailable: an upstream slower than the per-call
// timeout answers UPSTREAM_UNAVAILABLE promptly, not after the upstream.
func TestUpstreamTimeoutIsUnavailable(t *testing.T) {
	t.Parallel()
	e := buildEnv(t, envOptions{client: []tanma.Option{tanma.WithTimeout(50 * time.Millisecond)}})
	e.sb.SetFaults(sandbox.Faults{Latency: 5 * time.Second})
	start := time.Now()
	errs := e.do(t, `{ customers(ownerId: "dowen") { edges { cursor } } }`, nil)
	assert.Less(t, time.Since(start), 2*time.Second)
	require.Len(t, errs, 1)
	assert.Equal(t, []string{"UPSTREAM_UNAVAILABLE"}, codes(errs))
}

// TestFailedFieldKeepsTheRest: a failing lookup nulls its own field only.
func TestFailedFieldKeepsTheRest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{ErrorRate: 1, Paths: []string{tanma.PathSearchCustomers}})
	var r struct {
		Customers struct{ Edges []struct{ Cursor string } }
		Node      *struct{ ID string }
	}
	// A customer the list does not return: listed ones are remembered and
	// would not need the failing search.
	other := gid("Customer:" + e.sb.Data().CustomersOf("lina")[0].CustomerID.String())
	errs := e.do(t, `{ customers(ownerId: "dowen", first: 2) { edges { cursor } } node(id: "`+other+`") { id } }`, &r)
	assert.Len(t, r.Customers.Edges, 2)
	assert.Nil(t, r.Node)
	require.Len(t, errs, 1)
	assert.Equal(t, []any{"node"}, errs[0].Path)
	assert.Equal(t, []string{"UPSTREAM_UNAVAILABLE"}, codes(errs))
}

// TestFailedReferenceDataKeepsThePage: with the tag library and the field
// definitions failing, the page of customers is still served: tags are
// empty, labels null, fields typed by their own codes, and errors at those
// paths say why. Nothing else is lost.
func TestFailedReferenceDataKeepsThePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sb.SetFaults(sandbox.Faults{Code: 50000, Paths: []string{tanma.PathTagTree, tanma.PathListFields}})
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					CustomerID string
					Name       *string
					Tags       []struct{ Name string }
					Stage      *struct {
						ID    string
						Label *string
					}
					Fields []struct {
						Typename string `json:"__typename"`
						Key      string
					}
				}
			}
		}
	}
	errs := e.do(t, `{ customers(ownerId: "dowen", first: 3) { edges { node { customerId name tags { name } stage { id label } fields { __typename key } } } } }`, &r)
	want := e.sb.Data().CustomersOf("dowen")[:3]
	require.Len(t, r.Customers.Edges, 3)
	for i, edge := range r.Customers.Edges {
		assert.Equal(t, want[i].CustomerID.String(), edge.Node.CustomerID)
		assert.NotNil(t, edge.Node.Name)
		assert.Empty(t, edge.Node.Tags)
		assert.Nil(t, edge.Node.Stage.Label)
		require.Len(t, edge.Node.Fields, len(want[i].Fields))
		assert.Equal(t, "SelectCustomerField", edge.Node.Fields[0].Typename, "typed by its own code")
	}
	require.NotEmpty(t, errs)
	for _, err := range errs {
		assert.Equal(t, "UPSTREAM_ERROR", err.Extensions["code"])
		require.Len(t, err.Path, 5, "an error at a leaf: %v", err.Path)
		assert.Contains(t, []any{"tags", "stage", "fields"}, err.Path[4])
	}
}

// TestUpstreamThatIsNotTanmaIsNamed: a wrong upstream address gets HTTP
// errors without a Tanma envelope; callers are told what happened (the
// status, and that it was not a Tanma answer) without the address, instead
// of "refused the request (code 0)".
func TestUpstreamThatIsNotTanmaIsNamed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
		code   string
		want   string
	}{
		{http.StatusNotFound, "404 page not found", "UPSTREAM_ERROR", "the upstream answered HTTP 404, not a Tanma answer"},
		{http.StatusBadGateway, "<html><body>502 Bad Gateway</body></html>", "UPSTREAM_UNAVAILABLE", "the upstream answered HTTP 502, not a Tanma answer: unavailable"},
	} {
		e := newEnvLogged(t, func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
		}, slog.New(slog.NewTextHandler(io.Discard, nil)), tanma.WithRetry(1, 0, 0))
		var r struct{ Customers any }
		errs := e.do(t, `{ customers(ownerId: "dowen", first: 1) { edges { cursor } } }`, &r)
		require.Len(t, errs, 1)
		assert.Equal(t, tc.code, errs[0].Extensions["code"])
		assert.Contains(t, errs[0].Message, tc.want)
		assert.NotContains(t, errs[0].Message, "127.0.0.1")
		assert.NotContains(t, errs[0].Message, "/api/")
	}
}

// TestOneFailingRootFieldKeepsItsSiblings: root fields that each call
// Tanma are nullable, so when one call fails its field is null with an
// error and the other root fields are still answered (a non-null field
// would have nulled the whole data).
func TestOneFailingRootFieldKeepsItsSiblings(t *testing.T) {
	t.Parallel()
	for _, failing := range []string{tanma.PathListByQwUserID, tanma.PathListFields, tanma.PathTagTree, tanma.PathGetUsers} {
		e := newEnvLogged(t, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), tanma.WithRetry(1, 0, 0))
		e.sb.SetFaults(sandbox.Faults{ErrorRate: 1, Paths: []string{failing}})
		var r map[string]any
		errs := e.do(t, `{ customers(ownerId: "dowen", first: 1) { edges { cursor } }
			customerFields { key } tagGroups { name } staff(first: 1) { edges { cursor } } staffMember(qwUserId: "lina") { qwUserId } }`, &r)
		require.NotEmpty(t, errs, failing)
		require.NotNil(t, r, "data is kept: %s", failing)
		nulls := 0
		for field, v := range r {
			if v == nil {
				nulls++
				continue
			}
			assert.NotEmpty(t, v, "%s answered while %s fails", field, failing)
		}
		assert.Positive(t, nulls, failing)
		assert.Less(t, nulls, len(r), "siblings answered while %s fails", failing)
	}
}
