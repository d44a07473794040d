package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestNoSecretsOrPhonesInLogsOrErrors drives traffic that succeeds and
// fails in every way the suite knows, with debug logging, then scans the
// whole log and every error message: the app key, every signature the
// upstream received, and every seeded mobile number appear zero times.
func TestNoSecretsOrPhonesInLogsOrErrors(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	g := startGateway(t, sb, nil, map[string]string{"LOG_LEVEL": "debug", "TANMA_TIMEOUT": "300ms"})
	phone := seededMobile(t, sb)
	var errorText strings.Builder
	record := func(r gqlResponse) {
		for _, e := range r.Errors {
			errorText.WriteString(e.Message + "\n")
			b, _ := json.Marshal(e.Extensions)
			errorText.Write(b)
		}
	}
	dashboard := `query Dash($o: ID!) { customers(ownerId: $o, first: 50) { edges { node {
		customerId name mobiles owner { name } tags { name } stage { label }
		fields { key text ... on PhoneCustomerField { phones } } followUps(first: 1) { edges { node { content } } } } } } }`
	for _, owner := range []string{"dowen", "lina", "wangfang"} {
		r := g.query(t, dashboard, map[string]any{"o": owner})
		require.Empty(t, r.Errors, r.Raw)
		assert.Contains(t, r.Raw, `"mobiles":[`, "phones are data, served to the caller")
	}
	record(g.query(t, `{ customer(id: "398604120668224") { name mobiles } }`, nil))
	// Upstream failures whose messages carry a phone number.
	for _, f := range []sandbox.Faults{
		{Code: 40417, Message: tanma.ValidationPrefix + "电话号码" + phone + "重复"},
		{Code: tanma.CodeBadSignature, Message: "签名校验未通过"},
		{ErrorRate: 1},
		{RateLimited: true},
	} {
		sb.SetFaults(f)
		record(g.query(t, dashboard, map[string]any{"o": "dowen"}))
	}
	sb.ClearFaults()
	// Client mistakes that carry a phone number in what they send.
	record(g.query(t, `query($o: ID!) { customers(ownerId: $o, after: "`+phone+`") { edges { cursor } } }`, map[string]any{"o": "dowen"}))
	record(g.query(t, `{ searchCustomers(filter: {text: "`+phone+`", ownerIds: ["`+phone+`"]}) { totalCount } }`, nil))
	record(g.query(t, `{ node(id: "`+phone+`") { id } }`, nil))
	record(g.query(t, `{ customers(ownerId: "dowen", createdSince: "`+phone+`") { edges { cursor } } }`, nil))
	record(g.query(t, `{ customer(id: "`+phone+`") { name } }`, nil))
	for _, body := range []string{`{"query": "{ customers(ownerId: \"` + phone, `{"query": 1, "variables": {"m": "` + phone + `"}}`} {
		resp, err := http.Post(g.url+"/query", "application/json", strings.NewReader(body))
		require.NoError(t, err)
		var r gqlResponse
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		resp.Body.Close()
		record(r)
	}
	require.NoError(t, g.stop())

	logs, errs := g.out.String(), errorText.String()
	require.NotEmpty(t, errs)
	for name, text := range map[string]string{"logs": logs, "error messages": errs} {
		assert.NotContains(t, text, string(sandbox.DefaultAppKey), "app key in %s", name)
		for _, sign := range g.signs.all() {
			require.NotContains(t, text, sign, "a signature in %s", name)
		}
		for _, m := range allMobiles(t, sb) {
			require.NotContains(t, text, m, "a customer's mobile number in %s", name)
		}
	}
	assert.NotEmpty(t, g.signs.all())
}

// seededMobile is one mobile number of the sandbox's customers.
func seededMobile(t *testing.T, sb *sandbox.Server) string {
	t.Helper()
	ms := allMobiles(t, sb)
	require.NotEmpty(t, ms)
	return ms[0]
}

// allMobiles lists every mobile number in the sandbox's customers.
func allMobiles(t *testing.T, sb *sandbox.Server) []string {
	t.Helper()
	var out []string
	for _, c := range sb.Data().Customers {
		for _, f := range c.Fields {
			if f.Field == tanma.KeyMobile && f.ValueAsText != nil {
				var ms []string
				if json.Unmarshal([]byte(*f.ValueAsText), &ms) == nil {
					out = append(out, ms...)
				}
			}
		}
	}
	return out
}
