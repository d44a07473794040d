package model_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/tanma"
)

func str(s string) *string { return &s }

// defs is a small definition set: a select with options, a multi select, a
// system field without outerField (found by its label), and custom fields
// keyed by id.
func defs(t *testing.T) *refdata.FieldSet {
	t.Helper()
	var d []tanma.FieldDef
	require.NoError(t, json.Unmarshal([]byte(`[
	  {"id":436,"name":"性别","type":2,"outerField":null,"items":[{"id":0,"name":"其它"},{"id":1,"name":"男"},{"id":2,"name":"女"}],"stable":true},
	  {"id":91642,"name":"客户阶段","type":2,"outerField":"customer_stage","items":[{"id":396823724189760,"name":"初步接触"}],"stable":true},
	  {"id":133175,"name":"感兴趣的产品","type":6,"outerField":null,"items":[{"id":"133175001","name":"基础版"},{"id":133175002,"name":"专业版"}],"stable":false},
	  {"id":133172,"name":"首次到店日期","type":3,"outerField":null,"stable":false},
	  {"id":133173,"name":"","type":4,"outerField":null,"stable":false},
	  {"id":133174,"name":"","type":5,"outerField":null,"stable":false},
	  {"id":133176,"name":"","type":7,"outerField":null,"stable":false},
	  {"id":133177,"name":"","type":99,"outerField":null,"stable":false}
	]`), &d))
	return refdata.NewFieldSet(d)
}

type typed struct {
	typename string
	kind     model.FieldKind
	label    string
	problem  *model.FieldValueProblem
	value    any // the kind's typed value
}

func view(f model.CustomerField) typed {
	out := typed{kind: f.GetKind(), label: f.GetLabel(), problem: f.GetProblem()}
	switch v := f.(type) {
	case *model.TextCustomerField:
		out.typename, out.value = "Text", v.Value
	case *model.TextAreaCustomerField:
		out.typename, out.value = "TextArea", v.Value
	case *model.SelectCustomerField:
		out.typename, out.value = "Select", v.Option
	case *model.MultiSelectCustomerField:
		out.typename, out.value = "MultiSelect", v.Options
	case *model.DateCustomerField:
		out.typename = "Date"
		if v.Date != nil {
			out.value = v.Date.String()
		}
	case *model.DateTimeCustomerField:
		out.typename = "DateTime"
		if v.DateTime != nil {
			out.value = v.DateTime.Format("2006-01-02T15:04:05Z07:00")
		}
	case *model.NumberCustomerField:
		out.typename, out.value = "Number", v.Number
	case *model.PhoneCustomerField:
		out.typename, out.value = "Phone", v.Phones
	case *model.UnknownCustomerField:
		out.typename = "Unknown"
	}
	return out
}

func p(x model.FieldValueProblem) *model.FieldValueProblem { return &x }
func f64(x float64) *float64                               { return &x }
func opt(id, label string) *model.SelectOption {
	o := &model.SelectOption{ID: id}
	if label != "" {
		o.Label = &label
	}
	return o
}

func TestTypeFields(t *testing.T) {
	t.Parallel()
	set := defs(t)
	cases := []struct {
		name  string
		field tanma.Field
		want  typed
	}{
		{"text", tanma.Field{Field: "corp_name", Type: 1, ValueAsText: str("华信科技")}, typed{"Text", model.FieldKindText, "公司名称", nil, str("华信科技")}},
		{"blank text is null", tanma.Field{Field: "address", Type: 1, ValueAsText: str("  ")}, typed{"Text", model.FieldKindText, "地址", nil, (*string)(nil)}},
		{"null text", tanma.Field{Field: "description", Type: 1}, typed{"Text", model.FieldKindText, "描述", nil, (*string)(nil)}},
		{"textarea", tanma.Field{Field: "133174", Type: 5, ValueAsText: str("a\nb")}, typed{"TextArea", model.FieldKindTextarea, "133174", nil, str("a\nb")}},
		{"select by label-matched system def", tanma.Field{Field: "gender", Type: 2, ValueAsText: str("1")}, typed{"Select", model.FieldKindSelect, "性别", nil, opt("1", "男")}},
		{"select option id 0", tanma.Field{Field: "gender", Type: 2, ValueAsText: str("0")}, typed{"Select", model.FieldKindSelect, "性别", nil, opt("0", "其它")}},
		{"select with big option id", tanma.Field{Field: "customer_stage", Type: 2, ValueAsText: str("396823724189760")}, typed{"Select", model.FieldKindSelect, "客户阶段", nil, opt("396823724189760", "初步接触")}},
		{"select unknown option", tanma.Field{Field: "customer_stage", Type: 2, ValueAsText: str("42")}, typed{"Select", model.FieldKindSelect, "客户阶段", p(model.FieldValueProblemUnknownOption), opt("42", "")}},
		{"select without definition: nothing labels it", tanma.Field{Field: "customer_source", Type: 2, ValueAsText: str("4")}, typed{"Select", model.FieldKindSelect, "客户来源", p(model.FieldValueProblemUnknownOption), opt("4", "")}},
		{"multi select JSON array", tanma.Field{Field: "133175", Type: 6, ValueAsText: str(`["133175002","133175001"]`)}, typed{"MultiSelect", model.FieldKindMultiSelect, "感兴趣的产品", nil, []model.SelectOption{*opt("133175002", "专业版"), *opt("133175001", "基础版")}}},
		{"multi select numbers", tanma.Field{Field: "133175", Type: 6, ValueAsText: str(`[133175001]`)}, typed{"MultiSelect", model.FieldKindMultiSelect, "感兴趣的产品", nil, []model.SelectOption{*opt("133175001", "基础版")}}},
		{"multi select comma list", tanma.Field{Field: "133175", Type: 6, ValueAsText: str("133175001, 133175002")}, typed{"MultiSelect", model.FieldKindMultiSelect, "感兴趣的产品", nil, []model.SelectOption{*opt("133175001", "基础版"), *opt("133175002", "专业版")}}},
		{"multi select malformed", tanma.Field{Field: "133175", Type: 6, ValueAsText: str(`[1,`)}, typed{"MultiSelect", model.FieldKindMultiSelect, "感兴趣的产品", p(model.FieldValueProblemMalformed), []model.SelectOption{}}},
		{"multi select unknown option", tanma.Field{Field: "133175", Type: 6, ValueAsText: str(`["9"]`)}, typed{"MultiSelect", model.FieldKindMultiSelect, "感兴趣的产品", p(model.FieldValueProblemUnknownOption), []model.SelectOption{*opt("9", "")}}},
		{"date", tanma.Field{Field: "133172", Type: 3, ValueAsText: str("2021-03-06")}, typed{"Date", model.FieldKindDate, "首次到店日期", nil, "2021-03-06"}},
		{"date with a time", tanma.Field{Field: "birthday", Type: 3, ValueAsText: str("1990-05-17 00:00:00")}, typed{"Date", model.FieldKindDate, "生日", nil, "1990-05-17"}},
		{"date malformed", tanma.Field{Field: "birthday", Type: 3, ValueAsText: str("17/05/1990")}, typed{"Date", model.FieldKindDate, "生日", p(model.FieldValueProblemMalformed), nil}},
		{"date-time", tanma.Field{Field: "133176", Type: 7, ValueAsText: str("2021-03-06 16:22:17")}, typed{"DateTime", model.FieldKindDateTime, "133176", nil, "2021-03-06T16:22:17+08:00"}},
		{"date-time as a date", tanma.Field{Field: "133176", Type: 7, ValueAsText: str("2021-03-06")}, typed{"DateTime", model.FieldKindDateTime, "133176", nil, "2021-03-06T00:00:00+08:00"}},
		{"date-time malformed", tanma.Field{Field: "133176", Type: 7, ValueAsText: str("yesterday")}, typed{"DateTime", model.FieldKindDateTime, "133176", p(model.FieldValueProblemMalformed), nil}},
		{"number", tanma.Field{Field: "133173", Type: 4, ValueAsText: str("123456.78")}, typed{"Number", model.FieldKindNumber, "133173", nil, f64(123456.78)}},
		{"number malformed", tanma.Field{Field: "133173", Type: 4, ValueAsText: str("12万")}, typed{"Number", model.FieldKindNumber, "133173", p(model.FieldValueProblemMalformed), (*float64)(nil)}},
		{"number NaN", tanma.Field{Field: "133173", Type: 4, ValueAsText: str("NaN")}, typed{"Number", model.FieldKindNumber, "133173", p(model.FieldValueProblemMalformed), (*float64)(nil)}},
		{"phone JSON array", tanma.Field{Field: "mobile", Type: 8, ValueAsText: str(`["110110"," 18910515284 ",""]`)}, typed{"Phone", model.FieldKindPhone, "电话", nil, []string{"110110", "18910515284"}}},
		{"phone array of numbers: the digits Tanma meant", tanma.Field{Field: "mobile", Type: 8, ValueAsText: str(`[13800000000, 8613900000001]`)}, typed{"Phone", model.FieldKindPhone, "电话", nil, []string{"13800000000", "8613900000001"}}},
		{"phone empty array", tanma.Field{Field: "mobile", Type: 8, ValueAsText: str(`[]`)}, typed{"Phone", model.FieldKindPhone, "电话", nil, []string{}}},
		{"phone bare number", tanma.Field{Field: "mobile", Type: 8, ValueAsText: str("13812345678")}, typed{"Phone", model.FieldKindPhone, "电话", p(model.FieldValueProblemMalformed), []string{}}},
		{"phone in exponent form", tanma.Field{Field: "mobile", Type: 8, ValueAsText: str(`[1.38e10]`)}, typed{"Phone", model.FieldKindPhone, "电话", p(model.FieldValueProblemMalformed), []string{}}},
		{"number in hex", tanma.Field{Field: "133173", Type: 4, ValueAsText: str("0x1p4")}, typed{"Number", model.FieldKindNumber, "133173", p(model.FieldValueProblemMalformed), (*float64)(nil)}},
		{"date with an impossible time", tanma.Field{Field: "133172", Type: 3, ValueAsText: str("2024-01-01 25:99:99")}, typed{"Date", model.FieldKindDate, "首次到店日期", p(model.FieldValueProblemMalformed), nil}},
		{"unknown type code", tanma.Field{Field: "133177", Type: 99, ValueAsText: str("?")}, typed{"Unknown", model.FieldKindUnknown, "133177", p(model.FieldValueProblemUnknownType), nil}},
		{"a field no definition names", tanma.Field{Field: "133178", Type: 1, ValueAsText: str("?")}, typed{"Unknown", model.FieldKindUnknown, "133178", p(model.FieldValueProblemUndefinedField), nil}},
		{"no type code: the definition's", tanma.Field{Field: "133172", ValueAsText: str("2021-03-06")}, typed{"Date", model.FieldKindDate, "首次到店日期", nil, "2021-03-06"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var reported []string
			got := model.TypeFields([]tanma.Field{tc.field}, set, func(key string, pr model.FieldValueProblem) {
				reported = append(reported, key+":"+string(pr))
			})
			require.Len(t, got, 1)
			assert.Equal(t, tc.want, view(got[0]))
			assert.Equal(t, tc.field.Field, got[0].GetKey())
			assert.Equal(t, tc.field.ValueAsText == nil || *tc.field.ValueAsText == "  ", got[0].GetText() == nil)
			if tc.want.problem != nil {
				assert.Equal(t, []string{tc.field.Field + ":" + string(*tc.want.problem)}, reported)
			} else {
				assert.Empty(t, reported)
			}
		})
	}
}

// TestTypeFieldsWithoutDefinitions: a nil set (definitions unavailable)
// still types every field by its own code.
func TestTypeFieldsWithoutDefinitions(t *testing.T) {
	t.Parallel()
	got := model.TypeFields([]tanma.Field{
		{Field: "mobile", Type: 8, ValueAsText: str(`["1"]`)},
		{Field: "customer_stage", Type: 2, ValueAsText: str("7")},
	}, nil, func(string, model.FieldValueProblem) { t.Error("nothing to report") })
	require.Len(t, got, 2)
	assert.Equal(t, []string{"1"}, got[0].(*model.PhoneCustomerField).Phones)
	assert.Equal(t, "客户阶段", got[1].GetLabel())
	assert.Nil(t, got[1].(*model.SelectCustomerField).Option.Label)
}

func FuzzTypeFields(f *testing.F) {
	for _, s := range []string{"", "[]", `["a"]`, "1.5", "2021-01-01", "2021-01-01 10:00:00", "[1,", "x,y", "\x00"} {
		for _, code := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} {
			f.Add(code, s)
		}
	}
	set := refdata.NewFieldSet(nil)
	f.Fuzz(func(t *testing.T, code int, text string) {
		var reported int
		got := model.TypeFields([]tanma.Field{{Field: "k", Type: code, ValueAsText: &text}}, set, func(string, model.FieldValueProblem) { reported++ })
		if len(got) != 1 || got[0].GetKey() != "k" {
			t.Fatalf("one field in, %d out", len(got))
		}
		f := got[0]
		if (f.GetProblem() != nil) != (reported == 1) {
			t.Fatalf("problem %v but %d reports", f.GetProblem(), reported)
		}
		if f.GetText() != nil && *f.GetText() != text {
			t.Fatalf("text %q changed to %q", text, *f.GetText())
		}
		if f.GetProblem() == nil || *f.GetProblem() != model.FieldValueProblemMalformed {
			return
		}
		// A malformed value has no typed value.
		switch v := f.(type) {
		case *model.DateCustomerField:
			if v.Date != nil {
				t.Fatalf("malformed date %q typed as %v", text, v.Date)
			}
		case *model.DateTimeCustomerField:
			if v.DateTime != nil {
				t.Fatalf("malformed date-time %q typed as %v", text, v.DateTime)
			}
		case *model.NumberCustomerField:
			if v.Number != nil {
				t.Fatalf("malformed number %q typed as %v", text, *v.Number)
			}
		}
	})
}

// TestOptionLabelsAreTheDefinitions: an option's label is read from its
// definition without a copy (labelling allocates nothing); an id the
// definition does not list has none.
func TestOptionLabelsAreTheDefinitions(t *testing.T) {
	set := defs(t)
	def, ok := set.ByKey("133175")
	require.True(t, ok)
	o, known := model.Option(def, "133175002")
	require.True(t, known)
	assert.Equal(t, "专业版", *o.Label)
	o, known = model.Option(def, "133175009")
	assert.False(t, known)
	assert.Nil(t, o.Label)
	assert.Zero(t, testing.AllocsPerRun(100, func() { o, _ = model.Option(def, "133175001") }))
	assert.Equal(t, "基础版", *o.Label)
}
