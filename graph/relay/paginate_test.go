package relay

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// pages is a fake upstream: pages[token] lists ints; the next token is the
// next page's index, "" after the last.
type pages struct {
	data  [][]int
	calls int
}

func (p *pages) fetch(_ context.Context, token string, _ int) ([]int, string, error) {
	p.calls++
	i := 0
	if token != "" {
		var err error
		if i, err = strconv.Atoi(token); err != nil || i >= len(p.data) {
			return nil, "", errors.New("bad token")
		}
	}
	next := ""
	if i+1 < len(p.data) {
		next = strconv.Itoa(i + 1)
	}
	return p.data[i], next, nil
}

func key(i int) string { return strconv.Itoa(i) }

func ptr[T any](v T) *T { return &v }

// walkAll collects every item by paging with first.
func walkAll(t *testing.T, p *pages, first int, stash *Leftovers[int]) []int {
	t.Helper()
	var out []int
	args := Args{First: &first}
	for range 1000 {
		page, err := Paginate(context.Background(), testCodec, args, Limits{Default: 20, Max: 100}, "s", key, p.fetch, stash, nil)
		require.NoError(t, err)
		for _, e := range page.Edges {
			out = append(out, e.Node)
		}
		if page.HasNextPage {
			require.Len(t, page.Edges, first)
		} else {
			return out
		}
		args.After = page.EndCursor()
	}
	t.Fatal("walk did not end")
	return nil
}

func seq(from, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = from + i
	}
	return s
}

func TestPaginateWalks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		data [][]int
	}{
		{"empty", [][]int{{}}},
		{"one page", [][]int{seq(0, 5)}},
		{"full pages then an empty one", [][]int{seq(0, 4), seq(4, 4), {}}},
		{"empty pages in the middle", [][]int{seq(0, 3), {}, {}, seq(3, 2)}},
		{"uneven pages", [][]int{seq(0, 1), seq(1, 7), seq(8, 2)}},
	}
	for _, tc := range cases {
		for _, first := range []int{1, 2, 3, 4, 5, 100} {
			for _, withStash := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/first=%d/stash=%v", tc.name, first, withStash), func(t *testing.T) {
					t.Parallel()
					var want []int
					for _, p := range tc.data {
						want = append(want, p...)
					}
					var stash *Leftovers[int]
					if withStash {
						stash = NewLeftovers[int](8, time.Minute)
					}
					got := walkAll(t, &pages{data: tc.data}, first, stash)
					assert.Equal(t, want, got)
				})
			}
		}
	}
}

func TestStashSavesTheLookAheadCall(t *testing.T) {
	t.Parallel()
	data := [][]int{seq(0, 4), seq(4, 4), seq(8, 4), {}}
	plain, stashed := &pages{data: data}, &pages{data: data}
	walkAll(t, plain, 4, nil)
	walkAll(t, stashed, 4, NewLeftovers[int](8, time.Minute))
	assert.Equal(t, 6, plain.calls) // pages 1 and 2 fetched twice: once to peek, once to serve
	assert.Equal(t, 4, stashed.calls)
}

func TestStashEntriesAreSingleUseAndExpire(t *testing.T) {
	t.Parallel()
	now := time.Unix(0, 0)
	s := NewLeftovers[int](2, time.Second)
	s.now = func() time.Time { return now }
	s.put("a", []int{1}, "n", 7, 0)
	items, next, size, ok := s.take("a")
	assert.True(t, ok)
	assert.Equal(t, []int{1}, items)
	assert.Equal(t, "n", next)
	assert.Equal(t, 7, size)
	_, _, _, ok = s.take("a")
	assert.False(t, ok, "single use")
	s.put("b", []int{2}, "", 0, 0)
	now = now.Add(2 * time.Second)
	_, _, _, ok = s.take("b")
	assert.False(t, ok, "expired")
	for i := range 10 {
		s.put(strconv.Itoa(i), nil, "", 0, 0)
	}
	assert.LessOrEqual(t, len(s.entries), 2, "bounded")
}

// TestStashClearDropsWalksInFlight: a page fetched by a walk that began
// before Clear (a write) is not kept, so it cannot serve a later request.
func TestStashClearDropsWalksInFlight(t *testing.T) {
	t.Parallel()
	s := NewLeftovers[int](8, time.Minute)
	before := s.generation()
	s.put("a", []int{1}, "", 0, before)
	s.Clear()
	_, _, _, ok := s.take("a")
	assert.False(t, ok, "cleared")
	s.put("b", []int{2}, "", 0, before)
	_, _, _, ok = s.take("b")
	assert.False(t, ok, "fetched before the Clear: dropped")
	s.put("c", []int{3}, "", 0, s.generation())
	_, _, _, ok = s.take("c")
	assert.True(t, ok, "fetched after it: kept")
}

func TestPaginateRejectsBadArgs(t *testing.T) {
	t.Parallel()
	p := &pages{data: [][]int{seq(0, 3)}}
	good, err := Paginate(context.Background(), testCodec, Args{First: ptr(1)}, Limits{Default: 2, Max: 10}, "s", key, p.fetch, nil, nil)
	require.NoError(t, err)
	cases := []struct {
		name string
		args Args
	}{
		{"negative first", Args{First: ptr(-1)}},
		{"first over max", Args{First: ptr(11)}},
		{"last", Args{Last: ptr(1)}},
		{"before", Args{Before: good.EndCursor()}},
		{"garbage cursor", Args{After: ptr("%%%")}},
		{"json but wrong version", Args{After: ptr(testCodec.encode(cursor{V: 9, Scope: scopeHash("s"), Key: "1"}))}},
		{"foreign scope", Args{After: ptr(testCodec.encode(cursor{V: 1, Scope: scopeHash("other"), Key: "1"}))}},
		{"negative offset", Args{After: ptr(testCodec.encode(cursor{V: 1, Scope: scopeHash("s"), Off: -1, Key: "1"}))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Paginate(context.Background(), testCodec, tc.args, Limits{Default: 2, Max: 10}, "s", key, p.fetch, nil, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, apperr.Kind(apperr.BadUserInput))
		})
	}
}

func TestResumeFindsAShiftedItemByKey(t *testing.T) {
	t.Parallel()
	p := &pages{data: [][]int{{10, 11, 12, 13}}}
	page, err := Paginate(context.Background(), testCodec, Args{First: ptr(2)}, Limits{Default: 2, Max: 10}, "s", key, p.fetch, nil, nil)
	require.NoError(t, err)
	p.data[0] = []int{9, 10, 11, 12, 13} // an item was inserted before the cursor
	next, err := Paginate(context.Background(), testCodec, Args{First: ptr(2), After: page.EndCursor()}, Limits{Default: 2, Max: 10}, "s", key, p.fetch, nil, nil)
	require.NoError(t, err)
	require.Len(t, next.Edges, 2)
	assert.Equal(t, []int{12, 13}, []int{next.Edges[0].Node, next.Edges[1].Node})
}

func TestUpstreamKeepsAnsweringEmptyPages(t *testing.T) {
	t.Parallel()
	stuck := func(_ context.Context, token string, _ int) ([]int, string, error) { return nil, token + "x", nil }
	_, err := Paginate(context.Background(), testCodec, Args{}, Limits{Default: 2, Max: 10}, "s", key, stuck, nil, nil)
	assert.ErrorIs(t, err, apperr.Kind(apperr.UpstreamInvalid))
}

func TestGlobalIDRoundTrip(t *testing.T) {
	t.Parallel()
	typ, id, err := ParseGlobalID(GlobalID("Customer", "9007199254740993"))
	require.NoError(t, err)
	assert.Equal(t, "Customer", typ)
	assert.Equal(t, "9007199254740993", id)
	for _, bad := range []string{"", "dowen", "!!!", "Q3VzdG9tZXI=", "OjE="} { // "Customer", ":1"
		_, _, err := ParseGlobalID(bad)
		assert.ErrorIs(t, err, apperr.Kind(apperr.BadUserInput), bad)
	}
}

func FuzzDecodeCursor(f *testing.F) {
	f.Add(testCodec.encode(cursor{V: 1, Scope: scopeHash("s"), Token: "t", Off: 3, Key: "k", Next: "n", Last: true}))
	f.Add("")
	f.Add("eyJ2IjoxfQ")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := testCodec.decode(s, "s", Limits{Max: 100, PageSize: func(int) int { return 100 }})
		if err != nil {
			if !errors.Is(err, apperr.Kind(apperr.BadUserInput)) {
				t.Fatalf("error %v is not BAD_USER_INPUT", err)
			}
			return
		}
		if c.V != cursorVersion || c.Off < 0 || c.Key == "" {
			t.Fatalf("accepted invalid cursor %+v", c)
		}
	})
}

func FuzzParseGlobalID(f *testing.F) {
	f.Add(GlobalID("Staff", "dowen"))
	f.Add("Q3VzdG9tZXI6MQ==")
	f.Fuzz(func(t *testing.T, s string) {
		typ, id, err := ParseGlobalID(s)
		if err == nil && (typ == "" || id == "") {
			t.Fatalf("accepted %q with empty part", s)
		}
		if err == nil && GlobalID(typ, id) != s {
			// Non-canonical base64 may decode; the canonical form must round-trip.
			if _, _, err2 := ParseGlobalID(GlobalID(typ, id)); err2 != nil {
				t.Fatalf("canonical form of %q does not parse", s)
			}
		}
	})
}

// FuzzPaginateResume resumes a walk from arbitrary cursors: never a panic,
// and every failure is BAD_USER_INPUT.
func FuzzPaginateResume(f *testing.F) {
	p := &pages{data: [][]int{seq(0, 5), seq(5, 5)}}
	first, _ := Paginate(context.Background(), testCodec, Args{First: ptr(3)}, Limits{Default: 20, Max: 100}, "s", key, p.fetch, nil, nil)
	for _, e := range first.Edges {
		f.Add(e.Cursor)
	}
	f.Add(testCodec.encode(cursor{V: cursorVersion, Scope: scopeHash("s"), Off: maxOffset, Key: "zz"}))
	f.Add(testCodec.encode(cursor{V: cursorVersion, Scope: scopeHash("s"), Off: 4, Key: "4", Last: true, Next: "1"}))
	f.Add("")
	f.Fuzz(func(t *testing.T, after string) {
		p := &pages{data: [][]int{seq(0, 5), seq(5, 5)}}
		page, err := Paginate(context.Background(), testCodec, Args{First: ptr(3), After: &after}, Limits{Default: 20, Max: 100}, "s", key, p.fetch, nil, nil)
		if err != nil {
			if !errors.Is(err, apperr.Kind(apperr.BadUserInput)) && err.Error() != "bad token" {
				t.Fatalf("resume from %q: %v", after, err)
			}
			return
		}
		if len(page.Edges) > 3 {
			t.Fatalf("%d edges for first=3", len(page.Edges))
		}
	})
}

// testCodec signs the cursors of these tests.
var testCodec = NewCodec([]byte("relay test key"))

// TestCursorsAreAuthenticated: only cursors this codec signed, unaltered,
// are accepted: not one signed with another key, not one with a byte
// changed, not a well-formed payload without its tag (a forged cursor
// carrying another list's upstream token), and not a signed one whose page
// size the connection could not have issued.
func TestCursorsAreAuthenticated(t *testing.T) {
	t.Parallel()
	lim := Limits{Default: 2, Max: 10, PageSize: func(first int) int { return first + 1 }}
	good := cursor{V: cursorVersion, Scope: scopeHash("s"), Token: "t", Size: 3, Off: 1, Key: "k"}
	_, err := testCodec.decode(testCodec.encode(good), "s", lim)
	require.NoError(t, err)

	raw, _ := json.Marshal(cursor{V: cursorVersion, Scope: scopeHash("s"), Token: "another owner's token", Key: "k"})
	tampered, _ := base64.RawURLEncoding.DecodeString(testCodec.encode(good))
	tampered[5] ^= 1
	for name, s := range map[string]string{
		"another key":           NewCodec([]byte("someone else's key")).encode(good),
		"a byte changed":        base64.RawURLEncoding.EncodeToString(tampered),
		"no tag":                base64.RawURLEncoding.EncodeToString(raw),
		"a tag from elsewhere":  base64.RawURLEncoding.EncodeToString(append(raw, make([]byte, macSize)...)),
		"a page size too large": testCodec.encode(cursor{V: cursorVersion, Scope: scopeHash("s"), Size: 10000, Key: "k"}),
	} {
		_, err := testCodec.decode(s, "s", lim)
		assert.ErrorIs(t, err, apperr.Kind(apperr.BadUserInput), name)
	}
}
