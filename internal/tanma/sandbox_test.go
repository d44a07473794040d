package tanma_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// seedID is the first customer of the seed page, owned by dowen.
const seedID tanma.ID = 398604120668224

func TestSandboxListFirstPage(t *testing.T) {
	t.Parallel()
	_, c := sandboxtest.Start(t, nil)

	page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 10})
	require.NoError(t, err)

	require.Len(t, page.List, 10)
	assert.NotEmpty(t, page.NextCursor)
	first := page.List[0]
	assert.Equal(t, seedID, first.CustomerID)
	assertStr(t, "dowen", first.QwUserID)
	assertStr(t, "2021-03-06 16:22:17", first.CreateTime)
	assertStr(t, "14635", first.QwRemark)
	assert.Nil(t, first.ExternalUserID)
	fields := map[string]tanma.Field{}
	for _, f := range first.Fields {
		fields[f.Field] = f
	}
	assert.Equal(t, tanma.Field{Field: tanma.KeyMobile, Type: tanma.FieldPhone, ValueAsText: ptr(`["110110"]`)}, fields[tanma.KeyMobile])
	assert.Equal(t, tanma.Field{Field: tanma.KeyName, Type: tanma.FieldText, ValueAsText: ptr("14635")}, fields[tanma.KeyName])
	assert.Equal(t, tanma.Field{Field: tanma.KeyStage, Type: tanma.FieldSelect, ValueAsText: ptr("396823724189760")}, fields[tanma.KeyStage])
	assert.Equal(t, tanma.Field{Field: tanma.KeyDescription, Type: tanma.FieldText}, fields[tanma.KeyDescription], "null value")
}

// TestSandboxListAllPages walks dowen's customers 100 at a time and finds
// each exactly once, in the sandbox's order.
func TestSandboxListAllPages(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil)
	want := sb.Data().CustomersOf("dowen")
	require.Len(t, want, 1234, "the dataset's plan for dowen")

	seen := map[tanma.ID]int{}
	var got []tanma.ID
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20, "paging does not end")
		page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Cursor: cursor, Size: tanma.MaxPageSize})
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.List), tanma.MaxPageSize)
		for _, cu := range page.List {
			seen[cu.CustomerID]++
			got = append(got, cu.CustomerID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}

	assert.Len(t, got, len(want))
	for id, n := range seen {
		assert.Equal(t, 1, n, "customer %d seen %d times", id, n)
	}
	wantIDs := make([]tanma.ID, len(want))
	for i, cu := range want {
		wantIDs[i] = cu.CustomerID
	}
	assert.Equal(t, wantIDs, got)
	assert.Equal(t, int64(13), sb.Calls(tanma.PathListByQwUserID), "12 full pages and one of 34")
}

func TestSandboxSearchByID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		id    tanma.ID
		owner string
	}{
		{"seed customer", seedID, "dowen"},
		{"id beyond 2^53", sandbox.BigID, sandbox.BigIDOwner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c := sandboxtest.Start(t, nil)
			page, err := c.SearchCustomers(t.Context(), tanma.SearchRequest{CustomerID: tt.id, PageNo: 1, PageSize: 1})
			require.NoError(t, err)
			require.Len(t, page.Data, 1)
			assert.Equal(t, 1, page.TotalPage)
			assert.Equal(t, tt.id, page.Data[0].CustomerID)
			assertStr(t, tt.owner, page.Data[0].QwUserID)
			assert.NotEmpty(t, page.Data[0].ByFieldID, "profile fields keyed by field id")
		})
	}
}

func TestSandboxRejectsWrongKey(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil, tanma.WithCredentials(sandbox.DefaultAppID, "wrongKey0123456789abcdefABCDEFGH"))

	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 10})

	assertSentinels(t, err, tanma.ErrSignatureRejected)
	var apiErr *tanma.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, tanma.CodeBadSignature, apiErr.Code)
	assert.Equal(t, int64(1), sb.Calls(tanma.PathListByQwUserID), "not retried")
	assert.NotContains(t, err.Error(), "wrongKey0123456789abcdefABCDEFGH")
}

// TestSandboxRejectsSkewedClock: a clock an hour slow is rejected with 1003,
// retried once (the clock is still slow) and reported as ErrClockSkew.
func TestSandboxRejectsSkewedClock(t *testing.T) {
	t.Parallel()
	sb, c := sandboxtest.Start(t, nil, tanma.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))

	_, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 10})

	assertSentinels(t, err, tanma.ErrClockSkew)
	assert.Equal(t, int64(2), sb.Calls(tanma.PathListByQwUserID), "one retry")
}
