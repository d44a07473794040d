package graph_test

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestCustomerFieldsListsTheDefinitions: every sandbox definition, with
// its key, kind and options.
func TestCustomerFieldsListsTheDefinitions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		CustomerFields []struct {
			FieldID, Key, Label, Kind string
			TypeCode                  int
			System                    bool
			Options                   []struct{ ID, Label string }
		}
	}
	e.mustDo(t, `{ customerFields { fieldId key label kind typeCode system options { id label } } }`, &r)
	defs := e.sb.Data().Fields
	require.Len(t, r.CustomerFields, len(defs))
	kinds := map[int]string{1: "TEXT", 2: "SELECT", 3: "DATE", 4: "NUMBER", 5: "TEXTAREA", 6: "MULTI_SELECT", 7: "DATE_TIME", 8: "PHONE"}
	for i, d := range defs {
		got := r.CustomerFields[i]
		assert.Equal(t, d.ID.String(), got.FieldID)
		assert.Equal(t, d.Key, got.Key)
		assert.Equal(t, d.Name, got.Label)
		assert.Equal(t, kinds[d.Type], got.Kind)
		assert.Equal(t, d.System, got.System)
		require.Len(t, got.Options, len(d.Options), d.Key)
		for j, o := range d.Options {
			assert.Equal(t, o.ID, got.Options[j].ID)
			assert.Equal(t, o.Name, got.Options[j].Label)
		}
	}
}

// TestEveryFieldIsTyped walks a page of customers and checks each field
// against the sandbox's raw record: the implementation matches the
// definition's kind, select labels come from the definition, and no
// sandbox value is reported as a problem.
func TestEveryFieldIsTyped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					CustomerID string
					Fields     []struct {
						Typename  string `json:"__typename"`
						Key, Kind string
						Label     string
						Text      *string
						Problem   *string
						Option    *struct{ ID, Label string }
						Options   []struct{ ID, Label string }
						Phones    []string
						Date      *string
						DateTime  *string
						Number    *float64
						Value     *string
					}
				}
			}
		}
	}
	e.mustDo(t, `query($first: Int) { customers(ownerId: "lina", first: $first) { edges { node { customerId fields {
		__typename key kind label text problem
		... on TextCustomerField { value } ... on TextAreaCustomerField { value }
		... on SelectCustomerField { option { id label } } ... on MultiSelectCustomerField { options { id label } }
		... on DateCustomerField { date } ... on DateTimeCustomerField { dateTime }
		... on NumberCustomerField { number } ... on PhoneCustomerField { phones } } } } } }`, &r, client.Var("first", 100))
	data := e.sb.Data()
	typenames := map[int]string{1: "TextCustomerField", 2: "SelectCustomerField", 3: "DateCustomerField", 4: "NumberCustomerField",
		5: "TextAreaCustomerField", 6: "MultiSelectCustomerField", 7: "DateTimeCustomerField", 8: "PhoneCustomerField"}
	seen := map[string]int{}
	for i, edge := range r.Customers.Edges {
		raw := data.CustomersOf("lina")[i]
		require.Equal(t, raw.CustomerID.String(), edge.Node.CustomerID)
		require.Len(t, edge.Node.Fields, len(raw.Fields))
		for j, f := range edge.Node.Fields {
			rf := raw.Fields[j]
			assert.Equal(t, rf.Field, f.Key)
			assert.Equal(t, typenames[rf.Type], f.Typename, rf.Field)
			if rf.ValueAsText != nil && sandbox.Malformed(*rf.ValueAsText) {
				// Stored malformed on purpose: the text stays, the typed value
				// is null or empty, and the problem says why.
				require.NotNil(t, f.Problem, "%s of %s", rf.Field, raw.CustomerID)
				assert.Contains(t, []string{"MALFORMED", "UNKNOWN_OPTION"}, *f.Problem)
				assert.Equal(t, rf.ValueAsText, f.Text)
				assert.True(t, f.Date == nil && f.DateTime == nil && f.Number == nil, "no typed value from %q", *rf.ValueAsText)
				seen["malformed"]++
				continue
			}
			assert.Nil(t, f.Problem, "%s of %s", rf.Field, raw.CustomerID)
			if rf.ValueAsText == nil {
				continue
			}
			seen[f.Typename]++
			switch f.Typename {
			case "SelectCustomerField":
				require.NotNil(t, f.Option)
				assert.Equal(t, *rf.ValueAsText, f.Option.ID)
				assert.NotEmpty(t, f.Option.Label)
			case "MultiSelectCustomerField":
				assert.NotEmpty(t, f.Options)
				for _, o := range f.Options {
					assert.NotEmpty(t, o.Label)
				}
			case "DateCustomerField":
				assert.Regexp(t, `^\d{4}-\d\d-\d\d$`, *f.Date)
			case "DateTimeCustomerField":
				assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$`, *f.DateTime)
			case "NumberCustomerField":
				assert.NotNil(t, f.Number)
			case "TextCustomerField", "TextAreaCustomerField":
				assert.Equal(t, rf.ValueAsText, f.Value)
			}
		}
	}
	for _, typename := range typenames {
		assert.Positive(t, seen[typename], "a page of 100 customers shows a filled %s", typename)
	}
	assert.Positive(t, seen["malformed"], "a page of 100 customers shows a malformed value")
}

// TestUntypedValuesAreLoggedOnceWithoutTheValue: a value that does not
// parse surfaces as text with its problem, and the gateway logs, once per
// field and problem however often it is seen, that it could not type it,
// never the value itself.
func TestUntypedValuesAreLoggedOnceWithoutTheValue(t *testing.T) {
	t.Parallel()
	const bad = "1987-13-45"
	log, logs := logtest.JSON(slog.LevelDebug)
	e := newEnvLogged(t, rewriteAnswers(tanma.PathListByQwUserID, func(data map[string]any) {
		items, _ := data["list"].([]any)
		for _, it := range items {
			fields, _ := it.(map[string]any)["fields"].([]any)
			for _, f := range fields {
				if f := f.(map[string]any); f["field"] == "birthday" {
					f["valueAsText"] = bad
				}
			}
		}
	}), log)
	var r struct {
		Customers struct {
			Edges []struct{ Node struct{ Birthday *string } }
		}
	}
	q := `{ customers(ownerId: "lina", first: 5) { edges { node { birthday fields { key text problem } } } } }`
	for range 2 {
		errs := e.do(t, q, &r)
		require.Len(t, r.Customers.Edges, 5)
		for i, edge := range r.Customers.Edges {
			assert.Nil(t, edge.Node.Birthday, "a date that does not parse is no date")
			assert.Equal(t, []any{"customers", "edges", float64(i), "node", "birthday"}, errs[i].Path, "and an error says so at its path")
			assert.Equal(t, "UPSTREAM_INVALID", errs[i].Extensions["code"])
			assert.NotContains(t, errs[i].Message, bad)
		}
		require.Len(t, errs, 5)
	}
	var fr struct {
		Customers struct {
			Edges []struct {
				Node struct {
					Fields []struct {
						Key     string
						Text    *string
						Problem *string
					}
				}
			}
		}
	}
	_ = e.do(t, q, &fr) // the birthday errors, as above
	var seen bool
	for _, f := range fr.Customers.Edges[0].Node.Fields {
		if f.Key == "birthday" {
			seen = true
			require.NotNil(t, f.Text)
			assert.Equal(t, bad, *f.Text, "the text is kept")
			require.NotNil(t, f.Problem)
			assert.Equal(t, "MALFORMED", *f.Problem)
		}
	}
	require.True(t, seen)
	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "customer field value not typed"), out)
	assert.Contains(t, out, `"field":"birthday"`)
	assert.NotContains(t, out, bad, "the value is never logged")
}

// TestSystemFieldsWhoseStableFlagIsFalse: Tanma sends 生日 and 购买意向
// with "stable": false and no outerField (as the sandbox does); they are
// still the system fields birthday and purchase_intention: labelled,
// listed as system fields and written by their keys.
func TestSystemFieldsWhoseStableFlagIsFalse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					PurchaseIntention *struct{ Label *string }
				}
			}
		}
		CustomerFields []struct {
			Key    string
			System bool
		}
	}
	e.mustDo(t, `{ customers(ownerId: "wangfang", first: 30) { edges { node { purchaseIntention { label } } } }
		customerFields { key system } }`, &r)
	labelled := 0
	for _, edge := range r.Customers.Edges {
		if pi := edge.Node.PurchaseIntention; pi != nil {
			require.NotNil(t, pi.Label)
			labelled++
		}
	}
	assert.Positive(t, labelled)
	system := map[string]bool{}
	for _, f := range r.CustomerFields {
		system[f.Key] = f.System
	}
	assert.True(t, system[tanma.KeyBirthday])
	assert.True(t, system[tanma.KeyPurchaseIntention])
}

// TestSilentFailuresHaveASignal: a time that does not parse (null) and a
// tag id the library does not know (left out) are each reported in the
// answer, an error at the path of the field that would show them, and
// logged, once per property and problem, without the value.
func TestSilentFailuresHaveASignal(t *testing.T) {
	t.Parallel()
	log, logs := logtest.JSON(slog.LevelDebug)
	e := newEnvLogged(t, rewriteAnswers(tanma.PathListByQwUserID, func(data map[string]any) {
		items, _ := data["list"].([]any)
		first := items[0].(map[string]any)
		first["createTime"] = "2021-13-45 99:00:00"
		first["tagIds"] = []any{"etNotInTheLibrary0000000000000001"}
	}), log)
	var r struct {
		Customers struct {
			Edges []struct {
				Node struct {
					CreatedAt *string
					Tags      []struct{ Name string }
				}
			}
		}
	}
	errs := e.do(t, `{ customers(ownerId: "lina", first: 1) { edges { node { createdAt tags { name } } } } }`, &r)
	require.Len(t, r.Customers.Edges, 1)
	require.Len(t, errs, 2)
	assert.Equal(t, []any{"customers", "edges", float64(0), "node", "createdAt"}, errs[0].Path)
	assert.Equal(t, []any{"customers", "edges", float64(0), "node", "tags"}, errs[1].Path)
	assert.Equal(t, []string{"UPSTREAM_INVALID", "UPSTREAM_INVALID"}, codes(errs))
	assert.Nil(t, r.Customers.Edges[0].Node.CreatedAt)
	assert.Empty(t, r.Customers.Edges[0].Node.Tags)
	out := logs.String()
	assert.Contains(t, out, `"field":"createTime","problem":"MALFORMED"`)
	assert.Contains(t, out, `"field":"tagIds","problem":"UNKNOWN_OPTION"`)
	assert.NotContains(t, out, "2021-13-45")
	assert.NotContains(t, out, "etNotInTheLibrary")
}
