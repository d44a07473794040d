package tanma_test

import (
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// seedPagePath is the answer example of Tanma's doc page for POST
// /api/v3/customer-relation/list-by-qw-user-id (the JSON under 返回响应,
// after the page's second "示例" line), verbatim; see testdata/README.md.
// The sandbox's wire tests read it too.
const seedPagePath = "testdata/list-page.json"

// seedPage reads the seed page's bytes.
func seedPage(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(seedPagePath)
	require.NoError(t, err)
	return b
}

// TestDecodeSeedPage decodes the documented answer through the client, so
// the envelope, the page and every nullable property are checked together.
func TestDecodeSeedPage(t *testing.T) {
	t.Parallel()
	seed := seedPage(t)
	c := startRecorder(t, &recorder{reply: func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = w.Write(seed)
	}})
	page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	require.NoError(t, err)

	assert.Equal(t, "AAAAAGBDPMsAAAAACC5MoAAAAAADfxpa", page.NextCursor)
	require.Len(t, page.List, 2)
	first, second := page.List[0], page.List[1]

	assert.Equal(t, tanma.ID(398604120668224), first.CustomerID)
	assert.Equal(t, tanma.ID(398923388842048), second.CustomerID)
	assertStr(t, "dowen", first.QwUserID)
	require.NotNil(t, first.Type)
	assert.Equal(t, 1, *first.Type)
	assert.Equal(t, []string{"etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ", "etvRo3DwAAq7llRWbNwJvWxLxioIuhtQ"}, first.TagIDs, "tag ids may repeat")
	assert.NotNil(t, second.TagIDs, "an empty array is not null")
	assert.Empty(t, second.TagIDs)
	assertStr(t, "2021-03-06 16:22:17", first.CreateTime)
	assertStr(t, "2021-03-31 14:59:21", first.LastUpdateTime)
	assertStr(t, "14635", first.QwRemark)
	assertStr(t, "张三测", second.QwRemark)
	for name, p := range map[string]*string{
		"wechatNickname":      first.WechatNickname,
		"wechatAvatar":        first.WechatAvatar,
		"wechatLocation":      first.WechatLocation,
		"convertCustomerTime": first.ConvertCustomerTime,
		"externalUserId":      first.ExternalUserID,
	} {
		assert.Nil(t, p, "%s is null in the example", name)
	}

	want := []struct {
		field string
		typ   int
		value *string // nil: null
	}{
		{tanma.KeySource, tanma.FieldSelect, ptr("4")},
		{tanma.KeyDescription, tanma.FieldText, nil},
		{tanma.KeyMobile, tanma.FieldPhone, ptr(`["110110"]`)},
		{tanma.KeyAddress, tanma.FieldText, nil},
		{tanma.KeyBirthday, tanma.FieldDate, nil},
		{tanma.KeyCorpName, tanma.FieldText, nil},
		{tanma.KeyName, tanma.FieldText, ptr("14635")},
		{tanma.KeyPurchaseIntention, tanma.FieldSelect, nil},
		{tanma.KeyGender, tanma.FieldSelect, ptr("0")},
		{tanma.KeyStage, tanma.FieldSelect, ptr("396823724189760")},
	}
	require.Len(t, first.Fields, len(want))
	for i, w := range want {
		f := first.Fields[i]
		assert.Equal(t, w.field, f.Field, "field %d", i)
		assert.Equal(t, w.typ, f.Type, "type of %s", w.field)
		assert.Equal(t, w.value, f.ValueAsText, "value of %s", w.field)
	}
	var phones []string
	require.NoError(t, json.Unmarshal([]byte(*second.Fields[2].ValueAsText), &phones))
	assert.Equal(t, []string{"18910515284"}, phones)
}

// TestDecodeLastPage: an absent or null nextCursor is the end of the list.
func TestDecodeLastPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
	}{
		{"absent", `{"list":[]}`},
		{"null", `{"list":[],"nextCursor":null}`},
		{"empty", `{"list":[],"nextCursor":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var p tanma.CustomerPage
			require.NoError(t, json.Unmarshal([]byte(tt.data), &p))
			assert.Empty(t, p.NextCursor)
			assert.Empty(t, p.List)
		})
	}
}

// TestDecodeSearchItem: search answers carry the owner as qwSalesId and
// profile fields under numeric field-id keys.
func TestDecodeSearchItem(t *testing.T) {
	t.Parallel()
	const data = `{"totalPage":3,"data":[{"customerId":"9007199254740993","qwSalesId":"dowen","396800000000001":"张三","396800000000002":null,"name":"x"}]}`
	var p tanma.SearchPage
	require.NoError(t, json.Unmarshal([]byte(data), &p))
	assert.Equal(t, 3, p.TotalPage)
	assert.Nil(t, p.TotalCount, "totalCount is undocumented: nil when absent")
	require.Len(t, p.Data, 1)
	it := p.Data[0]
	assert.Equal(t, bigID, it.CustomerID)
	assertStr(t, "dowen", it.QwUserID)
	assert.Equal(t, map[string]json.RawMessage{
		"396800000000001": json.RawMessage(`"张三"`),
		"396800000000002": json.RawMessage(`null`),
	}, it.ByFieldID)
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	got, err := tanma.ParseTime("2021-03-06 16:22:17")
	require.NoError(t, err)
	assert.True(t, got.Equal(time.Date(2021, 3, 6, 8, 22, 17, 0, time.UTC)), "China time is UTC+8: got %v", got)
	_, err = tanma.ParseTime("2021-03-06T16:22:17Z")
	assert.Error(t, err)
}

func ptr(s string) *string { return &s }

func assertStr(t *testing.T, want string, got *string) {
	t.Helper()
	if assert.NotNil(t, got) {
		assert.Equal(t, want, *got)
	}
}
