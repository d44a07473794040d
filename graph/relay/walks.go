package relay

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// A walk is one client paging through one list from its first page: each
// of its cursors carries the walk's id. Walks remembers, per walk, what the
// upstream's pages answered, so a walk that leads back into itself ends
// with an error instead of going round forever or showing a row twice:
//
//   - a page whose next token is its own, or a token an earlier page of
//     the walk had (other than the next token that same page gave before:
//     a client may ask a page again), is a cycle;
//   - a page holding the first row of an earlier page of the walk starts
//     over rows already shown;
//   - rows of the page just before it are left out (an upstream that
//     overlaps its pages), and a page of nothing else leads back too.
//
// The memory is per replica and bounded: a walk continued on another
// replica, or after its record was dropped (least recently used, or idle
// for WalkTTL), is checked from there on.
type Walks struct {
	walks *lru.Cache[string, *walk]
	now   func() time.Time
}

// Defaults of NewWalks: a few thousand walks of up to a few hundred pages.
const (
	DefaultWalks = 4096
	WalkTTL      = 30 * time.Minute
)

// errLeadsBack ends a walk whose upstream led back into it.
var errLeadsBack = &apperr.Error{Code: apperr.UpstreamInvalid,
	Message: "the upstream's pages led back to pages already shown (a repeating cursor or rows): the list ends here"}

// NewWalks remembers up to n walks.
func NewWalks(n int) *Walks {
	c, _ := lru.New[string, *walk](max(n, 1))
	return &Walks{walks: c, now: time.Now}
}

// walk is what one walk's pages answered.
type walk struct {
	mu     sync.Mutex
	at     time.Time           // when a page of it was last loaded
	next   map[string]string   // page token → the next token that page gave
	firsts map[string]string   // first row of a page → that page's token
	last   map[string]struct{} // the rows of the page loaded last
	// dropped holds, for each page loaded, the rows it repeated from the
	// page before it, left out again when it is asked again.
	dropped map[string]map[string]struct{}
}

// newWalkID returns the id of a new walk.
func newWalkID() string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// get returns the record of walk id, a new one when there is none (or it
// was idle too long). A nil *Walks remembers nothing.
func (ws *Walks) get(id string) *walk {
	if ws == nil || id == "" {
		return nil
	}
	now := ws.now()
	w, ok := ws.walks.Get(id)
	if !ok || now.Sub(w.at) > WalkTTL {
		w = &walk{next: map[string]string{}, firsts: map[string]string{}, dropped: map[string]map[string]struct{}{}}
		ws.walks.Add(id, w)
	}
	w.mu.Lock()
	w.at = now
	w.mu.Unlock()
	return w
}

// visit records a page the walk loaded (token, its rows' keys in order,
// its next token) and returns which rows to show: all of them, less those
// the page before showed. It fails when the page leads back into the walk.
func (w *walk) visit(token string, keys []string, next string) (keep []bool, err error) {
	if w == nil {
		return nil, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if next != "" && next == token {
		return nil, errLeadsBack
	}
	if gave, again := w.next[token]; !again || gave != next {
		if _, seen := w.next[next]; next != "" && seen {
			return nil, errLeadsBack
		}
	}
	w.next[token] = next
	for _, k := range keys {
		if t, ok := w.firsts[k]; ok && t != token {
			return nil, errLeadsBack
		}
	}
	if len(keys) > 0 {
		w.firsts[keys[0]] = token
	}
	drop, again := w.dropped[token]
	if !again {
		for _, k := range keys {
			if _, before := w.last[k]; before {
				if drop == nil {
					drop = map[string]struct{}{}
				}
				drop[k] = struct{}{}
			}
		}
		w.dropped[token] = drop
	}
	keep = make([]bool, len(keys))
	shown := 0
	for i, k := range keys {
		_, repeated := drop[k]
		if keep[i] = !repeated; keep[i] {
			shown++
		}
	}
	if len(keys) > 0 && shown == 0 {
		return nil, errLeadsBack
	}
	w.last = make(map[string]struct{}, len(keys))
	for _, k := range keys {
		w.last[k] = struct{}{}
	}
	return keep, nil
}
