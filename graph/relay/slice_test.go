package relay

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSkipPeekSavesTheLookAhead(t *testing.T) {
	t.Parallel()
	for _, skip := range []bool{false, true} {
		p := &pages{data: [][]int{seq(0, 3), seq(3, 3)}}
		page, err := Paginate(context.Background(), testCodec, Args{First: ptr(3), SkipPeek: skip}, Limits{Default: 20, Max: 100}, "s", key, p.fetch, nil, nil)
		require.NoError(t, err)
		assert.Len(t, page.Edges, 3)
		assert.True(t, page.HasNextPage)
		if skip {
			assert.Equal(t, 1, p.calls, "no call only to learn hasNextPage")
		} else {
			assert.Equal(t, 2, p.calls, "one call to learn hasNextPage")
		}
	}
}

func TestSliceFetchWalksAnInMemoryList(t *testing.T) {
	t.Parallel()
	items := seq(0, 250)
	for _, first := range []int{1, 7, 100} {
		var got []int
		args := Args{First: ptr(first)}
		for range 300 {
			page, err := Paginate(context.Background(), testCodec, args, Limits{Default: 20, Max: 100}, "list", key, SliceFetch(items, 100), nil, nil)
			require.NoError(t, err)
			for _, e := range page.Edges {
				got = append(got, e.Node)
			}
			if !page.HasNextPage {
				break
			}
			args.After = page.EndCursor()
		}
		assert.Equal(t, items, got, "first=%d", first)
	}
	_, _, err := SliceFetch(items, 100)(context.Background(), "-1", 0)
	assert.ErrorIs(t, err, errBadToken)
}

// keyset is a fake upstream whose token is a position, like Tanma's
// cursors: a page of any size can start at any token.
type keyset struct{ items []int }

func (k keyset) fetch(_ context.Context, token string, size int) ([]int, string, error) {
	start := 0
	if token != "" {
		start, _ = strconv.Atoi(token)
	}
	end := min(start+size, len(k.items))
	next := ""
	if end < len(k.items) {
		next = strconv.Itoa(end)
	}
	return k.items[start:end], next, nil
}

// TestPageSizeFollowsFirst: with Limits.PageSize the upstream page size
// follows first, and a walk whose first changes from page to page still
// yields every item once (a cursor refetches its page at its own size).
func TestPageSizeFollowsFirst(t *testing.T) {
	t.Parallel()
	k := keyset{items: seq(0, 60)}
	lim := Limits{Default: 20, Max: 100, PageSize: func(first int) int { return first + 1 }}
	var got []int
	var after *string
	for i := 0; ; i++ {
		first := []int{5, 1, 7, 2, 13}[i%5]
		page, err := Paginate(context.Background(), testCodec, Args{First: &first, After: after}, lim, "k", key, k.fetch, nil, nil)
		require.NoError(t, err)
		for _, e := range page.Edges {
			got = append(got, e.Node)
		}
		if !page.HasNextPage {
			break
		}
		after = page.EndCursor()
	}
	assert.Equal(t, k.items, got)
}
