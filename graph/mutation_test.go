package graph_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// writePaths are the upstream write endpoints.
var writePaths = []string{tanma.PathUpdateCustomer, tanma.PathAddClue, tanma.PathTransferCustomers}

const updateMutation = `mutation($in: CustomerUpdateInput!) { customerUpdate(input: $in) {
  clientMutationId
  customer { id customerId name mobiles birthday description stage { id label } updatedAt
    fields { key text ... on MultiSelectCustomerField { options { id label } } ... on NumberCustomerField { number } } } } }`

type updatedCustomer struct {
	ID          string
	CustomerID  string
	Name        *string
	Mobiles     []string
	Birthday    *string
	Description *string
	Stage       *struct{ ID, Label string }
	UpdatedAt   string
	Fields      []struct {
		Key     string
		Text    *string
		Number  *float64
		Options []struct{ ID, Label string }
	}
}

func (c updatedCustomer) field(key string) (text string, number *float64, options []string) {
	for _, f := range c.Fields {
		if f.Key == key {
			if f.Text != nil {
				text = *f.Text
			}
			for _, o := range f.Options {
				options = append(options, o.Label)
			}
			return text, f.Number, options
		}
	}
	return "", nil, nil
}

// seedTarget is a customer of dowen's list (the seed page's first example).
func seedTarget(t *testing.T, e *env) tanma.Customer {
	t.Helper()
	c, ok := e.sb.Data().Customer(sandbox.SeedCustomerID)
	require.True(t, ok)
	return c
}

// TestCustomerUpdate: typed values of every kind reach Tanma as one update,
// and the payload, a refetch by id and the owner's list all show them.
func TestCustomerUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := seedTarget(t, e)
	// Warm the list, so the customer is among the recently listed ones.
	var list struct {
		Customers struct {
			Edges []struct{ Node struct{ CustomerID string } }
		}
	}
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 5) { edges { node { customerId description } } } }`, &list)

	var out struct {
		CustomerUpdate struct {
			ClientMutationID string
			Customer         updatedCustomer
		}
	}
	e.mustDo(t, updateMutation, &out, client.Var("in", map[string]any{
		"clientMutationId": "m-1",
		"id":               target.CustomerID.String(),
		"fields": []map[string]any{
			{"key": "customer_stage", "optionId": "398792098304066"},
			{"key": "description", "text": "  回访过两次  "},
			{"key": "birthday", "date": "1990-05-17"},
			{"key": "133173", "number": 1200.5},
			{"key": "133175", "optionIds": []string{"133175002", "133175004"}},
			{"key": "mobile", "phones": []string{"13900000001", "+86 139-0000-0002"}},
		},
	}))
	got := out.CustomerUpdate
	assert.Equal(t, "m-1", got.ClientMutationID)
	check := func(c updatedCustomer, where string) {
		assert.Equal(t, target.CustomerID.String(), c.CustomerID, where)
		require.NotNil(t, c.Stage, where)
		assert.Equal(t, "商务谈判", c.Stage.Label, where)
		assert.Equal(t, "回访过两次", *c.Description, where)
		assert.Equal(t, "1990-05-17", *c.Birthday, where)
		assert.Equal(t, []string{"13900000001", "+86 139-0000-0002"}, c.Mobiles, where)
		_, n, _ := c.field("133173")
		require.NotNil(t, n, where)
		assert.InDelta(t, 1200.5, *n, 0, where)
		_, _, opts := c.field("133175")
		assert.Equal(t, []string{"专业版", "增值服务"}, opts, where)
	}
	check(got.Customer, "payload")
	assert.Equal(t, 1, int(e.sb.Calls(tanma.PathUpdateCustomer)), "one update call")

	var byID struct{ Customer updatedCustomer }
	e.mustDo(t, `query($id: ID!) { customer(id: $id) { id customerId name mobiles birthday description stage { id label } updatedAt
	  fields { key text ... on MultiSelectCustomerField { options { id label } } ... on NumberCustomerField { number } } } }`,
		&byID, client.Var("id", got.Customer.ID))
	check(byID.Customer, "refetch by id")

	var again struct {
		Customers struct {
			Edges []struct{ Node updatedCustomer }
		}
	}
	e.mustDo(t, `{ customers(ownerId: "dowen", first: 1) { edges { node { customerId name mobiles birthday description stage { id label } updatedAt
	  fields { key text ... on MultiSelectCustomerField { options { id label } } ... on NumberCustomerField { number } } } } } }`, &again)
	require.Len(t, again.Customers.Edges, 1)
	check(again.Customers.Edges[0].Node, "owner's list")

	// The sandbox holds the change, written by label as Tanma takes it.
	now, _ := e.sb.Data().Customer(target.CustomerID)
	assert.Equal(t, "398792098304066", fieldText(now, tanma.KeyStage))
	assert.Equal(t, `["133175002","133175004"]`, fieldText(now, "133175"))
}

func fieldText(c tanma.Customer, key string) string {
	for _, f := range c.Fields {
		if f.Field == key && f.ValueAsText != nil {
			return *f.ValueAsText
		}
	}
	return ""
}

// TestCustomerUpdateValidation: every malformed value answers
// BAD_USER_INPUT naming the field, and nothing reaches Tanma: no write, no
// lookup, the sandbox unchanged.
func TestCustomerUpdateValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := seedTarget(t, e).CustomerID.String()
	cases := []struct {
		name   string
		id     string
		fields []map[string]any
		field  string // extensions.field, "" when none is named
		msg    string // part of the message
	}{
		{"no fields", target, []map[string]any{}, "", "at least one field"},
		{"unknown key", target, []map[string]any{{"key": "shoe_size", "text": "42"}}, "", "input.fields[0]: key is not a customer field key"},
		{"wrong kind", target, []map[string]any{{"key": "customer_stage", "text": "赢单"}}, "customer_stage", "is a SELECT field: give `optionId`"},
		{"two values", target, []map[string]any{{"key": "description", "text": "a", "clear": true}}, "description", "exactly one of `text`, `clear`"},
		{"no value", target, []map[string]any{{"key": "description"}}, "description", "give a value"},
		{"unknown option", target, []map[string]any{{"key": "gender", "optionId": "7"}}, "gender", "not one of the field's options"},
		{"unknown multi option", target, []map[string]any{{"key": "133175", "optionIds": []string{"133175001", "x"}}}, "133175", "optionIds[1]"},
		{"malformed phone", target, []map[string]any{{"key": "mobile", "phones": []string{"1390000", "call me"}}}, "mobile", "phones[1] is not a phone number"},
		{"same key twice", target, []map[string]any{{"key": "description", "text": "a"}, {"key": "description", "text": "b"}}, "description", "already set"},
		{"line break in one-line text", target, []map[string]any{{"key": "address", "text": "a\nb"}}, "address", "no line breaks"},
		{"blank name", target, []map[string]any{{"key": "name", "text": " "}}, "name", "cannot be blank"},
		{"cleared name", target, []map[string]any{{"key": "name", "clear": true}}, "name", "cannot be cleared"},
		{"valid field, then a bad one", target, []map[string]any{{"key": "description", "text": "ok"}, {"key": "birthday", "number": 3}}, "birthday", "input.fields[1]"},
		{"malformed id", "abc", []map[string]any{{"key": "description", "text": "x"}}, "", "malformed id"},
		{"a staff id", "U3RhZmY6ZG93ZW4=", []map[string]any{{"key": "description", "text": "x"}}, "", "got a Staff id"},
	}
	before := e.sb.Data()
	e.sb.ResetCalls()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := e.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": tc.id, "fields": tc.fields}))
			require.Len(t, errs, 1)
			assert.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
			assert.Contains(t, errs[0].Message, tc.msg)
			if tc.field != "" {
				assert.Equal(t, tc.field, errs[0].Extensions["field"])
			}
		})
	}
	// A malformed date never reaches the resolver: the Date scalar refuses it.
	errs := e.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": target, "fields": []map[string]any{{"key": "birthday", "date": "1990-13-01"}}}))
	require.NotEmpty(t, errs)
	assert.Contains(t, []string{"BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"}, errs[0].Extensions["code"])

	assert.Same(t, before, e.sb.Data(), "the sandbox is unchanged")
	assert.Empty(t, e.calls(append(writePaths, tanma.PathSearchCustomers)...), "no write and no lookup reached Tanma")
}

// TestCustomerUpdateNotFound: an unknown customer is NOT_FOUND and nothing is written.
func TestCustomerUpdateNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	errs := e.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": "12345", "fields": []map[string]any{{"key": "description", "text": "x"}}}))
	assert.Equal(t, []string{"NOT_FOUND"}, codes(errs))
	assert.Empty(t, e.calls(writePaths...))
}

const clueMutation = `mutation($in: ClueCreateInput!) { clueCreate(input: $in) {
  clientMutationId customer { id customerId name mobiles gender owner { qwUserId } fields { key text } } } }`

// TestClueCreate: a new lead is created once, returned, and readable by id;
// a phone number another customer has answers CONFLICT and adds nothing.
func TestClueCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	before := len(e.sb.Data().Customers)
	var out struct {
		ClueCreate struct {
			ClientMutationID string
			Customer         struct {
				ID, CustomerID, Name, Gender string
				Mobiles                      []string
				Owner                        *struct{ QwUserID string }
				Fields                       []struct {
					Key  string
					Text *string
				}
			}
		}
	}
	e.mustDo(t, clueMutation, &out, client.Var("in", map[string]any{
		"clientMutationId": "c-1", "name": " 新线索 ", "mobiles": []string{"13700000001"},
		"fields": []map[string]any{{"key": "gender", "optionId": "2"}, {"key": "133173", "number": 99},
			{"key": "133176", "dateTime": "2026-11-27T10:30:00+08:00"}, {"key": "133175", "optionIds": []string{"133175003"}}},
	}))
	got := out.ClueCreate
	assert.Equal(t, "c-1", got.ClientMutationID)
	assert.Equal(t, "新线索", got.Customer.Name)
	assert.Equal(t, []string{"13700000001"}, got.Customer.Mobiles)
	assert.Equal(t, "FEMALE", got.Customer.Gender)
	assert.Nil(t, got.Customer.Owner, "a new lead has no owner")
	texts := map[string]string{}
	for _, f := range got.Customer.Fields {
		if f.Text != nil {
			texts[f.Key] = *f.Text
		}
	}
	assert.Equal(t, "99", texts["133173"])
	assert.Equal(t, "2026-11-27 10:30:00", texts["133176"])
	assert.Equal(t, `["133175003"]`, texts["133175"])
	assert.Len(t, e.sb.Data().Customers, before+1)

	var byID struct{ Customer struct{ Name string } }
	e.mustDo(t, `query($id: ID!) { customer(id: $id) { name } }`, &byID, client.Var("id", got.Customer.CustomerID))
	assert.Equal(t, "新线索", byID.Customer.Name)

	e.sb.ResetCalls()
	errs := e.do(t, clueMutation, nil, client.Var("in", map[string]any{"name": "另一个", "mobiles": []string{"13700000001"}}))
	require.Len(t, errs, 1)
	assert.Equal(t, "CONFLICT", errs[0].Extensions["code"])
	assert.NotContains(t, errs[0].Message, "13700000001")
	assert.Len(t, e.sb.Data().Customers, before+1, "the duplicate is not added")
	assert.Equal(t, map[string]int64{tanma.PathAddClue: 1}, e.calls(writePaths...), "sent once, not retried")

	for _, bad := range []map[string]any{
		{"name": " ", "mobiles": []string{}},
		{"name": "x", "mobiles": []string{"no phone"}},
		{"name": "x", "mobiles": []string{}, "fields": []map[string]any{{"key": "mobile", "phones": []string{"13700000009"}}}},
		{"name": "x", "mobiles": []string{}, "fields": []map[string]any{{"key": "gender", "optionId": "9"}}},
	} {
		errs := e.do(t, clueMutation, nil, client.Var("in", bad))
		assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs), "%v", bad)
	}
	assert.Equal(t, map[string]int64{tanma.PathAddClue: 1}, e.calls(writePaths...), "bad input sends nothing")
}

const transferMutation = `mutation($in: CustomersTransferInput!) { customersTransfer(input: $in) {
  clientMutationId transferredCount results { customerId ok errorCode message customer { customerId owner { qwUserId } } } } }`

type transferOut struct {
	CustomersTransfer struct {
		ClientMutationID string
		TransferredCount int
		Results          []struct {
			CustomerID string
			Ok         bool
			ErrorCode  *string
			Message    *string
			Customer   *struct {
				CustomerID string
				Owner      struct{ QwUserID string }
			}
		}
	}
}

// transferable returns n of owner's customers that have a WeChat external id.
func transferable(t *testing.T, e *env, owner string, n int) []tanma.Customer {
	t.Helper()
	var out []tanma.Customer
	for _, c := range e.sb.Data().CustomersOf(owner) {
		if c.ExternalUserID != nil && len(out) < n {
			out = append(out, c)
		}
	}
	require.Len(t, out, n)
	return out
}

// TestCustomersTransfer: the transferable customers go in one upstream
// call; every customer gets its own result; lists show the new owner.
func TestCustomersTransfer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	moving := transferable(t, e, "zhoutao", 2)
	var noExternal tanma.Customer
	for _, c := range e.sb.Data().CustomersOf("zhoutao") {
		if c.ExternalUserID == nil {
			noExternal = c
			break
		}
	}
	require.NotZero(t, noExternal.CustomerID)
	ids := []string{moving[0].CustomerID.String(), "999", "not-an-id", noExternal.CustomerID.String(), moving[1].CustomerID.String(), moving[0].CustomerID.String()}

	var out transferOut
	e.mustDo(t, transferMutation, &out, client.Var("in", map[string]any{"clientMutationId": "t-1", "customerIds": ids, "toStaffId": "zhaolei"}))
	got := out.CustomersTransfer
	assert.Equal(t, "t-1", got.ClientMutationID)
	assert.Equal(t, 2, got.TransferredCount)
	require.Len(t, got.Results, len(ids))
	wantCodes := []string{"", "NOT_FOUND", "BAD_USER_INPUT", "BAD_USER_INPUT", "", "BAD_USER_INPUT"}
	for i, r := range got.Results {
		assert.Equal(t, ids[i], r.CustomerID, "result %d", i)
		code := ""
		if r.ErrorCode != nil {
			code = *r.ErrorCode
			assert.NotEmpty(t, *r.Message)
		}
		assert.Equal(t, wantCodes[i], code, "result %d", i)
		assert.Equal(t, code == "", r.Ok, "result %d", i)
		if r.Ok {
			require.NotNil(t, r.Customer)
			assert.Equal(t, "zhaolei", r.Customer.Owner.QwUserID)
		}
	}
	assert.Equal(t, map[string]int64{tanma.PathTransferCustomers: 1}, e.calls(writePaths...), "one upstream call")

	var lists struct {
		From struct {
			Edges []struct{ Node struct{ CustomerID string } }
		}
		To struct {
			Edges []struct{ Node struct{ CustomerID string } }
		}
	}
	e.mustDo(t, `{ from: customers(ownerId: "zhoutao", first: 100) { edges { node { customerId } } }
	  to: customers(ownerId: "zhaolei", first: 100) { edges { node { customerId } } } }`, &lists)
	assert.Len(t, lists.From.Edges, 97)
	var to []string
	for _, ed := range lists.To.Edges {
		to = append(to, ed.Node.CustomerID)
	}
	assert.ElementsMatch(t, []string{moving[0].CustomerID.String(), moving[1].CustomerID.String()}, to)

	// Already the new owner's: ok without a call.
	e.sb.ResetCalls()
	e.mustDo(t, transferMutation, &out, client.Var("in", map[string]any{"customerIds": ids[:1], "toStaffId": "zhaolei"}))
	assert.True(t, out.CustomersTransfer.Results[0].Ok)
	assert.Empty(t, e.calls(writePaths...))

	errs := e.do(t, transferMutation, nil, client.Var("in", map[string]any{"customerIds": ids[:1], "toStaffId": "nobody"}))
	assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs))
	errs = e.do(t, transferMutation, nil, client.Var("in", map[string]any{"customerIds": []string{}, "toStaffId": "zhaolei"}))
	assert.Equal(t, []string{"BAD_USER_INPUT"}, codes(errs))
}

// TestCustomersTransferUpstreamRefusal: when Tanma refuses the batch, each
// customer it carried reports the refusal: its validation codes as
// BAD_USER_INPUT (without Tanma's message); any code Tanma does not
// document as a refusal may have come after the transfer happened, so it
// is UPSTREAM_UNKNOWN_OUTCOME.
func TestCustomersTransferUpstreamRefusal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code     int
		message  string
		wantCode string
	}{
		{400, tanma.ValidationPrefix + "客户不存在或跟进人不匹配", "BAD_USER_INPUT"},
		{500, "系统繁忙", "UPSTREAM_UNKNOWN_OUTCOME"},
	} {
		e := newEnv(t)
		moving := transferable(t, e, "liuyang", 2)
		e.sb.SetFaults(sandbox.Faults{Code: tc.code, Message: tc.message, Paths: []string{tanma.PathTransferCustomers}})
		var out transferOut
		e.mustDo(t, transferMutation, &out, client.Var("in", map[string]any{
			"customerIds": []string{moving[0].CustomerID.String(), moving[1].CustomerID.String()}, "toStaffId": "zhaolei"}))
		assert.Zero(t, out.CustomersTransfer.TransferredCount)
		for _, r := range out.CustomersTransfer.Results {
			assert.False(t, r.Ok)
			assert.Equal(t, tc.wantCode, *r.ErrorCode)
			assert.NotContains(t, *r.Message, "客户不存在", "Tanma's own message is not shown")
		}
		assert.Len(t, e.sb.Data().CustomersOf("liuyang"), 101, "nobody moved")
	}
}

// TestWriteTimeoutIsNotRetried: a write whose answer does not come in time
// is reported as UPSTREAM_UNKNOWN_OUTCOME after exactly one attempt.
func TestWriteTimeoutIsNotRetried(t *testing.T) {
	t.Parallel()
	e := newEnvLogged(t, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), tanma.WithTimeout(300*time.Millisecond))
	target := seedTarget(t, e).CustomerID.String()
	e.sb.SetFaults(sandbox.Faults{Latency: 5 * time.Second, Paths: writePaths})

	errs := e.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": target, "fields": []map[string]any{{"key": "description", "text": "x"}}}))
	require.Len(t, errs, 1)
	assert.Equal(t, "UPSTREAM_UNKNOWN_OUTCOME", errs[0].Extensions["code"])
	assert.Contains(t, errs[0].Message, "may or may not have happened")
	errs = e.do(t, clueMutation, nil, client.Var("in", map[string]any{"name": "x", "mobiles": []string{}}))
	assert.Equal(t, []string{"UPSTREAM_UNKNOWN_OUTCOME"}, codes(errs))
	assert.Equal(t, map[string]int64{tanma.PathUpdateCustomer: 1, tanma.PathAddClue: 1}, e.calls(writePaths...), "each write sent once")
}

// TestWriteAuthorization: writes need the write permission, and a scoped
// caller writes only its own staff's customers.
func TestWriteAuthorization(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	target := seedTarget(t, e).CustomerID.String() // dowen's
	mine := transferable(t, e, "chenjing", 1)[0].CustomerID.String()
	readOnly := auth.Caller{ID: "ro", Kind: auth.KindAPIKey, Permissions: []string{auth.PermIntrospect}}
	scoped := auth.Caller{ID: "rep", Kind: auth.KindJWT, Permissions: []string{auth.PermWrite}, StaffIDs: []string{"chenjing"}}
	update := func(c auth.Caller, id string) []gqlError {
		return e.as(c).do(t, updateMutation, nil, client.Var("in", map[string]any{"id": id, "fields": []map[string]any{{"key": "description", "text": "x"}}}))
	}
	assert.Equal(t, []string{"FORBIDDEN"}, codes(update(readOnly, target)))
	assert.Equal(t, []string{"NOT_FOUND"}, codes(update(scoped, target)), "another rep's customer is a missing one")
	assert.Empty(t, e.calls(writePaths...), "refused writes send nothing")
	assert.Empty(t, update(scoped, mine), "the rep's own customer")
	assert.Equal(t, map[string]int64{tanma.PathUpdateCustomer: 1}, e.calls(writePaths...))

	se := e.as(scoped)
	var out transferOut
	se.mustDo(t, transferMutation, &out, client.Var("in", map[string]any{"customerIds": []string{target, mine}, "toStaffId": "zhaolei"}))
	r := out.CustomersTransfer.Results
	require.Len(t, r, 2)
	assert.Equal(t, "NOT_FOUND", *r[0].ErrorCode, "another rep's customer is a missing one")
	assert.Equal(t, "FORBIDDEN", *r[1].ErrorCode, "not to a colleague outside the rep's scope")
	ownerOf := func(id string) string { c, _ := e.sb.Data().Customer(mustID(t, id)); return *c.QwUserID }
	assert.Equal(t, "chenjing", ownerOf(mine))
	assert.Zero(t, e.calls(writePaths...)[tanma.PathTransferCustomers], "nothing sent")

	// A lead whose scope holds both reps hands one's customer to the other.
	lead := auth.Caller{ID: "lead", Kind: auth.KindJWT, Permissions: []string{auth.PermWrite}, StaffIDs: []string{"chenjing", "zhaolei"}}
	e.as(lead).mustDo(t, transferMutation, &out, client.Var("in", map[string]any{"customerIds": []string{mine}, "toStaffId": "zhaolei"}))
	require.Len(t, out.CustomersTransfer.Results, 1)
	assert.True(t, out.CustomersTransfer.Results[0].Ok)
	assert.NotNil(t, out.CustomersTransfer.Results[0].Customer, "still in the lead's scope: shown")
	assert.Equal(t, "zhaolei", ownerOf(mine))

	// A scoped rep may log a lead and gets it back, though it has no owner yet.
	var clue struct {
		ClueCreate struct{ Customer *struct{ Name string } }
	}
	se.mustDo(t, clueMutation, &clue, client.Var("in", map[string]any{"name": "代录线索", "mobiles": []string{}}))
	require.NotNil(t, clue.ClueCreate.Customer)
	assert.Equal(t, "代录线索", clue.ClueCreate.Customer.Name)
}

func mustID(t *testing.T, s string) tanma.ID {
	t.Helper()
	id, err := tanma.ParseID(s)
	require.NoError(t, err)
	return id
}

// TestMutationPayloadsDecode: the payloads are plain JSON a client can
// decode; clientMutationId is null when not given.
func TestMutationPayloadsDecode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var raw map[string]json.RawMessage
	e.mustDo(t, updateMutation, &raw, client.Var("in", map[string]any{"id": seedTarget(t, e).CustomerID.String(),
		"fields": []map[string]any{{"key": "corp_name", "text": "探马科技"}}}))
	assert.JSONEq(t, "null", string(mustField(t, raw["customerUpdate"], "clientMutationId")))
}

func mustField(t *testing.T, obj json.RawMessage, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(obj, &m))
	v, ok := m[key]
	require.True(t, ok, fmt.Sprintf("%s missing", key))
	return v
}

// TestREADMEMutationsRun: every mutation example in README.md runs against
// the sandbox without an error.
func TestREADMEMutationsRun(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var examples []string
	for _, block := range strings.Split(string(readme), "```graphql\n")[1:] {
		doc := block[:strings.Index(block, "```")]
		if strings.HasPrefix(doc, "mutation") {
			examples = append(examples, doc)
		}
	}
	require.Len(t, examples, 3)
	e := newEnv(t)
	for _, doc := range examples {
		var out map[string]any
		e.mustDo(t, doc, &out)
		assert.NotEmpty(t, out)
		if tr, ok := out["customersTransfer"].(map[string]any); ok {
			assert.EqualValues(t, 2, tr["transferredCount"], "the transfer example succeeds: %v", tr)
		}
	}
}

// TestWriteChecksTheOwnerNow: a customer handed over outside the gateway
// minutes after a rep listed it is no longer the rep's to write, though
// the gateway remembers it from the list.
func TestWriteChecksTheOwnerNow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rep := e.as(auth.Caller{ID: "rep", Kind: auth.KindJWT, Permissions: []string{auth.PermWrite}, StaffIDs: []string{"zhoutao"}})
	var list struct {
		Customers struct {
			Edges []struct{ Node struct{ CustomerID string } }
		}
	}
	rep.mustDo(t, `{ customers(ownerId: "zhoutao", first: 20) { edges { node { customerId } } } }`, &list)
	moved := transferable(t, e, "zhoutao", 1)[0]

	outside := httptest.NewServer(e.sb)
	t.Cleanup(outside.Close)
	tc, err := tanma.NewClient(tanma.WithBaseURL(outside.URL), tanma.WithCredentials(sandbox.DefaultAppID, sandbox.DefaultAppKey))
	require.NoError(t, err)
	require.NoError(t, tc.TransferCustomers(t.Context(), tanma.TransferRequest{ToQwUserID: "zhaolei",
		Customers: []tanma.TransferCustomer{{ExternalID: *moved.ExternalUserID, QwUserID: "zhoutao"}}}))

	errs := rep.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": moved.CustomerID.String(),
		"fields": []map[string]any{{"key": "description", "text": "x"}}}))
	assert.Equal(t, []string{"NOT_FOUND"}, codes(errs), "now another rep's: as if missing")
	assert.Zero(t, e.sb.Calls(tanma.PathUpdateCustomer), "nothing sent for another rep's customer")
}

// TestReadsAfterAWriteShowIt: the customer a list page remembered and the
// rest of the page kept for the next `after` both show the change.
func TestReadsAfterAWriteShowIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const page = `query($after: String) { customers(ownerId: "chenjing", first: 10, after: $after) {
	  edges { node { customerId description } } pageInfo { endCursor } } }`
	type pageOut struct {
		Customers struct {
			Edges []struct {
				Node struct{ CustomerID, Description string }
			}
			PageInfo struct{ EndCursor string }
		}
	}
	var first pageOut
	e.mustDo(t, page, &first, client.Var("after", nil))
	// chenjing's 11th customer was read with the first page (first + 1)
	// and kept for the request that continues after it.
	eleventh := e.sb.Data().CustomersOf("chenjing")[10].CustomerID.String()
	shown := first.Customers.Edges[2].Node.CustomerID
	for _, id := range []string{shown, eleventh} {
		e.mustDo(t, updateMutation, nil, client.Var("in", map[string]any{"id": id,
			"fields": []map[string]any{{"key": "description", "text": "写后 " + id}}}))
	}
	var byID struct{ Customer struct{ Description string } }
	e.mustDo(t, `query($id: ID!) { customer(id: $id) { description } }`, &byID, client.Var("id", shown))
	assert.Equal(t, "写后 "+shown, byID.Customer.Description, "the remembered copy is not served")
	var next pageOut
	e.mustDo(t, page, &next, client.Var("after", first.Customers.PageInfo.EndCursor))
	require.NotEmpty(t, next.Customers.Edges)
	assert.Equal(t, eleventh, next.Customers.Edges[0].Node.CustomerID)
	assert.Equal(t, "写后 "+eleventh, next.Customers.Edges[0].Node.Description, "the kept rest of the page is not served")
}

// TestWriteWhoseAnswerIsLost: Tanma applied the write but answered 500:
// the caller hears that it may have happened, and nothing is resent.
func TestWriteWhoseAnswerIsLost(t *testing.T) {
	t.Parallel()
	lose := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != tanma.PathAddClue {
				h.ServeHTTP(w, r)
				return
			}
			h.ServeHTTP(httptest.NewRecorder(), r) // applied, answer dropped
			w.WriteHeader(http.StatusInternalServerError)
		})
	}
	e := newEnvWith(t, lose)
	before := len(e.sb.Data().Customers)
	errs := e.do(t, clueMutation, nil, client.Var("in", map[string]any{"name": "丢失的回答", "mobiles": []string{}}))
	assert.Equal(t, []string{"UPSTREAM_UNKNOWN_OUTCOME"}, codes(errs))
	assert.Len(t, e.sb.Data().Customers, before+1, "it did happen")
	assert.Equal(t, map[string]int64{tanma.PathAddClue: 1}, e.calls(writePaths...), "sent once")
}

// TestAmbiguousLabelsAreNotWritten: Tanma takes written fields and options
// by label, so a field or option whose label another shares is refused
// rather than risk writing the wrong one.
func TestAmbiguousLabelsAreNotWritten(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, rewriteAnswers(tanma.PathListFields, func(data map[string]any) {
		for _, f := range data["fields"].([]any) {
			def := f.(map[string]any)
			switch fmt.Sprint(def["id"]) {
			case "133170": // 行业 takes the label of the system field 描述
				def["name"] = "描述"
			case "91641": // 性别: option 2 takes option 1's label
				def["items"].([]any)[2].(map[string]any)["name"] = "男"
			}
		}
	}))
	target := seedTarget(t, e).CustomerID.String()
	for _, f := range []map[string]any{
		{"key": "description", "text": "x"},
		{"key": "133170", "text": "x"},
		{"key": "gender", "optionId": "1"},
	} {
		errs := e.do(t, updateMutation, nil, client.Var("in", map[string]any{"id": target, "fields": []map[string]any{f}}))
		require.Len(t, errs, 1, "%v", f)
		assert.Equal(t, "BAD_USER_INPUT", errs[0].Extensions["code"])
		assert.Contains(t, errs[0].Message, "by label")
	}
	e.mustDo(t, updateMutation, nil, client.Var("in", map[string]any{"id": target, "fields": []map[string]any{{"key": "gender", "optionId": "0"}}}))
	assert.Equal(t, map[string]int64{tanma.PathUpdateCustomer: 1}, e.calls(writePaths...), "only the unambiguous write was sent")
}
