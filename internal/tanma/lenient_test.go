package tanma_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestOneOddCustomerDoesNotCostThePage: a page whose customers break the
// documented shape in different ways still decodes; each customer keeps
// what could be read, and what could not is named (never its value), and
// nothing is made up: an item without a readable id keeps id 0.
func TestOneOddCustomerDoesNotCostThePage(t *testing.T) {
	t.Parallel()
	const data = `{"list":[
		{"customerId":1,"qwUserId":"dowen","fields":[{"field":"name","type":1,"valueAsText":"张三"}],"tagIds":["et1"]},
		{"customerId":2,"fields":[{"field":"133173","type":4,"valueAsText":42},{"field":"gender","type":"2","valueAsText":"1"}]},
		{"customerId":3,"tagIds":["et1",7,null],"createTime":20240101,"type":"x"},
		null,
		{"customerId":"abc","fields":[{"type":1,"valueAsText":"no key"}]},
		{"customerId":3.98e14}
	],"nextCursor":"c2"}`
	rec := &recorder{reply: answer(200, `{"code":0,"message":"ok","data":`+data+`}`)}
	c := startRecorder(t, rec)
	page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	require.NoError(t, err)
	require.Len(t, page.List, 6)
	assert.Equal(t, "c2", page.NextCursor)

	first := page.List[0]
	assert.Equal(t, tanma.ID(1), first.CustomerID)
	assert.Empty(t, first.Flaws)
	assert.Equal(t, "张三", *first.Fields[0].ValueAsText)

	second := page.List[1]
	assert.Equal(t, tanma.ID(2), second.CustomerID)
	require.Len(t, second.Fields, 2)
	assert.Equal(t, "42", *second.Fields[0].ValueAsText, "a number kept as its JSON text")
	assert.Equal(t, tanma.FlawWrongType, second.Fields[0].Flaw)
	assert.Equal(t, tanma.FieldSelect, second.Fields[1].Type, "a type code sent as text still names the kind")
	assert.Equal(t, tanma.FlawWrongType, second.Fields[1].Flaw)

	third := page.List[2]
	assert.Equal(t, []string{"et1"}, third.TagIDs, "only the text ids")
	assert.Nil(t, third.CreateTime)
	assert.Nil(t, third.Type)
	assert.ElementsMatch(t, []tanma.Flaw{
		{Property: "tagIds", Problem: tanma.FlawWrongType}, {Property: "tagIds", Problem: tanma.FlawWrongType},
		{Property: "createTime", Problem: tanma.FlawWrongType}, {Property: "type", Problem: tanma.FlawWrongType},
	}, third.Flaws)

	assert.Zero(t, page.List[3].CustomerID, "null: no id made up")
	assert.Equal(t, []tanma.Flaw{{Problem: tanma.FlawNotObject}}, page.List[3].Flaws)
	assert.Zero(t, page.List[4].CustomerID, "an id that is not a number")
	assert.Contains(t, page.List[4].Flaws, tanma.Flaw{Property: "fields", Problem: tanma.FlawNoKey}, "an entry naming no field")
	assert.Zero(t, page.List[5].CustomerID, "an id in exponent form is not read through float64")
}

// TestAWellFormedPageIsDecodedStrictly: nothing is flagged on a page in
// the documented shape (the lenient path is only a fallback).
func TestAWellFormedPageIsDecodedStrictly(t *testing.T) {
	t.Parallel()
	rec := &recorder{reply: answer(200, `{"code":0,"message":"ok","data":{"list":[{"customerId":1,"fields":[{"field":"name","type":1,"valueAsText":null}],"tagIds":[]}],"nextCursor":""}}`)}
	c := startRecorder(t, rec)
	page, err := c.ListCustomersByQwUserID(t.Context(), tanma.ListByQwUserIDRequest{QwUserID: "dowen", Size: 100})
	require.NoError(t, err)
	require.Len(t, page.List, 1)
	assert.Empty(t, page.List[0].Flaws)
	assert.Empty(t, page.List[0].Fields[0].Flaw)
}

// TestMissingReferenceDataIsAnError: a null data where Tanma documents an
// array is an error of the answer (ErrBadResponse), never an empty field
// list, tag library, directory or department list.
func TestMissingReferenceDataIsAnError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data string
		call func(*tanma.Client) error
	}{
		{"list-fields, data null", `null`, func(c *tanma.Client) error { _, err := c.ListFields(t.Context()); return err }},
		{"list-fields, fields null", `{"fields":null}`, func(c *tanma.Client) error { _, err := c.ListFields(t.Context()); return err }},
		{"tag tree", `null`, func(c *tanma.Client) error { _, err := c.ListTagTree(t.Context()); return err }},
		{"get-users", `{"pageNo":1,"pageSize":100}`, func(c *tanma.Client) error {
			_, err := c.GetUsers(t.Context(), tanma.UsersRequest{PageNo: 1, PageSize: 100})
			return err
		}},
		{"departments", `null`, func(c *tanma.Client) error {
			_, err := c.UserDepartments(t.Context(), tanma.UserDepartmentsRequest{QwUserID: "dowen"})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{reply: answer(200, `{"code":0,"message":"ok","data":`+tc.data+`}`)}
			err := tc.call(startRecorder(t, rec))
			assert.ErrorIs(t, err, tanma.ErrBadResponse)
		})
	}
}
