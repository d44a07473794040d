package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/app"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/porttest"
	"github.com/tanma-gql/gateway/internal/sandbox"
)

const testKey = "goclient-example-key"

// TestWalkAgainstTheGateway runs the generated client against the gateway
// as the binary runs it (app.Run), over a sandbox Tanma: it walks one staff
// member's customers page by page, the first page asked with after ""
// (genqlient's value for the unset cursor), and gets every customer once,
// in the sandbox's order, with typed fields.
func TestWalkAgainstTheGateway(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	url := startGateway(t, sb)
	const owner, first = "dowen", 25
	want := sb.Data().CustomersOf(owner)
	require.Greater(t, len(want), 2*first, "the test needs an owner with several pages")

	rec := &recorder{next: http.DefaultTransport}
	client := NewClient(url+"/query", testKey, &http.Client{Transport: rec, Timeout: 20 * time.Second})
	var got []Customer
	n, pages, err := Walk(context.Background(), client, owner, first, func(c Customer) error {
		got = append(got, c)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, len(want), n)
	assert.Equal(t, (len(want)+first-1)/first, pages, "one request per page of %d", first)

	bodies := rec.all()
	require.Len(t, bodies, pages)
	var firstReq struct{ Variables map[string]any }
	require.NoError(t, json.Unmarshal([]byte(bodies[0]), &firstReq))
	assert.Equal(t, "", firstReq.Variables["after"], `genqlient sends after: "" for the first page`)

	require.Len(t, got, len(want))
	kinds := map[string]int{}
	for i, c := range got {
		w := want[i]
		require.Equal(t, w.CustomerID.String(), c.CustomerId, "customer %d in upstream order", i)
		if name := w.Value("name"); name != nil {
			assert.Equal(t, *name, c.Name)
		}
		assert.Equal(t, owner, c.Owner.QwUserId)
		for _, f := range c.Fields {
			kinds[strings.TrimPrefix(fmt.Sprintf("%T", f), "*main.CustomerField")]++
			if f.GetProblem() == "" && f.GetText() != "" && f.GetText() != "[]" { // [] is a phone field without numbers
				assert.NotEmpty(t, FieldValue(f), "customer %s field %s (%s) has a typed value", c.CustomerId, f.GetKey(), f.GetKind())
			}
			if p, ok := f.(*CustomerFieldPhoneCustomerField); ok && f.GetKey() == "mobile" {
				assert.Equal(t, c.Mobiles, p.Phones, "the key has personal-data: numbers whole, the same in fields")
			}
		}
	}
	for _, kind := range []string{"TextCustomerField", "SelectCustomerField", "MultiSelectCustomerField", "DateCustomerField",
		"DateTimeCustomerField", "NumberCustomerField", "PhoneCustomerField"} {
		assert.Positive(t, kinds[kind], "the walk decoded %s through its fragment", kind)
	}

	var out bytes.Buffer
	require.NoError(t, Print(&out, got[0]))
	assert.Contains(t, out.String(), got[0].CustomerId)
}

// startGateway runs the gateway (app.Run, as the binary does) against sb
// served on loopback, with callers authenticated by testKey (which may
// read personal data), and returns its address.
func startGateway(t *testing.T, sb *sandbox.Server) string {
	t.Helper()
	up := httptest.NewServer(sb)
	t.Cleanup(up.Close)
	port := porttest.Free(t)
	env := map[string]string{
		"PORT":           strconv.Itoa(port),
		"TANMA_APP_ID":   sandbox.DefaultAppID,
		"TANMA_APP_KEY":  string(sandbox.DefaultAppKey),
		"TANMA_BASE_URL": up.URL,
		"TANMA_QPS":      "0",
		"API_KEYS":       fmt.Sprintf(`[{"id":"goclient","sha256":%q,"permissions":["personal-data"]}]`, auth.HashAPIKey(testKey)),
		"METRICS_ADDR":   fmt.Sprintf("127.0.0.1:%d", porttest.Free(t)),
		"DRAIN_DELAY":    "0",
		"LOG_LEVEL":      "warn",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, nil, func(k string) string { return env[k] }, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err, "the gateway's shutdown")
		case <-time.After(30 * time.Second):
			t.Error("the gateway did not stop")
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	require.Eventually(t, func() bool {
		select {
		case err := <-done:
			t.Fatalf("the gateway stopped: %v", err)
		default:
		}
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "the gateway's /healthz")
	return url
}

// recorder keeps the body of every request it passes on.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

func (r *recorder) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}
