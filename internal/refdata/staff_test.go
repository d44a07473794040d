package refdata

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// usersServer answers get-users from n staff members; withTotal adds
// totalCount (undocumented upstream, so both shapes must work).
func usersServer(t *testing.T, n int, withTotal bool, calls *atomic.Int64) *tanma.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req tanma.UsersRequest
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		assert.Equal(t, 0, req.Deleted)
		data := map[string]any{"pageNo": req.PageNo, "pageSize": req.PageSize}
		result := []map[string]any{} // an empty page sends [], as documented
		for i := (req.PageNo - 1) * req.PageSize; i < min(n, req.PageNo*req.PageSize); i++ {
			result = append(result, map[string]any{"salesId": 1000 + i, "qwUserId": fmt.Sprintf("u%d", i), "name": fmt.Sprintf("员工%d", i)})
		}
		data["result"] = result
		if withTotal {
			data["totalCount"] = n
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"code": 0, "message": "ok", "data": data})
	}))
	t.Cleanup(ts.Close)
	c, err := tanma.NewClient(tanma.WithBaseURL(ts.URL), tanma.WithCredentials("app", "key"), tanma.WithRateLimit(0, 0))
	require.NoError(t, err)
	return c
}

func TestDirectoryReadsEveryPage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		n         int
		withTotal bool
		calls     int64
	}{
		{"short last page", 250, false, 3},
		{"exact pages without a total: one empty page ends it", 200, false, 3},
		{"exact pages with a total", 200, true, 2},
		{"empty directory", 0, false, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int64
			users, err := loadUsers(t.Context(), usersServer(t, tc.n, tc.withTotal, &calls), 0)
			require.NoError(t, err)
			d := NewDirectory(users)
			assert.Len(t, d.Users, tc.n)
			assert.Equal(t, tc.calls, calls.Load())
			if tc.n > 0 {
				u, ok := d.ByQwUserID(fmt.Sprintf("u%d", tc.n-1))
				require.True(t, ok)
				assert.Equal(t, tanma.ID(1000+tc.n-1), u.SalesID)
				v, ok := d.BySalesID(1000)
				require.True(t, ok)
				assert.Equal(t, "u0", v.QwUserID)
			}
		})
	}
}
