package sandbox_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestListFieldsShape checks every definition's keys, their order and their
// JSON types: items only for single and multi selects, option ids numbers.
func TestListFieldsShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	data := epObject(t, "data", epOrderedData(t, sb, epPathFields, `{}`), "fields")
	defs := epArray(t, "data.fields", epMember(data, "fields"))
	if len(defs) != len(sb.Data().Fields) {
		t.Fatalf("%d definitions, want %d", len(defs), len(sb.Data().Fields))
	}
	withItems := []string{"id", "name", "type", "outerField", "items", "stable", "customerImportRequired"}
	without := []string{"id", "name", "type", "outerField", "stable", "customerImportRequired"}
	for i, v := range defs {
		what := fmt.Sprintf("fields[%d]", i)
		obj, _ := v.(jsonObject)
		typ := epInteger(t, what+".type", epMember(obj, "type"))
		keys := without
		if typ == "2" || typ == "6" {
			keys = withItems
		}
		obj = epObject(t, what, v, keys...)
		epInteger(t, what+".id", epMember(obj, "id"))
		epString(t, what+".name", epMember(obj, "name"))
		epBool(t, what+".stable", epMember(obj, "stable"))
		epBool(t, what+".customerImportRequired", epMember(obj, "customerImportRequired"))
		if outer := epMember(obj, "outerField"); outer != nil {
			t.Errorf("%s: outerField %#v, want null as in Tanma's example", what, outer)
		}
		if len(keys) == len(withItems) {
			items := epArray(t, what+".items", epMember(obj, "items"))
			if len(items) == 0 {
				t.Errorf("%s: a select without options", what)
			}
			for j, it := range items {
				io := epObject(t, fmt.Sprintf("%s.items[%d]", what, j), it, "id", "name")
				epInteger(t, fmt.Sprintf("%s.items[%d].id", what, j), epMember(io, "id"))
				epString(t, fmt.Sprintf("%s.items[%d].name", what, j), epMember(io, "name"))
			}
		}
	}
}

// TestListFieldsDocumented compares definitions with the documented example
// (id aside: the sandbox's gender field has its own id) and the sandbox's
// choices for outerField, byte for byte.
func TestListFieldsDocumented(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var data struct {
		Fields []json.RawMessage `json:"fields"`
	}
	epData(t, sb, epPathFields, `{}`, &data)
	byID := map[string]string{}
	for _, raw := range data.Fields {
		var head struct {
			ID json.Number `json:"id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			t.Fatal(err)
		}
		byID[head.ID.String()] = string(raw)
	}
	tests := []struct {
		name string
		id   string
		want string
	}{
		{name: "gender as documented", id: "91641",
			want: `{"id":91641,"name":"性别","type":2,"outerField":null,"items":[{"id":0,"name":"其它"},{"id":1,"name":"男"},{"id":2,"name":"女"}],"stable":true,"customerImportRequired":false}`},
		{name: "stage option ids are the values customers carry", id: "91642",
			want: `{"id":91642,"name":"客户阶段","type":2,"outerField":null,"items":[{"id":396823724189760,"name":"初步接触"},{"id":398792098304064,"name":"需求确认"},{"id":398792098304065,"name":"方案报价"},{"id":398792098304066,"name":"商务谈判"},{"id":398792098304067,"name":"赢单"},{"id":398792098304068,"name":"输单"}],"stable":true,"customerImportRequired":false}`},
		{name: "source option 4", id: "91630",
			want: `{"id":91630,"name":"客户来源","type":2,"outerField":null,"items":[{"id":1,"name":"广告投放"},{"id":2,"name":"线下活动"},{"id":3,"name":"老客户转介绍"},{"id":4,"name":"企业微信添加"},{"id":5,"name":"官网咨询"},{"id":6,"name":"电话营销"}],"stable":true,"customerImportRequired":false}`},
		{name: "phone: no items", id: "91632",
			want: `{"id":91632,"name":"电话","type":8,"outerField":null,"stable":true,"customerImportRequired":false}`},
		{name: "name: required on import", id: "91636",
			want: `{"id":91636,"name":"姓名","type":1,"outerField":null,"stable":true,"customerImportRequired":true}`},
		{name: "custom text: outerField null", id: "133170",
			want: `{"id":133170,"name":"行业","type":1,"outerField":null,"stable":false,"customerImportRequired":false}`},
		{name: "custom multi select", id: "133175",
			want: `{"id":133175,"name":"感兴趣的产品","type":6,"outerField":null,"items":[{"id":133175001,"name":"基础版"},{"id":133175002,"name":"专业版"},{"id":133175003,"name":"企业版"},{"id":133175004,"name":"增值服务"}],"stable":false,"customerImportRequired":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := byID[tt.id]; got != tt.want {
				t.Errorf("definition %s\n got %s\nwant %s", tt.id, got, tt.want)
			}
		})
	}
}

// TestListFieldsBodies checks what list-fields accepts: {} as documented,
// no body, any object; malformed JSON is a validation failure, never a 500.
func TestListFieldsBodies(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
		ok   bool
	}{
		{name: "empty object", body: `{}`, ok: true},
		{name: "no body", body: ``, ok: true},
		{name: "unknown members", body: `{"x":1}`, ok: true},
		{name: "malformed", body: `{`, ok: false},
		{name: "an array", body: `[]`, ok: false},
		{name: "a string", body: `"fields"`, ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := post(sb, epPathFields, tt.body)
			if tt.ok {
				okData(t, w)
			} else {
				validationFailure(t, w)
			}
		})
	}
}

// TestListFieldsMatchCustomers checks that every key of every customer's
// fields array names a definition (outerField for system fields, the id as
// text for custom ones) with the same type, and that every select value is
// the decimal text of one of the definition's item ids.
func TestListFieldsMatchCustomers(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var data struct {
		Fields []struct {
			ID         json.Number `json:"id"`
			Type       int         `json:"type"`
			OuterField *string     `json:"outerField"`
			Items      []struct {
				ID json.Number `json:"id"`
			} `json:"items"`
		} `json:"fields"`
	}
	epData(t, sb, epPathFields, `{}`, &data)
	type def struct {
		typ   int
		items map[string]bool
	}
	byKey := map[string]def{}
	keys := map[string]string{} // definition id → the key customers' fields arrays use
	for _, f := range sb.Data().Fields {
		keys[f.ID.String()] = f.Key
	}
	for _, f := range data.Fields {
		key := keys[f.ID.String()]
		d := def{typ: f.Type, items: map[string]bool{}}
		for _, it := range f.Items {
			d.items[it.ID.String()] = true
		}
		byKey[key] = d
	}
	var bad []string
	for _, c := range sb.Data().Customers {
		for _, f := range c.Fields {
			d, ok := byKey[f.Field]
			switch {
			case !ok:
				bad = append(bad, fmt.Sprintf("customer %d: field %q has no definition", c.CustomerID, f.Field))
			case d.typ != f.Type:
				bad = append(bad, fmt.Sprintf("customer %d: field %q has type %d, definition %d", c.CustomerID, f.Field, f.Type, d.typ))
			case f.ValueAsText == nil, sandbox.Malformed(*f.ValueAsText):
			case f.Type == tanma.FieldSelect && !d.items[*f.ValueAsText]:
				bad = append(bad, fmt.Sprintf("customer %d: %s = %q, not an item id", c.CustomerID, f.Field, *f.ValueAsText))
			case f.Type == tanma.FieldMultiSelect:
				var ids []string
				if err := json.Unmarshal([]byte(*f.ValueAsText), &ids); err != nil {
					bad = append(bad, fmt.Sprintf("customer %d: %s = %q, not a JSON array", c.CustomerID, f.Field, *f.ValueAsText))
				}
				for _, id := range ids {
					if !d.items[id] {
						bad = append(bad, fmt.Sprintf("customer %d: %s holds %q, not an item id", c.CustomerID, f.Field, id))
					}
				}
			}
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d mismatches, the first: %s", len(bad), strings.Join(bad[:min(len(bad), 10)], "; "))
	}
}
