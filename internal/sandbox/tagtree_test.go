package sandbox_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// TestTagTreeShape checks the tag library's keys, order and JSON types, and
// that it is the dataset's library, group for group and tag for tag.
func TestTagTreeShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	groups := epArray(t, "data", epOrderedData(t, sb, epPathTagTree, ``))
	want := sb.Data().TagGroups
	if len(groups) != len(want) {
		t.Fatalf("%d groups, want %d", len(groups), len(want))
	}
	for i, g := range groups {
		what := fmt.Sprintf("data[%d]", i)
		obj := epObject(t, what, g, "id", "name", "qwTagId", "tags")
		got := fmt.Sprintf("%s %s %s", epInteger(t, what+".id", epMember(obj, "id")),
			epString(t, what+".name", epMember(obj, "name")), epString(t, what+".qwTagId", epMember(obj, "qwTagId")))
		if w := fmt.Sprintf("%d %s %s", want[i].ID, want[i].Name, want[i].QwTagID); got != w {
			t.Errorf("%s = %s, want %s", what, got, w)
		}
		tags := epArray(t, what+".tags", epMember(obj, "tags"))
		if len(tags) != len(want[i].Tags) {
			t.Fatalf("%s: %d tags, want %d", what, len(tags), len(want[i].Tags))
		}
		for j, tg := range tags {
			what := fmt.Sprintf("%s.tags[%d]", what, j)
			to := epObject(t, what, tg, "id", "name", "qwTagId")
			got := fmt.Sprintf("%s %s %s", epInteger(t, what+".id", epMember(to, "id")),
				epString(t, what+".name", epMember(to, "name")), epString(t, what+".qwTagId", epMember(to, "qwTagId")))
			w := want[i].Tags[j]
			if ws := fmt.Sprintf("%d %s %s", w.ID, w.Name, w.QwTagID); got != ws {
				t.Errorf("%s = %s, want %s", what, got, ws)
			}
			if !strings.HasPrefix(w.QwTagID, "et") {
				t.Errorf("%s: qwTagId %q, want et...", what, w.QwTagID)
			}
		}
	}
}

// TestTagTreeBodies checks that list-tree, documented without a body,
// answers an empty body (signed over "") and ignores any other.
func TestTagTreeBodies(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "no body", body: ``},
		{name: "empty object", body: `{}`},
		{name: "something else", body: `[1,2]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var groups []tanma.TagGroup
			epData(t, sb, epPathTagTree, tt.body, &groups)
			if len(groups) != len(sb.Data().TagGroups) {
				t.Errorf("%d groups, want %d", len(groups), len(sb.Data().TagGroups))
			}
		})
	}
}

// TestTagTreeCoversCustomers checks that ids are unique across the library
// and that every tagId a customer carries is a qwTagId of the library.
func TestTagTreeCoversCustomers(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	var groups []tanma.TagGroup
	epData(t, sb, epPathTagTree, ``, &groups)
	ids := map[tanma.ID]bool{}
	qw := map[string]bool{}
	for _, g := range groups {
		if ids[g.ID] || qw[g.QwTagID] {
			t.Errorf("group %d %s repeats an id", g.ID, g.QwTagID)
		}
		ids[g.ID], qw[g.QwTagID] = true, true
		for _, tg := range g.Tags {
			if ids[tg.ID] || qw[tg.QwTagID] {
				t.Errorf("tag %d %s repeats an id", tg.ID, tg.QwTagID)
			}
			ids[tg.ID], qw[tg.QwTagID] = true, true
		}
	}
	tagged := 0
	for _, c := range sb.Data().Customers {
		for _, id := range c.TagIDs {
			tagged++
			if !qw[id] {
				t.Errorf("customer %d carries tag %q, not in the library", c.CustomerID, id)
			}
		}
	}
	if tagged == 0 {
		t.Error("no customer carries a tag: the check proves nothing")
	}
}
