package sandbox_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

const (
	wrPathAddClue  = "/api/v3/add-clue"
	wrPathUpdate   = "/api/v3/customer/update-by-id"
	wrPathTransfer = "/api/v3/customer/transfer"
)

// value returns a customer's valueAsText for key ("" when null).
func value(c tanma.Customer, key string) string {
	for _, f := range c.Fields {
		if f.Field == key && f.ValueAsText != nil {
			return *f.ValueAsText
		}
	}
	return ""
}

// TestAddClue: a new customer without an owner, found by id and by search
// afterwards; a phone another customer has is 40417 and adds nothing.
func TestAddClue(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	before := len(sb.Data().Customers)

	var id tanma.ID
	epData(t, sb, wrPathAddClue, epBody(t, map[string]any{
		"customerName": "新线索", "mobiles": []string{"13800000001"},
		"fields": []map[string]any{{"alias": "性别", "fieldValue": 1}, {"alias": "年度预算(元)", "fieldValue": 1200.5},
			{"alias": "感兴趣的产品", "fieldValue": []any{133175001, "133175003"}}},
	}), &id)
	require.Positive(t, id)
	c, ok := sb.Data().Customer(id)
	require.True(t, ok, "the new customer is in the dataset")
	assert.Nil(t, c.QwUserID, "a clue has no owner yet")
	assert.Equal(t, "新线索", value(c, tanma.KeyName))
	assert.Equal(t, `["13800000001"]`, value(c, tanma.KeyMobile))
	assert.Equal(t, "1", value(c, tanma.KeyGender))
	assert.Equal(t, "1200.5", value(c, "133173"))
	assert.Equal(t, `["133175001","133175003"]`, value(c, "133175"))
	assert.Len(t, sb.Data().Customers, before+1)

	var page struct{ Data []map[string]any }
	epData(t, sb, "/api/v3/customer/search", epBody(t, map[string]any{"customerId": id}), &page)
	assert.Len(t, page.Data, 1, "search by id finds it")

	failure(t, post(sb, wrPathAddClue, epBody(t, map[string]any{"customerName": "重复", "mobiles": []string{"13800000001"}})),
		200, tanma.CodeDuplicatePhone, "请求参数验证失败：电话号码重复", false)
	for _, bad := range []map[string]any{
		{"mobiles": []string{"13800000002"}},
		{"customerName": "x", "mobiles": []string{"abc"}},
		{"customerName": "x", "fields": []map[string]any{{"alias": "不存在的字段", "fieldValue": "1"}}},
		{"customerName": "x", "fields": []map[string]any{{"alias": "性别", "fieldValue": 9}}},
		{"customerName": "x", "fields": []map[string]any{{"alias": "生日", "fieldValue": "1990/01/01"}}},
	} {
		validationFailure(t, post(sb, wrPathAddClue, epBody(t, bad)))
	}
	assert.Len(t, sb.Data().Customers, before+1, "failed writes add nothing")
}

// TestUpdateByID: values by label (select options by their label) replace
// the fields named; anything wrong changes nothing.
func TestUpdateByID(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	old := sb.Data()
	target := old.CustomersOf("chenjing")[3]

	epData(t, sb, wrPathUpdate, epBody(t, map[string]any{"customerId": target.CustomerID, "fields": []map[string]any{
		{"alias": "客户阶段", "values": []string{"商务谈判"}},
		{"alias": "描述", "values": []string{"回访过两次"}},
		{"alias": "感兴趣的产品", "values": []string{"专业版", "增值服务"}},
		{"alias": "生日", "values": []string{}},
	}}), new(json.RawMessage))
	c, _ := sb.Data().Customer(target.CustomerID)
	assert.Equal(t, "398792098304066", value(c, tanma.KeyStage))
	assert.Equal(t, "回访过两次", value(c, tanma.KeyDescription))
	assert.Equal(t, `["133175002","133175004"]`, value(c, "133175"))
	assert.Empty(t, value(c, tanma.KeyBirthday), "no values clear the field")
	assert.Equal(t, target.Fields, func() []tanma.Field { c, _ := old.Customer(target.CustomerID); return c.Fields }(),
		"an earlier snapshot keeps its values")
	listed, _ := listPage(t, sb, "chenjing", "", 10)
	assert.Equal(t, target.CustomerID, tanma.ID(listed[3].ID), "the customer keeps its place in the list")

	other := sb.Data().CustomersOf("lina")[0]
	otherPhones := value(other, tanma.KeyMobile)
	for _, bad := range []map[string]any{
		{"customerId": 1, "fields": []map[string]any{{"alias": "描述", "values": []string{"x"}}}},
		{"customerId": target.CustomerID, "fields": []map[string]any{{"alias": "客户阶段", "values": []string{"398792098304066"}}}},
		{"customerId": target.CustomerID, "fields": []map[string]any{{"alias": "描述", "values": []string{"a", "b"}}}},
		{"customerId": target.CustomerID, "fields": []map[string]any{{"alias": "描述", "values": []string{"ok"}}, {"alias": "年度预算(元)", "values": []string{"很多"}}}},
	} {
		validationFailure(t, post(sb, wrPathUpdate, epBody(t, bad)))
	}
	if otherPhones != "" && otherPhones != "[]" {
		var ms []string
		require.NoError(t, json.Unmarshal([]byte(otherPhones), &ms))
		failure(t, post(sb, wrPathUpdate, epBody(t, map[string]any{"customerId": target.CustomerID,
			"fields": []map[string]any{{"alias": "电话", "values": ms[:1]}}})), 200, tanma.CodeDuplicatePhone, "请求参数验证失败：电话号码重复", false)
	}
	after, _ := sb.Data().Customer(target.CustomerID)
	assert.Equal(t, c, after, "failed updates change nothing")
}

// TestTransfer: the relations pass to the new owner together, or none does.
func TestTransfer(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var moving []tanma.Customer
	for _, c := range sb.Data().CustomersOf("zhoutao") {
		if c.ExternalUserID != nil && len(moving) < 3 {
			moving = append(moving, c)
		}
	}
	require.Len(t, moving, 3)
	rel := func(c tanma.Customer, owner string) map[string]any {
		return map[string]any{"customerName": value(c, tanma.KeyName), "externalId": *c.ExternalUserID, "qwUserId": owner}
	}

	validationFailure(t, post(sb, wrPathTransfer, epBody(t, map[string]any{
		"customers": []any{rel(moving[0], "zhoutao"), rel(moving[1], "lina")}, "handoverToUserid": "zhaolei"})))
	validationFailure(t, post(sb, wrPathTransfer, epBody(t, map[string]any{
		"customers": []any{rel(moving[0], "zhoutao")}, "handoverToUserid": "nobody"})))
	assert.Len(t, sb.Data().CustomersOf("zhoutao"), 99, "a refused batch moves nobody")

	epData(t, sb, wrPathTransfer, epBody(t, map[string]any{
		"customers": []any{rel(moving[0], "zhoutao"), rel(moving[1], "zhoutao"), rel(moving[2], "zhoutao")}, "handoverToUserid": "zhaolei"}), new(json.RawMessage))
	assert.Len(t, sb.Data().CustomersOf("zhoutao"), 96)
	got, _ := listPage(t, sb, "zhaolei", "", 10)
	ids := make([]tanma.ID, len(got))
	for i, it := range got {
		ids[i] = tanma.ID(it.ID)
		assert.Equal(t, "zhaolei", it.Owner)
	}
	for _, c := range moving {
		assert.True(t, slices.Contains(ids, c.CustomerID), "customer %d is listed under its new owner", c.CustomerID)
	}
}
