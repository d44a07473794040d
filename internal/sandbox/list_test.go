package sandbox_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
)

// TestListPaging walks owners of every interesting size with nextCursor and
// checks that each walk yields the owner's customers exactly once, in
// dataset order.
//
// Upstream pages by keyset: a full page always carries a cursor, because the
// server cannot know no item follows without looking. So an owner whose
// count is an exact multiple of the size (and an owner with none) ends with
// an empty page whose nextCursor is empty.
func TestListPaging(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name  string
		owner string
		count int // the owner's customers, fixed by the dataset's plan
		size  int
	}{
		{"dowen size 100", "dowen", 1234, 100},
		{"dowen size 37", "dowen", 1234, 37},
		{"zhaolei size 100", "zhaolei", 0, 100},
		{"zhaolei size 1", "zhaolei", 0, 1},
		{"chenjing size 100", "chenjing", 200, 100},
		{"chenjing size 37", "chenjing", 200, 37},
		{"majun size 100", "majun", 100, 100},
		{"majun size 37", "majun", 100, 37},
		{"zhoutao size 100", "zhoutao", 99, 100},
		{"zhoutao size 37", "zhoutao", 99, 37},
		{"zhoutao size 1", "zhoutao", 99, 1},
		{"liuyang size 100", "liuyang", 101, 100},
		{"liuyang size 37", "liuyang", 101, 37},
		{"xiehua size 1", "xiehua", 1, 1},
		{"xiehua size 100", "xiehua", 1, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want := sb.Data().CustomersOf(tt.owner)
			if len(want) != tt.count {
				t.Fatalf("dataset has %d customers of %s, want %d", len(want), tt.owner, tt.count)
			}
			var got []listItem
			cursor := ""
			pages := 0
			for {
				items, next := listPage(t, sb, tt.owner, cursor, tt.size)
				pages++
				if len(items) > tt.size {
					t.Fatalf("page %d has %d items, size %d", pages, len(items), tt.size)
				}
				if len(items) == tt.size && next == "" {
					t.Fatalf("full page %d has no nextCursor", pages)
				}
				if len(items) < tt.size && next != "" {
					t.Fatalf("short page %d (%d items) has nextCursor %q", pages, len(items), next)
				}
				got = append(got, items...)
				if next == "" {
					break
				}
				if pages > tt.count+1 {
					t.Fatalf("walk does not end after %d pages", pages)
				}
				cursor = next
			}
			if wantPages := tt.count/tt.size + 1; pages != wantPages {
				t.Errorf("walk took %d pages, want %d (keyset: a final short or empty page)", pages, wantPages)
			}
			if len(got) != len(want) {
				t.Fatalf("walk yielded %d customers, want %d", len(got), len(want))
			}
			seen := map[int64]bool{}
			for i, it := range got {
				if seen[it.ID] {
					t.Fatalf("customer %d yielded twice", it.ID)
				}
				seen[it.ID] = true
				if it.ID != int64(want[i].CustomerID) {
					t.Fatalf("item %d is customer %d, want %d", i, it.ID, want[i].CustomerID)
				}
				if it.Owner != tt.owner {
					t.Fatalf("item %d (customer %d) belongs to %q, want %q", i, it.ID, it.Owner, tt.owner)
				}
			}
		})
	}
}

// TestListDefaultSize checks that an absent size means 100.
func TestListDefaultSize(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name  string
		owner string
		want  int
	}{
		{name: "over one page", owner: "dowen", want: 100},
		{name: "just over one page", owner: "liuyang", want: 100},
		{name: "under one page", owner: "zhoutao", want: 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := okData(t, post(sb, pathList, `{"qwUserId":"`+tt.owner+`"}`))
			var page struct {
				List       []struct{} `json:"list"`
				NextCursor string     `json:"nextCursor"`
			}
			if err := json.Unmarshal(data, &page); err != nil {
				t.Fatal(err)
			}
			if len(page.List) != tt.want {
				t.Errorf("%d items, want %d", len(page.List), tt.want)
			}
			if (page.NextCursor != "") != (tt.want == 100) {
				t.Errorf("nextCursor %q with %d items", page.NextCursor, len(page.List))
			}
		})
	}
}

// TestListCursorReplay checks that cursors are stateless: replaying one gives
// the same page, on the same server or on another over the same dataset.
func TestListCursorReplay(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	_, c1 := listPage(t, sb, "dowen", "", 50)
	a, aNext := listPage(t, sb, "dowen", c1, 50)
	tests := []struct {
		name string
		sb   *sandbox.Server
	}{
		{name: "same server", sb: sb},
		{name: "fresh server", sb: &sandbox.Server{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, bNext := listPage(t, tt.sb, "dowen", c1, 50)
			if aNext != bNext || len(a) != len(b) {
				t.Fatalf("replay: %d items cursor %q, first time %d items cursor %q", len(b), bNext, len(a), aNext)
			}
			for i := range a {
				if a[i].ID != b[i].ID {
					t.Fatalf("replay item %d is %d, first time %d", i, b[i].ID, a[i].ID)
				}
			}
		})
	}

	t.Run("size may change between pages", func(t *testing.T) {
		t.Parallel()
		want := sb.Data().CustomersOf("dowen")
		b, _ := listPage(t, sb, "dowen", c1, 7)
		for i, it := range b {
			if it.ID != int64(want[50+i].CustomerID) {
				t.Fatalf("item %d is %d, want %d", i, it.ID, want[50+i].CustomerID)
			}
		}
	})
}

// TestListType: any type is accepted and filters nothing (a sandbox
// choice: Tanma documents no values, and its example asks for type 2 and
// answers with customers of type 1).
func TestListType(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		typ  int
		want int
	}{
		{name: "type 0", typ: 0, want: 99},
		{name: "type 1", typ: 1, want: 99},
		{name: "type 2, as in Tanma's own example", typ: 2, want: 99},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := okData(t, post(sb, pathList, fmt.Sprintf(`{"qwUserId":"zhoutao","size":100,"type":%d}`, tt.typ)))
			var page struct {
				List []struct{} `json:"list"`
			}
			if err := json.Unmarshal(data, &page); err != nil {
				t.Fatal(err)
			}
			if len(page.List) != tt.want {
				t.Errorf("%d items, want %d", len(page.List), tt.want)
			}
		})
	}
}
