package tanma_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestSearchFilterEncoding: a filter in domain values becomes the body
// Tanma's search page shows: owners and departments as lists, tags (op 6)
// and stages (op 2) as AND-ed conditions with numeric ids as numbers, and a
// [since, before) window as createTime with an inclusive end.
func TestSearchFilterEncoding(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, tanma.Shanghai)
	before := time.Date(2026, 2, 1, 0, 0, 0, 500, tanma.Shanghai) // rounds up to the next second
	req := tanma.SearchFilter{
		Text: "张", SalesIDs: []string{"7"}, DepartmentIDs: []tanma.ID{3},
		TagIDs: []tanma.ID{11, 12}, StageIDs: []string{"5", "custom"},
		Created: tanma.Window{Since: &since, Before: &before},
	}.Request()
	req.PageNo, req.PageSize = 1, 100
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.JSONEq(t, `{"searchKey":"张","salesIdList":["7"],"departmentIdList":["3"],
		"createTime":{"start":"2026-01-01 00:00:00","end":"2026-02-01 00:00:00"},
		"conditions":{"conditionOp":1,"conditionItems":[
			{"name":"tagIds","op":6,"values":[11,12]},
			{"name":"customer_stage","op":2,"values":[5,"custom"]}]},
		"pageNo":1,"pageSize":100}`, string(b))

	empty, err := json.Marshal(tanma.SearchFilter{}.Request())
	require.NoError(t, err)
	assert.JSONEq(t, `{"conditions":{"conditionOp":1,"conditionItems":[]},"pageNo":0,"pageSize":0}`, string(empty))
}

func TestWindowBounds(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) // 08:00 in China
	since2, before, empty := tanma.Window{Since: &since}.Bounds()
	assert.Equal(t, "2026-01-01 08:00:00", since2)
	assert.Equal(t, "2999-12-31 23:59:59", before, "an open end is closed far away")
	assert.False(t, empty)
	a, b := since.Add(300*time.Millisecond), since.Add(800*time.Millisecond)
	_, _, empty = tanma.Window{Since: &a, Before: &b}.Bounds()
	assert.True(t, empty, "no whole second between them")
	assert.True(t, tanma.Window{Since: &b, Before: &a}.Inverted())
	assert.Nil(t, tanma.Window{}.TimeRange())
}

// TestSearchItemCustomerWith: values keyed by field id join the fields
// array under the definitions' keys, in definition order; an entry already
// in the array wins; null stays empty; numbers and arrays keep their JSON.
func TestSearchItemCustomerWith(t *testing.T) {
	t.Parallel()
	var it tanma.SearchItem
	require.NoError(t, json.Unmarshal([]byte(`{"customerId": 1, "fields": [{"field": "name", "valueAsText": "张三", "type": 1}],
		"101": "VIP", "102": 3, "103": null, "104": ["a"], "1": "ignored: the array has name"}`), &it))
	keys := []tanma.FieldKey{{ID: 104, Key: "104", Type: 8}, {ID: 1, Key: "name", Type: 1}, {ID: 101, Key: "101", Type: 1},
		{ID: 102, Key: "102", Type: 4}, {ID: 103, Key: "103", Type: 3}}
	c := it.CustomerWith(keys)
	var got []string
	for _, f := range c.Fields {
		v := "<nil>"
		if f.ValueAsText != nil {
			v = *f.ValueAsText
		}
		got = append(got, f.Field+"="+v)
	}
	assert.Equal(t, []string{`104=["a"]`, "name=张三", "101=VIP", "102=3", "103=<nil>"}, got)
}
