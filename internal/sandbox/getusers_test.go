package sandbox_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// usersAnswer is what the tests read of a get-users answer.
type usersAnswer struct {
	PageNo     int          `json:"pageNo"`
	PageSize   int          `json:"pageSize"`
	TotalCount int          `json:"totalCount"`
	Result     []tanma.User `json:"result"`
}

// TestGetUsersShape checks the page's keys and types and each user's.
func TestGetUsersShape(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	data := epObject(t, "data", epOrderedData(t, sb, epPathUsers, `{"pageNo":1,"pageSize":100,"deleted":0}`),
		"pageNo", "pageSize", "totalCount", "result")
	for _, k := range []string{"pageNo", "pageSize", "totalCount"} {
		epInteger(t, "data."+k, epMember(data, k))
	}
	result := epArray(t, "data.result", epMember(data, "result"))
	if len(result) != len(sb.Data().Staff) {
		t.Fatalf("%d users, want %d", len(result), len(sb.Data().Staff))
	}
	for i, u := range result {
		what := fmt.Sprintf("result[%d]", i)
		obj := epObject(t, what, u, "salesId", "qwUserId", "name")
		epInteger(t, what+".salesId", epMember(obj, "salesId"))
		epString(t, what+".qwUserId", epMember(obj, "qwUserId"))
		epString(t, what+".name", epMember(obj, "name"))
	}
}

// TestGetUsersWalk pages through the directory and finds everyone once, in
// directory order, with the same totalCount on every page.
func TestGetUsersWalk(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	staff := sb.Data().Staff
	var want []tanma.User
	for _, st := range staff {
		want = append(want, tanma.User{SalesID: st.SalesID, QwUserID: st.QwUserID, Name: st.Name})
	}
	for _, size := range []int{1, 5, 7, 24, 100} {
		t.Run(fmt.Sprintf("pageSize %d", size), func(t *testing.T) {
			t.Parallel()
			var got []tanma.User
			for pageNo := 1; ; pageNo++ {
				if pageNo > len(staff)+2 {
					t.Fatal("paging does not end")
				}
				var page usersAnswer
				epData(t, sb, epPathUsers, fmt.Sprintf(`{"pageNo":%d,"pageSize":%d,"deleted":0}`, pageNo, size), &page)
				if page.PageNo != pageNo || page.PageSize != size || page.TotalCount != len(staff) {
					t.Fatalf("page %d: pageNo %d pageSize %d totalCount %d", pageNo, page.PageNo, page.PageSize, page.TotalCount)
				}
				if len(page.Result) == 0 {
					break
				}
				got = append(got, page.Result...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("walk found %v\nwant %v", got, want)
			}
		})
	}
}

// TestGetUsersFilters checks name, deleted and the defaults.
func TestGetUsersFilters(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	all := func(f func(sandbox.Staff) bool) []string {
		var out []string
		for _, st := range sb.Data().Staff {
			if f(st) {
				out = append(out, st.QwUserID)
			}
		}
		return out
	}
	everyone := all(func(sandbox.Staff) bool { return true })
	tests := []struct {
		name     string
		body     string
		want     []string
		total    int // totalCount; len(want) when 0 and want is set
		pageSize int
	}{
		{name: "surname 刘", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":"刘"}`,
			want: all(func(st sandbox.Staff) bool { return strings.Contains(st.Name, "刘") }), pageSize: 100},
		{name: "full name", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":"刘德文"}`, want: []string{"dowen"}, pageSize: 100},
		{name: "inner character", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":"德"}`, want: []string{"dowen"}, pageSize: 100},
		{name: "empty name filters nothing", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":""}`,
			want: everyone, pageSize: 100},
		{name: "nobody", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":"不存在"}`, pageSize: 100},
		{name: "a qwUserId is not a name", body: `{"pageNo":1,"pageSize":100,"deleted":0,"name":"dowen"}`, pageSize: 100},
		{name: "former staff", body: `{"pageNo":1,"pageSize":100,"deleted":1}`, want: []string{sandbox.FormerStaff.QwUserID}, pageSize: 100},
		{name: "defaults: page 1 of 100, current staff", body: `{}`,
			want: everyone, pageSize: 100},
		{name: "past the end", body: `{"pageNo":3,"pageSize":20,"deleted":0}`, total: len(everyone), pageSize: 20},
		{name: "second page", body: `{"pageNo":2,"pageSize":20,"deleted":0}`, want: everyone[20:], total: len(everyone), pageSize: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var page usersAnswer
			epData(t, sb, epPathUsers, tt.body, &page)
			var got []string
			for _, u := range page.Result {
				got = append(got, u.QwUserID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("users %v, want %v", got, tt.want)
			}
			if page.PageSize != tt.pageSize {
				t.Errorf("pageSize %d, want %d", page.PageSize, tt.pageSize)
			}
			total := tt.total
			if total == 0 {
				total = len(tt.want)
			}
			if page.TotalCount != total {
				t.Errorf("totalCount %d, want %d", page.TotalCount, total)
			}
		})
	}
}

// TestGetUsersValidation checks that bad parameters are validation
// failures, never 500s.
func TestGetUsersValidation(t *testing.T) {
	t.Parallel()
	sb := &sandbox.Server{}
	tests := []struct {
		name string
		body string
	}{
		{name: "pageNo 0", body: `{"pageNo":0,"pageSize":10}`},
		{name: "pageNo -1", body: `{"pageNo":-1,"pageSize":10}`},
		{name: "pageSize 0", body: `{"pageNo":1,"pageSize":0}`},
		{name: "pageSize 101", body: `{"pageNo":1,"pageSize":101}`},
		{name: "deleted 2", body: `{"pageNo":1,"pageSize":10,"deleted":2}`},
		{name: "pageNo as string", body: `{"pageNo":"1","pageSize":10}`},
		{name: "name as number", body: `{"pageNo":1,"pageSize":10,"name":5}`},
		{name: "malformed", body: `{"pageNo":`},
		{name: "no body", body: ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			validationFailure(t, post(sb, epPathUsers, tt.body))
		})
	}
}
