package tanma_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestClientRequest checks the wire form of each kind of call: a POST to the
// path under the base URL, the three signature headers signed over exactly
// the bytes received, JSON content type, and the body as compact UTF-8 JSON.
func TestClientRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		call     func(ctx context.Context, c *tanma.Client) error
		wantPath string
		wantBody string
		wantSign string // "" when the body has no golden vector
	}{
		{
			name: "list by qw user id (golden vector)",
			call: func(ctx context.Context, c *tanma.Client) error {
				_, err := c.ListCustomersByQwUserID(ctx, tanma.ListByQwUserIDRequest{QwUserID: "zhangsan", Size: 100})
				return err
			},
			wantPath: tanma.PathListByQwUserID,
			wantBody: `{"qwUserId":"zhangsan","size":100}`,
			wantSign: "004a4d3ff1cb3940c7c2fe22fec20429ca6c1645742dc5698531f67aec4fab2c",
		},
		{
			name: "utf-8 body (golden vector)",
			call: func(ctx context.Context, c *tanma.Client) error {
				return c.Do(ctx, "/api/v3/echo", struct {
					SearchKey string `json:"searchKey"`
				}{"张三"}, nil)
			},
			wantPath: "/api/v3/echo",
			wantBody: `{"searchKey":"张三"}`,
			wantSign: "bf7eea5014559baa5a13927ad0d482491894a000b4ff17a8508e669c3c738635",
		},
		{
			name:     "no body (golden vector)",
			call:     func(ctx context.Context, c *tanma.Client) error { return c.Do(ctx, "/api/v3/tags/list-tree", nil, nil) },
			wantPath: "/api/v3/tags/list-tree",
			wantBody: ``,
			wantSign: "f792bd94197653aca3c7cfd5190f2f5532c97a29c013ba4cb8fd4cfa2adcbfc6",
		},
		{
			name: "search keeps chinese and html characters unescaped",
			call: func(ctx context.Context, c *tanma.Client) error {
				_, err := c.SearchCustomers(ctx, tanma.SearchRequest{SearchKey: "张三<&>", PageNo: 1, PageSize: 10})
				return err
			},
			wantPath: tanma.PathSearchCustomers,
			wantBody: `{"searchKey":"张三<&>","pageNo":1,"pageSize":10}`,
		},
		{
			name: "search by big customer id",
			call: func(ctx context.Context, c *tanma.Client) error {
				_, err := c.SearchCustomers(ctx, tanma.SearchRequest{CustomerID: 9007199254740993, PageNo: 1, PageSize: 1})
				return err
			},
			wantPath: tanma.PathSearchCustomers,
			wantBody: `{"customerId":9007199254740993,"pageNo":1,"pageSize":1}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			srv := httptest.NewServer(http.StripPrefix("/apiServer", rec))
			t.Cleanup(srv.Close)
			// A trailing slash on the base URL must not double the separator.
			c := newClient(t, srv, tanma.WithBaseURL(srv.URL+"/apiServer/"))

			require.NoError(t, tt.call(t.Context(), c))

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			got := reqs[0]
			assert.Equal(t, http.MethodPost, got.Method)
			assert.Equal(t, tt.wantPath, got.Path, "path appended to the base URL (prefix stripped by the test server)")
			assert.Equal(t, tt.wantBody, string(got.Body))
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.Equal(t, testAppID, got.Header.Get("appId"))
			assert.Equal(t, testTS, got.Header.Get("timestamp"))
			assert.Regexp(t, thirteenDigits, got.Header.Get("timestamp"))
			assert.Equal(t, tanma.Sign(testAppID, got.Header.Get("timestamp"), got.Body, testAppKey), got.Header.Get("sign"),
				"sign is over exactly the bytes received")
			if tt.wantSign != "" {
				assert.Equal(t, tt.wantSign, got.Header.Get("sign"))
			}
			assert.Empty(t, got.Header.Values("appKey"), "the signing secret must not be sent by default")
			assert.NoError(t, tanma.Verify(got.Header, got.Body, testAppID, testAppKey, testNow, tanma.DefaultSkew))
		})
	}
}

// TestClientFullPath checks that the path lands under the base URL's own
// path with no doubled or missing slash.
func TestClientFullPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		base string // appended to the server URL
		want string
	}{
		{"bare host", "", "/api/v3/customer/search"},
		{"base path", "/apiServer", "/apiServer/api/v3/customer/search"},
		{"base path with trailing slash", "/apiServer/", "/apiServer/api/v3/customer/search"},
		{"second host style", "/api", "/api/api/v3/customer/search"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			srv := httptest.NewServer(rec)
			t.Cleanup(srv.Close)
			c := newClient(t, srv, tanma.WithBaseURL(srv.URL+tt.base))
			_, err := c.SearchCustomers(t.Context(), tanma.SearchRequest{PageNo: 1, PageSize: 1})
			require.NoError(t, err)
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.want, reqs[0].Path)
		})
	}
}

func TestClientAppKeyHeaderOption(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := startRecorder(t, rec, tanma.WithAppKeyHeader())
	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "zhangsan", Size: 100})
	require.NoError(t, err)
	reqs := rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, []string{testAppKey.Reveal()}, reqs[0].Header.Values("appKey"))
	// The key header is extra: the signature is unchanged.
	assert.Equal(t, "004a4d3ff1cb3940c7c2fe22fec20429ca6c1645742dc5698531f67aec4fab2c", reqs[0].Header.Get("sign"))
}

// TestClientTimestampFollowsClock checks that every call reads the clock.
func TestClientTimestampFollowsClock(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	var calls int64
	clock := func() int64 { calls++; return testMillis + calls*1000 }
	c := startRecorder(t, rec, tanma.WithClock(func() time.Time { return time.UnixMilli(clock()) }))
	for range 2 {
		require.NoError(t, c.Do(t.Context(), "/api/v3/echo", map[string]int{"a": 1}, nil))
	}
	reqs := rec.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "1700000001000", reqs[0].Header.Get("timestamp"))
	assert.Equal(t, "1700000002000", reqs[1].Header.Get("timestamp"))
	for _, r := range reqs {
		assert.Equal(t, tanma.Sign(testAppID, r.Header.Get("timestamp"), r.Body, testAppKey), r.Header.Get("sign"))
	}
}

func TestClientAppID(t *testing.T) {
	t.Parallel()
	c := startRecorder(t, &recorder{})
	assert.Equal(t, testAppID, c.AppID())
}
