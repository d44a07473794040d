package relay

import (
	"context"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// Args are a connection field's paging arguments. An empty cursor ("") is
// no cursor: after: "" asks for the first page, as a missing after does
// (clients such as genqlient send "" for a String variable left unset).
type Args struct {
	First  *int
	After  *string
	Last   *int
	Before *string
	// SkipPeek says the query does not read pageInfo, so no upstream page is
	// fetched only to learn whether more items exist (hasNextPage is then
	// true whenever the upstream gave a next token).
	SkipPeek bool
}

// Limits bound a connection's page size.
type Limits struct {
	Default int // first when the client gives none
	Max     int // largest first accepted
	// PageSize, when set, is the upstream page size to fetch for a page of
	// first items; nil leaves the size to Fetch (it gets 0). A cursor
	// remembers the size of the page its item came from, so resuming there
	// refetches that page at the same size and the offset stays right.
	PageSize func(first int) int
}

// maxPageSize is the largest upstream page size a cursor may carry: what
// PageSize gives for Max (0 without PageSize: Fetch decides).
func (l Limits) maxPageSize() int {
	if l.PageSize == nil {
		return 0
	}
	return l.PageSize(l.Max)
}

// Fetch returns the upstream page behind token ("" for the first page), of
// size items when size > 0 (see Limits.PageSize), and the token of the page
// after it ("" when there is none). A page may be empty while next is not:
// the paginator then keeps going.
type Fetch[T any] func(ctx context.Context, token string, size int) (items []T, next string, err error)

// Edge is one item and its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
}

// Page is the result of paginating: the edges in upstream order and the
// Relay page info flags.
type Page[T any] struct {
	Edges           []Edge[T]
	HasNextPage     bool
	HasPreviousPage bool
	// Ended, when set, is why the list ends here although the upstream
	// gave a next page: its pages led back into the walk (see Walks). The
	// edges before are served; the error belongs at the connection.
	Ended error
}

// StartCursor is the first edge's cursor, nil when there are no edges.
func (p Page[T]) StartCursor() *string {
	if len(p.Edges) == 0 {
		return nil
	}
	return &p.Edges[0].Cursor
}

// EndCursor is the last edge's cursor, nil when there are no edges.
func (p Page[T]) EndCursor() *string {
	if len(p.Edges) == 0 {
		return nil
	}
	return &p.Edges[len(p.Edges)-1].Cursor
}

// maxEmptyPages bounds how many empty upstream pages in a row are followed.
const maxEmptyPages = 5

// errBadToken reports a cursor whose page token this list cannot have issued.
var errBadToken = apperr.BadInput("invalid cursor: pass a cursor this connection returned")

// errStuck reports an upstream that keeps answering empty pages.
var errStuck = &apperr.Error{Code: apperr.UpstreamInvalid, Message: "the upstream kept returning empty pages"}

// Paginate maps Relay forward pagination onto a token-paged upstream.
// scope names the list and its arguments: a cursor is only accepted by the
// scope that issued it. key returns an item's stable id. The page is exact:
// hasNextPage is true only if another item exists, which may cost one
// look-ahead fetch when the page ends exactly at an upstream page boundary.
//
// leftovers (may be nil) keeps the upstream page a request stopped in (the rest
// of it, or a look-ahead page) for the request that continues there, so a
// walk costs one upstream call per upstream page whatever `first` it uses.
// walks (may be nil) remembers what each walk was shown, so one the
// upstream leads back into itself ends (Page.Ended). Cursors are issued and
// checked by codec.
func Paginate[T any](ctx context.Context, codec *Codec, args Args, lim Limits, scope string, key func(T) string, fetch Fetch[T], leftovers *Leftovers[T], walks *Walks) (Page[T], error) {
	args = args.withoutEmptyCursors()
	first, err := checkArgs(args, lim)
	if err != nil {
		return Page[T]{}, err
	}
	p := Page[T]{HasPreviousPage: args.After != nil}
	w := walker[T]{codec: codec, scope: scopeHash(scope), fetch: fetch, key: key, leftovers: leftovers, gen: leftovers.generation()}
	if lim.PageSize != nil {
		w.size = lim.PageSize(first)
	}
	if args.After == nil {
		if walks != nil {
			w.walkID = newWalkID()
		}
		w.hist = walks.get(w.walkID)
		err = w.load(ctx, "", w.size)
	} else {
		err = w.resume(ctx, *args.After, scope, lim, walks)
	}
	if err == errLeadsBack {
		p.Ended = err
		return p, nil
	}
	if err != nil {
		return Page[T]{}, err
	}
	for empties := 0; ; {
		for ; w.i < len(w.items) && len(p.Edges) < first; w.i++ {
			p.Edges = append(p.Edges, Edge[T]{Cursor: w.cursor(key), Node: w.items[w.i]})
		}
		if w.i < len(w.items) {
			// The rest of this upstream page is where the next request
			// starts: keep it, so continuing costs no refetch.
			w.leftovers.put(scope+"\x00"+w.token, w.items, w.next, w.cur, w.gen)
			p.HasNextPage = true
			return p, nil
		}
		if w.next == "" {
			return p, nil
		}
		if args.SkipPeek && len(p.Edges) == first {
			p.HasNextPage = true
			return p, nil
		}
		if empties = empties + 1; len(w.items) > 0 {
			empties = 0
		}
		if empties > maxEmptyPages {
			return Page[T]{}, errStuck
		}
		peek := len(p.Edges) == first // only to learn whether more items exist
		if err := w.load(ctx, w.next, w.size); err == errLeadsBack {
			p.Ended = err
			return p, nil
		} else if err != nil {
			return Page[T]{}, err
		}
		if peek && len(w.items) > 0 {
			w.leftovers.put(scope+"\x00"+w.token, w.items, w.next, w.cur, w.gen)
		}
	}
}

// withoutEmptyCursors reads an empty after or before as absent.
func (a Args) withoutEmptyCursors() Args {
	if a.After != nil && *a.After == "" {
		a.After = nil
	}
	if a.Before != nil && *a.Before == "" {
		a.Before = nil
	}
	return a
}

func checkArgs(args Args, lim Limits) (int, error) {
	if args.Last != nil || args.Before != nil {
		return 0, apperr.BadInput("backward pagination (last/before) is not supported: page forward with first/after")
	}
	if args.First == nil {
		return lim.Default, nil
	}
	if f := *args.First; f < 0 || f > lim.Max {
		return 0, apperr.BadInput("first must be between 0 and %d", lim.Max) // not echoed: it may be anything
	}
	return *args.First, nil
}

// walker is the position in the upstream pages.
type walker[T any] struct {
	codec     *Codec
	scope     string
	fetch     Fetch[T]
	key       func(T) string
	leftovers *Leftovers[T]
	walkID    string // the walk's id, carried by its cursors ("" without Walks)
	hist      *walk  // what the walk was shown (nil: not remembered)
	gen       uint64 // the leftovers' generation when this walk began
	size      int    // upstream page size for new pages (0: Fetch decides)
	token     string // token of the current page
	cur       int    // the size the current page was fetched with
	items     []T
	next      string
	i         int // next item to emit
}

// load fetches the page behind token and checks it against the walk
// (errLeadsBack: it leads back into the walk; rows of the page before are
// left out).
func (w *walker[T]) load(ctx context.Context, token string, size int) error {
	items, next, err := w.fetch(ctx, token, size)
	if err != nil {
		return err
	}
	if w.hist != nil {
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = w.key(it)
		}
		keep, err := w.hist.visit(token, keys, next)
		if err != nil {
			return err
		}
		items = keepOnly(items, keep)
	}
	w.token, w.cur, w.items, w.next, w.i = token, size, items, next, 0
	return nil
}

// keepOnly returns the items whose keep is true (all when none is false).
func keepOnly[T any](items []T, keep []bool) []T {
	for i, k := range keep {
		if !k {
			out := append([]T(nil), items[:i]...)
			for j := i + 1; j < len(items); j++ {
				if keep[j] {
					out = append(out, items[j])
				}
			}
			return out
		}
	}
	return items
}

// resume positions the walker just after the cursor's item, in the
// cursor's walk.
func (w *walker[T]) resume(ctx context.Context, after, scope string, lim Limits, walks *Walks) error {
	c, err := w.codec.decode(after, scope, lim)
	if err != nil {
		return err
	}
	key := w.key
	w.walkID = c.Walk
	if w.walkID == "" && walks != nil {
		w.walkID = newWalkID() // a cursor issued before walks were remembered
	}
	w.hist = walks.get(w.walkID)
	if c.Last {
		// The item ended its page: go straight to the next one (or to the end).
		if c.Next == "" {
			w.token, w.items, w.next = c.Token, nil, ""
			return nil
		}
		if items, next, size, ok := w.leftovers.take(scope + "\x00" + c.Next); ok {
			w.token, w.cur, w.items, w.next, w.i = c.Next, size, items, next, 0
			return nil
		}
		return w.load(ctx, c.Next, w.size)
	}
	if items, next, size, ok := w.leftovers.take(scope + "\x00" + c.Token); ok && c.Off < len(items) && key(items[c.Off]) == c.Key {
		w.token, w.cur, w.items, w.next, w.i = c.Token, size, items, next, c.Off+1
		return nil
	}
	if err := w.load(ctx, c.Token, c.Size); err != nil {
		return err
	}
	w.i = c.Off + 1
	if c.Off < len(w.items) && key(w.items[c.Off]) == c.Key {
		return nil
	}
	// The page shifted since the cursor was issued: find the item by id, else
	// keep the offset.
	for j, it := range w.items {
		if key(it) == c.Key {
			w.i = j + 1
			break
		}
	}
	w.i = min(w.i, len(w.items))
	return nil
}

func (w *walker[T]) cursor(key func(T) string) string {
	c := cursor{V: cursorVersion, Scope: w.scope, Walk: w.walkID, Token: w.token, Size: w.cur, Off: w.i, Key: key(w.items[w.i])}
	if w.i == len(w.items)-1 {
		c.Last, c.Next = true, w.next
	}
	return w.codec.encode(c)
}
