package relay

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// scripted is a fake upstream answering each token with a scripted page
// (rows and next token), however it misbehaves.
type scripted map[string]struct {
	rows []int
	next string
}

func (s scripted) fetch(_ context.Context, token string, _ int) ([]int, string, error) {
	p := s[token]
	return p.rows, p.next, nil
}

// walkScript pages through s with first 2 until the list ends or ends
// early, at most 20 requests, and returns every row shown and why it ended
// early (nil: it did not).
func walkScript(t *testing.T, s scripted, walks *Walks) ([]int, error) {
	t.Helper()
	var rows []int
	var after *string
	for range 20 {
		page, err := Paginate(context.Background(), testCodec, Args{First: ptr(2), After: after}, Limits{Default: 2, Max: 10}, "s", key, s.fetch, nil, walks)
		require.NoError(t, err)
		for _, e := range page.Edges {
			rows = append(rows, e.Node)
		}
		if page.Ended != nil {
			assert.False(t, page.HasNextPage, "an ended walk has no next page")
			return rows, page.Ended
		}
		if !page.HasNextPage {
			return rows, nil
		}
		after = page.EndCursor()
	}
	t.Fatal("the walk never ended")
	return nil, nil
}

// TestWalksThatLeadBackEnd: however the upstream leads a walk back into
// itself (its own cursor again, a cursor of an earlier page, page one
// again under a fresh cursor, rows of the page before), the walk ends with
// UPSTREAM_INVALID and no row is shown twice; a well-behaved list walks to
// its end.
func TestWalksThatLeadBackEnd(t *testing.T) {
	t.Parallel()
	type page = struct {
		rows []int
		next string
	}
	for _, tc := range []struct {
		name   string
		script scripted
		ends   bool
	}{
		{"well behaved", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{3, 4}, "b"}, "b": page{[]int{5}, ""}}, false},
		{"its own cursor again", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{3, 4}, "a"}}, true},
		{"an earlier page's cursor", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{3, 4}, "b"}, "b": page{[]int{5, 6}, "a"}}, true},
		{"page one under a fresh cursor", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{3, 4}, "b"}, "b": page{[]int{1, 2}, "c"}, "c": page{[]int{3, 4}, "d"}}, true},
		{"pages that overlap", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{2, 3}, "b"}, "b": page{[]int{4}, ""}}, false},
		{"a page of the page before only", scripted{"": page{[]int{1, 2}, "a"}, "a": page{[]int{1, 2}, "b"}, "b": page{[]int{9}, ""}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rows, ended := walkScript(t, tc.script, NewWalks(10))
			seen := map[int]bool{}
			for _, r := range rows {
				assert.False(t, seen[r], "row %d shown twice: %v", r, rows)
				seen[r] = true
			}
			if !tc.ends {
				assert.NoError(t, ended)
				return
			}
			require.Error(t, ended)
			assert.ErrorIs(t, ended, apperr.Kind(apperr.UpstreamInvalid))
		})
	}
}

// TestAPageAskedAgainIsNoCycle: a client may ask the same page again
// (refresh, back) within its walk: no error.
func TestAPageAskedAgainIsNoCycle(t *testing.T) {
	t.Parallel()
	s := scripted{"": {[]int{1, 2}, "a"}, "a": {[]int{3, 4}, "b"}, "b": {[]int{5}, ""}}
	walks := NewWalks(10)
	lim := Limits{Default: 2, Max: 10}
	first, err := Paginate(context.Background(), testCodec, Args{First: ptr(2)}, lim, "s", key, s.fetch, nil, walks)
	require.NoError(t, err)
	for range 3 {
		again, err := Paginate(context.Background(), testCodec, Args{First: ptr(2), After: first.EndCursor()}, lim, "s", key, s.fetch, nil, walks)
		require.NoError(t, err)
		require.NoError(t, again.Ended)
		assert.Len(t, again.Edges, 2)
	}
}
