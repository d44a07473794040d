package graph_test

import (
	"encoding/json"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/tanma-gql/gateway/graph"
	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// wholePhone finds a mainland mobile number whole: 11 digits starting 1[3-9]
// that are not part of a longer number (customer and staff ids are 15
// digits).
var wholePhone = regexp.MustCompile(`(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)`)

// TestPersonalFieldsAreTheSchemas: the fields the code masks are the ones
// the schema marks @personal, with the same mask.
func TestPersonalFieldsAreTheSchemas(t *testing.T) {
	t.Parallel()
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(graph.SDL())})
	require.NoError(t, err)
	declared := map[string]model.PersonalMask{}
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			if d := f.Directives.ForName("personal"); d != nil {
				declared[def.Name+"."+f.Name] = model.PersonalMask(d.Arguments.ForName("mask").Value.Raw)
			}
		}
	}
	assert.Equal(t, declared, model.Personal)
	assert.NotNil(t, schema.Directives["personal"], "the served SDL declares the directive")
}

// noPersonal is a caller with every permission but personal-data.
var noPersonal = auth.Caller{ID: "lead", Kind: auth.KindAPIKey, Permissions: []string{auth.PermIntrospect, auth.PermWrite}}

// withPersonal is noPersonal with personal-data.
var withPersonal = auth.Caller{ID: "lead", Kind: auth.KindAPIKey, Permissions: []string{auth.PermIntrospect, auth.PermPersonalData, auth.PermWrite}}

// personalQueries are every query that shows a customer, its fields, its
// follow-ups or a search: what a caller may read personal data through.
func personalQueries(gid, phone string) map[string]string {
	const customer = `customerId name mobiles birthday address corpName description remark externalUserId nickname
		fields { key text ... on PhoneCustomerField { phones } ... on TextCustomerField { value } ... on TextAreaCustomerField { value }
			... on DateCustomerField { date } }
		followUps(first: 20) { edges { node { content authorName } } }`
	return map[string]string{
		"list":           `{ customers(ownerId: "dowen", first: 50) { edges { node { ` + customer + ` } } } }`,
		"staff list":     `{ staffMember(qwUserId: "lina") { customers(first: 50) { edges { node { ` + customer + ` } } } } }`,
		"search":         `{ searchCustomers(first: 40) { edges { node { ` + customer + ` } } } }`,
		"search a phone": `{ searchCustomers(filter: {text: "` + phone + `"}) { totalCount edges { node { ` + customer + ` } } } }`,
		"customer":       `{ customer(id: "398604120668224") { ` + customer + ` } }`,
		"node":           `{ node(id: "` + gid + `") { ... on Customer { ` + customer + ` } } }`,
		"nodes":          `{ nodes(ids: ["` + gid + `"]) { ... on Customer { ` + customer + ` } } }`,
	}
}

// TestNoWholePhoneWithoutThePermission: a caller without personal-data
// finds no whole phone number in any answer: lists, search (a phone number
// may still be searched for), customer, node, nodes, follow-ups, and the
// payloads of writes that set phone numbers; a caller with it sees the
// numbers whole, as they are in Tanma.
func TestNoWholePhoneWithoutThePermission(t *testing.T) {
	t.Parallel()
	log, logs := logtest.JSON(slog.LevelDebug)
	e := newEnvLogged(t, nil, log)
	var mobiles []string
	for _, c := range e.sb.Data().CustomersOf("dowen") {
		if v := c.Value(tanma.KeyMobile); v != nil {
			var ms []string
			if json.Unmarshal([]byte(*v), &ms) == nil {
				mobiles = append(mobiles, ms...)
			}
		}
	}
	phone := ""
	for _, m := range mobiles {
		if wholePhone.MatchString(m) {
			phone = m
			break
		}
	}
	require.NotEmpty(t, phone, "the sandbox has whole mobile numbers")
	queries := personalQueries(customerGID(seedID), phone)

	masked, whole := e.as(noPersonal), e.as(withPersonal)
	for name, q := range queries {
		var r map[string]any
		require.Empty(t, masked.do(t, q, &r), name)
		body, _ := json.Marshal(r)
		assert.Empty(t, wholePhone.FindAllString(string(body), 5), "%s: a whole phone number", name)
		var w map[string]any
		require.Empty(t, whole.do(t, q, &w), name)
		withBody, _ := json.Marshal(w)
		if name == "search a phone" {
			assert.Contains(t, string(body), `"totalCount":1`, "a phone number is still searched for")
			assert.Contains(t, string(withBody), phone, "and shown whole with the permission")
		}
	}
	var list struct {
		Customers struct {
			Edges []struct{ Node struct{ Mobiles []string } }
		}
	}
	whole.mustDo(t, `{ customers(ownerId: "dowen", first: 100) { edges { node { mobiles } } } }`, &list)
	var got []string
	for _, edge := range list.Customers.Edges {
		got = append(got, edge.Node.Mobiles...)
	}
	assert.Subset(t, mobiles, got, "with the permission: the numbers as Tanma has them")

	// Writes: setting a phone number needs write only; reading it back
	// needs personal-data.
	var out struct {
		CustomerUpdate struct{ Customer struct{ Mobiles []string } }
	}
	masked.mustDo(t, updateMutation, &out, client.Var("in", map[string]any{"id": seedID.String(),
		"fields": []map[string]any{{"key": "mobile", "phones": []string{"13900000001", "+86 139-0000-0002"}}}}))
	assert.Equal(t, []string{"139****0001", "+86 139-****-0002"}, out.CustomerUpdate.Customer.Mobiles)
	var clue struct {
		ClueCreate struct {
			Customer struct {
				Mobiles []string
				Fields  []struct{ Key, Text string }
			}
		}
	}
	masked.mustDo(t, `mutation($in: ClueCreateInput!) { clueCreate(input: $in) { customer { mobiles fields { key text } } } }`, &clue,
		client.Var("in", map[string]any{"name": "新线索 13700000009", "mobiles": []string{"13700000009"}}))
	body, _ := json.Marshal(clue)
	assert.Empty(t, wholePhone.FindAllString(string(body), 5), "the payload echoes no whole number: %s", body)
	assert.Equal(t, []string{"137****0009"}, clue.ClueCreate.Customer.Mobiles)
	assert.Empty(t, wholePhone.FindAllString(logs.String(), 5), "the logs and audit records hold no phone number")
	assert.Contains(t, logs.String(), `"mutation":"clueCreate"`, "the writes were audited")
}

// writtenPhone finds a mainland mobile number however it is written out:
// its 11 digits with single spaces or dashes between any of them.
var writtenPhone = regexp.MustCompile(`(^|[^0-9])1[3-9](?:(?:[\s\-–.,/_()]|\\n){0,3}[0-9]){9}([^0-9]|$)`)

// asciiDigits writes full-width digits as ASCII ones.
func asciiDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + r - '０'
		}
		return r
	}, s)
}

// TestWrittenOutNumbersAreMasked: phone numbers written with spaces or
// dashes, in a phone field or in free text, are masked too, through every
// entry point.
func TestWrittenOutNumbersAreMasked(t *testing.T) {
	t.Parallel()
	writeOut := func(_, env map[string]any) {
		items(env, func(_ int, it map[string]any) {
			if it["customerId"] != json.Number(seedID.String()) {
				return
			}
			it["qwRemark"] = "电话 138-8765-4321, 或 +86 139 0000 0002, 138.1111.2222, １３７２２２２３３３３"
			for _, f := range it["fields"].([]any) {
				if f := f.(map[string]any); f["field"] == tanma.KeyMobile {
					f["valueAsText"] = `["+86 139-0000-0002","138 1234 5678","137  4444  5555"]`
				}
			}
		})
	}
	e := newEnvWith(t, chain(rewriteUpstream(tanma.PathListByQwUserID, writeOut), rewriteUpstream(tanma.PathSearchCustomers, writeOut)))
	for name, q := range personalQueries(customerGID(seedID), "13800000000") {
		var r map[string]any
		require.Empty(t, e.as(noPersonal).do(t, q, &r), name)
		body, _ := json.Marshal(r)
		assert.Empty(t, writtenPhone.FindAllString(asciiDigits(string(body)), 5), "%s: a whole phone number", name)
	}
	var whole struct{ Customer struct{ Remark string } }
	e.as(withPersonal).mustDo(t, `{ customer(id: "`+seedID.String()+`") { remark } }`, &whole)
	assert.Equal(t, "电话 138-8765-4321, 或 +86 139 0000 0002, 138.1111.2222, １３７２２２２３３３３", whole.Customer.Remark)
}

// TestNoNumberReadBackBySearch: without the personal-data permission a
// number is searched for whole (10 digits or more), so a masked number
// cannot be read back from which customers a few of its digits find;
// other text, and any text with the permission, is searched as before.
func TestNoNumberReadBackBySearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const q = `query($t: String) { searchCustomers(filter: {text: $t}, first: 5) { totalCount } }`
	for _, text := range []string{"1770", "177 0856", "+86 138-1234", "１７７０８５６"} {
		assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(e.as(noPersonal).do(t, q, nil, client.Var("t", text))), text)
		assert.Empty(t, e.as(withPersonal).do(t, q, nil, client.Var("t", text)), "%s, with the permission", text)
	}
	for _, text := range []string{"13812345678", "138 1234 5678", "010-6234-5678", "58同城", "张"} {
		assert.Empty(t, e.as(noPersonal).do(t, q, nil, client.Var("t", text)), text)
	}
}

// TestMasks: how each mask shows a value.
func TestMasks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
		mask           func(string) string
	}{
		{"mobile", "13812345678", "138****5678", model.MaskPhone},
		{"country code", "+86 13812345678", "+86 138****5678", model.MaskPhone},
		{"dashes", "+86 139-0000-0002", "+86 139-****-0002", model.MaskPhone},
		{"landline", "010-62345678", "010-****5678", model.MaskPhone},
		{"short", "110110", "****10", model.MaskPhone},
		{"8 digits", "5555-6666", "****-6666", model.MaskPhone},
		{"text with a number", "call 13812345678 after 5", "call 138****5678 after 5", model.MaskText},
		{"text without", "需求: 200 套", "需求: 200 套", model.MaskText},
		{"text with a spaced number", "电话 138 1234 5678。", "电话 138 **** 5678。", model.MaskText},
		{"text with a dashed number", "call +86-139-0000-0002, or 010-6234-5678", "call +86-139-****-0002, or 010-****-5678", model.MaskText},
		{"a phone field's text", `["+86 139-0000-0002","13812345678"]`, `["+86 139-****-0002","138****5678"]`, model.MaskText},
		{"text with a date", "2024-01-15 回访, 预算 1 200 000", "2024-01-15 回访, 预算 1 200 000", model.MaskText},
		{"a long group among short ones", "编号 1-1234567", "编号 1-*****67", model.MaskText},
		{"double spaces", "E 138  1234  5678", "E 138  ****  5678", model.MaskText},
		{"spaced dashes", "138 - 1234 - 5678", "138 - **** - 5678", model.MaskText},
		{"lines", "138\n1234\n5678", "138\n****\n5678", model.MaskText},
		{"ideographic spaces", "138　1234　5678", "138　****　5678", model.MaskText},
		{"en dashes", "138–1234–5678", "138–****–5678", model.MaskText},
		{"dots", "138.1234.5678", "138.****.5678", model.MaskText},
		{"slashes", "138/1234/5678", "138/****/5678", model.MaskText},
		{"underscores", "138_1234_5678", "138_****_5678", model.MaskText},
		{"commas", "138,1234,5678", "138,****,5678", model.MaskText},
		{"brackets", "(138)1234-5678", "(138)****-5678", model.MaskText},
		{"full-width digits", "１３８１２３４５６７８", "１３８****５６７８", model.MaskText},
		{"a local landline", "座机 8888-8888 或 888 8888", "座机 ****-8888 或 *** **88", model.MaskText},
		{"dates and amounts stay", "2024.01.15, 2024/01/15, ¥1,200,000", "2024.01.15, 2024/01/15, ¥1,200,000", model.MaskText},
		{"address", "北京市朝阳区建国路88号", "北京市朝阳区***", model.MaskAddress},
		{"short address", "北京", "**", model.MaskAddress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.mask(tc.in))
		})
	}
	assert.True(t, slices.Contains(auth.Permissions(), auth.PermPersonalData))
	assert.False(t, strings.Contains(model.MaskPhone("13812345678"), "1234"))
}
