package sandbox_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// seedIDs are the customers copied from the seed page: they carry exactly the
// page's ten system fields (that tenant had no custom fields) and the page's
// values (a numeric name "14635"), so the properties of generated customers
// are checked on them only where the seed page agrees.
var seedIDs = []tanma.ID{398604120668224, 398923388842048}

var (
	dateValue   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}:[0-9]{2})?$`)
	numberValue = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
	mobileValue = regexp.MustCompile(`^1[0-9]{10}$|^110110$`)
)

// TestDatasetSize checks the shapes the other tests rely on.
func TestDatasetSize(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	counts := map[string]int{}
	for _, st := range d.Staff {
		counts[st.QwUserID] = len(d.CustomersOf(st.QwUserID))
	}
	var over1000, none, multiple100 bool
	for _, n := range counts {
		over1000 = over1000 || n > 1000
		none = none || n == 0
		multiple100 = multiple100 || (n > 0 && n%100 == 0)
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{name: "at least 20 staff", ok: len(d.Staff) >= 20},
		{name: "at least 5000 customers", ok: len(d.Customers) >= 5000},
		{name: "an owner with over 1000 customers", ok: over1000},
		{name: "an owner with none", ok: none},
		{name: "an owner with a multiple of 100", ok: multiple100},
		{name: "dowen has 1234", ok: counts["dowen"] == 1234},
		{name: "zhaolei has none", ok: counts["zhaolei"] == 0},
		{name: "chenjing has 200", ok: counts["chenjing"] == 200},
		{name: "majun has 100", ok: counts["majun"] == 100},
		{name: "zhoutao has 99", ok: counts["zhoutao"] == 99},
		{name: "liuyang has 101", ok: counts["liuyang"] == 101},
		{name: "the big id's owner has exactly it", ok: counts[sandbox.BigIDOwner] == 1 &&
			d.CustomersOf(sandbox.BigIDOwner)[0].CustomerID == sandbox.BigID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.ok {
				t.Errorf("%d staff, %d customers, counts %v", len(d.Staff), len(d.Customers), counts)
			}
		})
	}
}

// TestDatasetConsistency checks that staff, customers, field definitions and
// the tag library agree with each other.
func TestDatasetConsistency(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	staff := map[string]bool{}
	sales := map[tanma.ID]bool{}
	for _, st := range d.Staff {
		if staff[st.QwUserID] || sales[st.SalesID] {
			t.Errorf("staff member %q or salesId %d twice", st.QwUserID, st.SalesID)
		}
		staff[st.QwUserID], sales[st.SalesID] = true, true
		if !hasHan(st.Name) {
			t.Errorf("staff member %q has name %q", st.QwUserID, st.Name)
		}
		if len(st.Departments) == 0 {
			t.Errorf("staff member %q has no department", st.QwUserID)
		}
	}
	tags := map[string]bool{}
	for _, g := range d.TagGroups {
		for _, tag := range g.Tags {
			if tags[tag.QwTagID] {
				t.Errorf("qwTagId %q twice in the tag library", tag.QwTagID)
			}
			tags[tag.QwTagID] = true
		}
	}
	ids := map[tanma.ID]bool{}
	owned := 0
	for i, c := range d.Customers {
		if ids[c.CustomerID] {
			t.Errorf("customer id %d twice", c.CustomerID)
		}
		ids[c.CustomerID] = true
		if c.CustomerID <= 0 {
			t.Errorf("customer id %d", c.CustomerID)
		}
		if c.QwUserID == nil || !staff[*c.QwUserID] {
			t.Errorf("customer %d has owner %v, not in the staff directory", c.CustomerID, c.QwUserID)
		}
		for _, tag := range c.TagIDs {
			if !tags[tag] {
				t.Errorf("customer %d has tag %q, not in the tag library", c.CustomerID, tag)
			}
		}
		if got, ok := d.Customer(c.CustomerID); !ok || !reflect.DeepEqual(got, c) {
			t.Errorf("Customer(%d) does not return customer %d", c.CustomerID, i)
		}
		if i > 0 && !before(d.Customers[i-1], c) {
			t.Errorf("customers %d and %d out of upstream order (createTime, then id)", d.Customers[i-1].CustomerID, c.CustomerID)
		}
		checkTimes(t, c)
	}
	for _, st := range d.Staff {
		owned += len(d.CustomersOf(st.QwUserID))
	}
	if owned != len(d.Customers) {
		t.Errorf("staff own %d customers, dataset has %d", owned, len(d.Customers))
	}
	if _, ok := d.Customer(1); ok {
		t.Error("Customer(1) found a customer")
	}
}

func before(a, b tanma.Customer) bool {
	if *a.CreateTime != *b.CreateTime {
		return *a.CreateTime < *b.CreateTime
	}
	return a.CustomerID < b.CustomerID
}

// checkTimes checks that a customer's times parse and are in order.
func checkTimes(t *testing.T, c tanma.Customer) {
	t.Helper()
	parse := func(name string, s *string) time.Time {
		if s == nil {
			return time.Time{}
		}
		at, err := tanma.ParseTime(*s)
		if err != nil {
			t.Errorf("customer %d: %s %q: %v", c.CustomerID, name, *s, err)
		}
		return at
	}
	created := parse("createTime", c.CreateTime)
	updated := parse("lastUpdateTime", c.LastUpdateTime)
	converted := parse("convertCustomerTime", c.ConvertCustomerTime)
	if created.IsZero() || updated.IsZero() || updated.Before(created) {
		t.Errorf("customer %d: created %v, updated %v", c.CustomerID, created, updated)
	}
	if !converted.IsZero() && (converted.Before(created) || converted.After(updated)) {
		t.Errorf("customer %d: converted %v outside [%v, %v]", c.CustomerID, converted, created, updated)
	}
}

// TestDatasetFields checks every customer's fields array against the field
// definitions: keys, type codes and value encodings.
func TestDatasetFields(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	defs := map[string]sandbox.FieldDef{}
	var system []sandbox.FieldDef
	customTypes := map[int]bool{}
	for _, f := range d.Fields {
		if _, dup := defs[f.Key]; dup {
			t.Errorf("field key %q defined twice", f.Key)
		}
		defs[f.Key] = f
		if f.System {
			system = append(system, f)
		} else {
			customTypes[f.Type] = true
			if f.Key != f.ID.String() {
				t.Errorf("custom field %d has key %q, want its id", f.ID, f.Key)
			}
		}
		if (f.Type == tanma.FieldSelect || f.Type == tanma.FieldMultiSelect) != (len(f.Options) > 0) {
			t.Errorf("field %q of type %d has %d options", f.Key, f.Type, len(f.Options))
		}
	}
	for code := 1; code <= 8; code++ {
		if !customTypes[code] {
			t.Errorf("no custom field of type %d", code)
		}
	}
	for _, c := range d.Customers {
		keys := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			keys[i] = f.Field
		}
		want := d.Fields
		if slices.Contains(seedIDs, c.CustomerID) {
			want = system
		}
		wantKeys := make([]string, len(want))
		for i, f := range want {
			wantKeys[i] = f.Key
		}
		if !slices.Equal(keys, wantKeys) {
			t.Errorf("customer %d has fields %q, want %q", c.CustomerID, keys, wantKeys)
			continue
		}
		for _, f := range c.Fields {
			def := defs[f.Field]
			if f.Type != def.Type {
				t.Errorf("customer %d: field %q has type %d, definition %d", c.CustomerID, f.Field, f.Type, def.Type)
			}
			if f.ValueAsText != nil && !sandbox.Malformed(*f.ValueAsText) {
				if err := checkValue(def, *f.ValueAsText); err != "" {
					t.Errorf("customer %d: field %q = %q: %s", c.CustomerID, f.Field, *f.ValueAsText, err)
				}
			}
		}
		name := fieldValue(c, tanma.KeyName)
		if name == nil || *name == "" {
			t.Errorf("customer %d has no name", c.CustomerID)
		} else if !slices.Contains(seedIDs, c.CustomerID) && !hasHan(*name) {
			t.Errorf("customer %d has name %q, want a Chinese name", c.CustomerID, *name)
		}
	}
}

// checkValue checks a valueAsText against its definition; it returns what
// is wrong, or "".
func checkValue(def sandbox.FieldDef, v string) string {
	option := func(id string) bool {
		return slices.ContainsFunc(def.Options, func(o sandbox.Option) bool { return o.ID == id })
	}
	switch def.Type {
	case tanma.FieldSelect:
		if !option(v) {
			return "not an option id of the definition"
		}
	case tanma.FieldMultiSelect:
		var ids []string
		if err := json.Unmarshal([]byte(v), &ids); err != nil || len(ids) == 0 {
			return "not a JSON array of option ids"
		}
		for _, id := range ids {
			if !option(id) {
				return "holds " + strconv.Quote(id) + ", not an option id"
			}
		}
	case tanma.FieldPhone:
		var ms []string
		if err := json.Unmarshal([]byte(v), &ms); err != nil || ms == nil {
			return "not a JSON array of strings"
		}
		if len(ms) > 3 {
			return "more than 3 phones"
		}
		for _, m := range ms {
			if !mobileValue.MatchString(m) {
				return "holds " + strconv.Quote(m) + ", not a phone number"
			}
		}
	case tanma.FieldDate:
		if !dateValue.MatchString(v) {
			return "not yyyy-MM-dd"
		}
	case tanma.FieldDateTime:
		if _, err := tanma.ParseTime(v); err != nil {
			return "not yyyy-MM-dd HH:mm:ss"
		}
	case tanma.FieldNumber:
		if !numberValue.MatchString(v) {
			return "not decimal text"
		}
	case tanma.FieldText, tanma.FieldTextArea:
		if v == "" {
			return "empty text instead of null"
		}
	default:
		return "unknown type code"
	}
	return ""
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestDatasetSeedCustomersFirst checks that dowen's first two customers are
// the seed page's, so the wire test compares like with like.
func TestDatasetSeedCustomersFirst(t *testing.T) {
	t.Parallel()
	got := sandbox.Default().CustomersOf("dowen")
	for i, id := range seedIDs {
		if got[i].CustomerID != id {
			t.Errorf("dowen's customer %d is %d, want %d", i, got[i].CustomerID, id)
		}
	}
}

// defaultSeed is the seed Default documents using.
const defaultSeed = 20261125

// otherDataset is a second dataset, generated once (Generate takes a while
// under -race) for the tests that need one that is not Default().
var otherDataset = sync.OnceValue(func() *sandbox.Dataset { return sandbox.Generate(defaultSeed + 1) })

// TestGenerateDeterministic checks that a seed fixes the whole dataset and
// another seed changes it.
func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	same := sandbox.Generate(defaultSeed)
	other := otherDataset()
	d := sandbox.Default()
	js := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name string
		ok   func() bool
	}{
		{name: "same seed, same staff, fields and tags", ok: func() bool {
			return js([]any{same.Staff, same.Fields, same.TagGroups}) == js([]any{d.Staff, d.Fields, d.TagGroups})
		}},
		{name: "same seed, same customers as JSON", ok: func() bool {
			// The first 500: marshalling all of them takes seconds under -race.
			return js(same.Customers[:500]) == js(d.Customers[:500])
		}},
		{name: "same seed, same dataset", ok: func() bool { return reflect.DeepEqual(same, d) }},
		{name: "other seed, other customers", ok: func() bool { return js(other.Customers[2:50]) != js(d.Customers[2:50]) }},
		{name: "other seed, same plan", ok: func() bool {
			return len(other.Customers) == len(d.Customers) && len(other.CustomersOf("dowen")) == 1234
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.ok() {
				t.Error("does not hold")
			}
		})
	}
}

// TestNewServesDataset checks that New serves the dataset it is given.
func TestNewServesDataset(t *testing.T) {
	t.Parallel()
	d := otherDataset()
	sb := sandbox.New(d)
	if sb.Data() != d {
		t.Fatal("Data() is not the dataset given to New")
	}
	items, _ := listPage(t, sb, "dowen", "", 5)
	want := d.CustomersOf("dowen")
	for i, it := range items {
		if it.ID != int64(want[i].CustomerID) {
			t.Errorf("item %d is %d, want %d", i, it.ID, want[i].CustomerID)
		}
	}
	if sandbox.New(nil).Data() != sandbox.Default() {
		t.Error("New(nil) does not serve Default()")
	}
}

// TestDatasetMalformedValues: a few filled custom values of parsed kinds are
// stored malformed, like a real tenant's imports; system fields never are.
func TestDatasetMalformedValues(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	system := map[string]bool{}
	for _, f := range d.Fields {
		system[f.Key] = f.System
	}
	filled, malformed := 0, map[int]int{}
	for _, c := range d.Customers {
		for _, f := range c.Fields {
			if f.ValueAsText == nil || system[f.Field] {
				continue
			}
			filled++
			if sandbox.Malformed(*f.ValueAsText) {
				malformed[f.Type]++
			}
		}
	}
	for _, code := range []int{tanma.FieldMultiSelect, tanma.FieldDate, tanma.FieldNumber, tanma.FieldDateTime, tanma.FieldPhone} {
		if malformed[code] == 0 {
			t.Errorf("no malformed value of type %d", code)
		}
	}
	total := 0
	for _, n := range malformed {
		total += n
	}
	if total == 0 || total > filled/50 {
		t.Errorf("%d of %d filled custom values malformed, want a few (under 2%%)", total, filled)
	}
}
