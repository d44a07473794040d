package sandbox_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// followUpAnswer is one decoded list-follow-up page.
type followUpAnswer struct {
	List       []sandbox.FollowUp `json:"list"`
	NextCursor *string            `json:"nextCursor"`
}

// followUpWalk pages through a customer's follow-ups with the body members
// extra (JSON, may be empty) and returns every record and the page count.
func followUpWalk(t testing.TB, h *sandbox.Server, id tanma.ID, size int, extra string) ([]sandbox.FollowUp, int) {
	t.Helper()
	var all []sandbox.FollowUp
	cursor := ""
	for pages := 1; ; pages++ {
		if pages > 200 {
			t.Fatal("paging does not end")
		}
		body := fmt.Sprintf(`{"customerId":%d,"size":%d%s,"cursor":%q}`, id, size, extra, cursor)
		var page followUpAnswer
		epData(t, h, epPathFollowUps, body, &page)
		if page.List == nil || page.NextCursor == nil {
			t.Fatalf("list or nextCursor null or absent: %+v", page)
		}
		if len(page.List) > size {
			t.Fatalf("page of %d, size %d", len(page.List), size)
		}
		if (len(page.List) == size) != (*page.NextCursor != "") {
			t.Fatalf("page of %d (size %d) with nextCursor %q: a full page carries a cursor, a short one ends",
				len(page.List), size, *page.NextCursor)
		}
		all = append(all, page.List...)
		if *page.NextCursor == "" {
			return all, pages
		}
		cursor = *page.NextCursor
	}
}

// followUpCustomers picks customers by their number of follow-ups.
func followUpCustomers(t testing.TB, d *sandbox.Dataset) (heavy, some, none tanma.ID) {
	t.Helper()
	for _, c := range d.Customers {
		n := len(d.FollowUpsOf(c.CustomerID))
		switch {
		case heavy == 0 && c.CustomerID%97 == 0 && c.CustomerID != sandbox.SeedCustomerID:
			heavy = c.CustomerID
		case some == 0 && n >= 4 && n <= 6:
			some = c.CustomerID
		case none == 0 && n == 0:
			none = c.CustomerID
		}
	}
	if heavy == 0 || some == 0 || none == 0 {
		t.Fatalf("dataset lacks a customer kind: heavy %d some %d none %d", heavy, some, none)
	}
	return heavy, some, none
}

// TestFollowUpsShape checks the page's and records' keys, order and types.
func TestFollowUpsShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	data := epObject(t, "data", epOrderedData(t, sb, epPathFollowUps, `{"customerId":398604120668224,"size":100}`), "list", "nextCursor")
	epString(t, "data.nextCursor", epMember(data, "nextCursor"))
	list := epArray(t, "data.list", epMember(data, "list"))
	if len(list) < 30 {
		t.Fatalf("the seed customer has %d follow-ups on the first page, want at least 30", len(list))
	}
	for i, v := range list {
		what := fmt.Sprintf("list[%d]", i)
		obj := epObject(t, what, v, "id", "type", "content", "createTime", "operator")
		epInteger(t, what+".id", epMember(obj, "id"))
		if typ := epInteger(t, what+".type", epMember(obj, "type")); typ != "1" && typ != "2" {
			t.Errorf("%s.type = %s, want 1 or 2", what, typ)
		}
		if epString(t, what+".content", epMember(obj, "content")) == "" {
			t.Errorf("%s.content is empty", what)
		}
		if ct := epString(t, what+".createTime", epMember(obj, "createTime")); !upstreamTimeText(ct) {
			t.Errorf("%s.createTime = %q, want yyyy-MM-dd HH:mm:ss", what, ct)
		}
		op := epObject(t, what+".operator", epMember(obj, "operator"), "qwUserId", "name")
		epString(t, what+".operator.qwUserId", epMember(op, "qwUserId"))
		epString(t, what+".operator.name", epMember(op, "name"))
	}
	empty := epObject(t, "data", epOrderedData(t, sb, epPathFollowUps, `{"customerId":1,"size":10}`), "list", "nextCursor")
	if len(epArray(t, "data.list", epMember(empty, "list"))) != 0 || epString(t, "data.nextCursor", epMember(empty, "nextCursor")) != "" {
		t.Errorf("unknown customer: %#v, want an empty list and nextCursor \"\"", empty)
	}
}

func upstreamTimeText(s string) bool {
	_, err := tanma.ParseTime(s)
	return err == nil && len(s) == len(tanma.DateTimeLayout)
}

// TestFollowUpsWalk pages through follow-ups with various sizes and type
// filters and finds each record once, newest first, as the dataset has them.
func TestFollowUpsWalk(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	d := sb.Data()
	heavy, some, none := followUpCustomers(t, d)
	ofType := func(id tanma.ID, typ int) []sandbox.FollowUp {
		return slices.DeleteFunc(d.FollowUpsOf(id), func(f sandbox.FollowUp) bool { return typ != 0 && f.Type != typ })
	}
	tests := []struct {
		name string
		id   tanma.ID
		size int
		typ  int
	}{
		{name: "seed customer by 20", id: sandbox.SeedCustomerID, size: 20},
		{name: "seed customer by 1", id: sandbox.SeedCustomerID, size: 1},
		{name: "seed customer by 7", id: sandbox.SeedCustomerID, size: 7},
		{name: "seed customer by 100", id: sandbox.SeedCustomerID, size: 100},
		{name: "seed customer notes", id: sandbox.SeedCustomerID, size: 10, typ: sandbox.FollowUpNote},
		{name: "seed customer logs", id: sandbox.SeedCustomerID, size: 10, typ: sandbox.FollowUpLog},
		{name: "a heavy customer by 13", id: heavy, size: 13},
		{name: "a heavy customer's logs by 100", id: heavy, size: 100, typ: sandbox.FollowUpLog},
		{name: "a few", id: some, size: 2},
		{name: "a few, one page", id: some, size: 100},
		{name: "none", id: none, size: 10},
		{name: "unknown customer", id: 1, size: 10},
		{name: "a type nobody has", id: sandbox.SeedCustomerID, size: 10, typ: 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			extra := ""
			if tt.typ != 0 {
				extra = fmt.Sprintf(`,"type":%d`, tt.typ)
			}
			got, pages := followUpWalk(t, sb, tt.id, tt.size, extra)
			want := ofType(tt.id, tt.typ)
			if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Fatalf("walk found %d records, want the dataset's %d", len(got), len(want))
			}
			if wantPages := len(want)/tt.size + 1; pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
			seen := map[tanma.ID]bool{}
			for i, f := range got {
				if seen[f.ID] {
					t.Errorf("record %d served twice", f.ID)
				}
				seen[f.ID] = true
				if i > 0 && (got[i-1].CreateTime < f.CreateTime || got[i-1].CreateTime == f.CreateTime && got[i-1].ID < f.ID) {
					t.Errorf("record %d (%s) after %d (%s): not newest first", f.ID, f.CreateTime, got[i-1].ID, got[i-1].CreateTime)
				}
			}
		})
	}
}

// TestFollowUpsTypeFilterPartitions checks that notes and logs together are
// every record.
func TestFollowUpsTypeFilterPartitions(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	all, _ := followUpWalk(t, sb, sandbox.SeedCustomerID, 100, "")
	notes, _ := followUpWalk(t, sb, sandbox.SeedCustomerID, 100, `,"type":1`)
	logs, _ := followUpWalk(t, sb, sandbox.SeedCustomerID, 100, `,"type":2`)
	zero, _ := followUpWalk(t, sb, sandbox.SeedCustomerID, 100, `,"type":0`)
	if len(notes) == 0 || len(logs) == 0 || len(notes)+len(logs) != len(all) || len(zero) != len(all) {
		t.Errorf("notes %d + logs %d vs all %d (type 0: %d)", len(notes), len(logs), len(all), len(zero))
	}
}

// TestFollowUpsData checks the generated records: counts, times within the
// customer's life, authors, types, unique ids, determinism.
func TestFollowUpsData(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	names := map[string]string{}
	for _, st := range append(d.Staff, d.Former...) {
		names[st.QwUserID] = st.Name
	}
	ids := map[tanma.ID]bool{}
	var heavy, byOwner, byOther, byAPI, total int
	for _, c := range d.Customers {
		fs := d.FollowUpsOf(c.CustomerID)
		isHeavy := c.CustomerID%97 == 0 || c.CustomerID == sandbox.SeedCustomerID
		if isHeavy {
			heavy++
			if len(fs) < 30 || len(fs) > 150 {
				t.Errorf("customer %d: %d follow-ups, want 30 to 150", c.CustomerID, len(fs))
			}
		} else if len(fs) > 6 {
			t.Errorf("customer %d: %d follow-ups, want at most 6", c.CustomerID, len(fs))
		}
		for _, f := range fs {
			total++
			if ids[f.ID] {
				t.Errorf("follow-up id %d repeats", f.ID)
			}
			ids[f.ID] = true
			if f.CreateTime < deref(c.CreateTime) || f.CreateTime > deref(c.LastUpdateTime) || !upstreamTimeText(f.CreateTime) {
				t.Errorf("customer %d: follow-up at %q outside %s..%s", c.CustomerID, f.CreateTime, deref(c.CreateTime), deref(c.LastUpdateTime))
			}
			switch op := f.Operator; {
			case op == sandbox.APIOperator:
				byAPI++
			case names[op.QwUserID] != op.Name || op.Name == "":
				t.Errorf("follow-up %d: operator %+v is not a staff member", f.ID, op)
			case op.QwUserID == deref(c.QwUserID):
				byOwner++
			default:
				byOther++
			}
			switch f.Type {
			case sandbox.FollowUpNote:
				if !hasHanText(f.Content) {
					t.Errorf("follow-up %d: note %q, want a Chinese note", f.ID, f.Content)
				}
			case sandbox.FollowUpLog:
				if !strings.HasPrefix(f.Content, "修改了") && !strings.HasPrefix(f.Content, "添加了") {
					t.Errorf("follow-up %d: log %q, want a system log line", f.ID, f.Content)
				}
			default:
				t.Errorf("follow-up %d: type %d", f.ID, f.Type)
			}
		}
	}
	if heavy < 10 {
		t.Errorf("%d heavy customers, want at least 10", heavy)
	}
	if byOwner <= byOther || byOther == 0 || byAPI == 0 {
		t.Errorf("authors: owner %d, other staff %d, API %d: want mostly the owner, some of each other", byOwner, byOther, byAPI)
	}
	if again := sandbox.Generate(20261125); !reflect.DeepEqual(again.FollowUps, d.FollowUps) {
		t.Error("follow-ups differ between two generations from the same seed")
	}
	t.Logf("%d follow-ups, %d heavy customers", total, heavy)
}

func hasHanText(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

// TestFollowUpsStageLogs checks that stage change logs name stage options.
func TestFollowUpsStageLogs(t *testing.T) {
	t.Parallel()
	d := sandbox.Default()
	var stages []string
	for _, f := range d.Fields {
		if f.Key == tanma.KeyStage {
			for _, o := range f.Options {
				stages = append(stages, o.Name)
			}
		}
	}
	n := 0
	for _, f := range d.FollowUpsOf(sandbox.SeedCustomerID) {
		rest, ok := strings.CutPrefix(f.Content, "修改了客户阶段：")
		if !ok {
			continue
		}
		n++
		from, to, ok := strings.Cut(rest, " → ")
		if !ok || !slices.Contains(stages, from) || !slices.Contains(stages, to) || from == to {
			t.Errorf("stage log %q", f.Content)
		}
	}
	if n == 0 {
		t.Error("the seed customer has no stage change log")
	}
}

// TestFollowUpsValidation checks that bad parameters are validation
// failures, never 500s.
func TestFollowUpsValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var first followUpAnswer
	epData(t, sb, epPathFollowUps, `{"customerId":398604120668224,"size":5}`, &first)
	heavy, _, _ := followUpCustomers(t, sb.Data())
	listCursor := func() string {
		_, c := listPage(t, sb, "dowen", "", 5)
		return c
	}()
	tests := []struct {
		name string
		body string
	}{
		{name: "no customerId", body: `{"size":10}`},
		{name: "customerId 0", body: `{"customerId":0,"size":10}`},
		{name: "customerId null", body: `{"customerId":null,"size":10}`},
		{name: "customerId not a number", body: `{"customerId":"abc","size":10}`},
		{name: "customerId a float", body: `{"customerId":3.5,"size":10}`},
		{name: "size 0", body: `{"customerId":398604120668224,"size":0}`},
		{name: "size 101", body: `{"customerId":398604120668224,"size":101}`},
		{name: "size as string", body: `{"customerId":398604120668224,"size":"10"}`},
		{name: "type as string", body: `{"customerId":398604120668224,"size":10,"type":"1"}`},
		{name: "garbage cursor", body: `{"customerId":398604120668224,"size":10,"cursor":"not-a-cursor"}`},
		{name: "another customer's cursor", body: fmt.Sprintf(`{"customerId":%d,"size":10,"cursor":%q}`, heavy, *first.NextCursor)},
		{name: "a customer list's cursor", body: fmt.Sprintf(`{"customerId":398604120668224,"size":10,"cursor":%q}`, listCursor)},
		{name: "malformed", body: `{"customerId":`},
		{name: "no body", body: ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, epPathFollowUps, tt.body))
		})
	}
}

// TestFollowUpsCursorIsOpaque checks the cursor does not leak the record:
// it is not the id or the time in clear.
func TestFollowUpsCursorIsOpaque(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var page followUpAnswer
	epData(t, sb, epPathFollowUps, `{"customerId":398604120668224,"size":3}`, &page)
	last := page.List[len(page.List)-1]
	c := *page.NextCursor
	if c == "" || strings.Contains(c, last.ID.String()) || strings.Contains(c, last.CreateTime) {
		t.Errorf("cursor %q after record %d at %s", c, last.ID, last.CreateTime)
	}
	raw, _ := json.Marshal(c)
	if string(raw) != `"`+c+`"` {
		t.Errorf("cursor %q needs escaping", c)
	}
}
