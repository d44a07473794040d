package customers

import (
	"slices"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/tanma-gql/gateway/internal/loaders"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// recentCache remembers, across requests and for a short time, the customers
// that list pages returned and the follow-up pages read. A dashboard lists
// customers, then refetches the one a user opens by id (node, customer):
// that lookup is served from here instead of a search call; and it shows
// each row's latest follow-up, one upstream call per customer (Tanma has no
// multi-customer read), which the next page view or refresh within
// FollowUpTTL costs nothing. Entries are the upstream's own records, the
// least recently used going first when it is full; the visibility check of
// every lookup still applies, and a write forgets what it changed. A nil
// *recentCache remembers nothing.
type recentCache struct {
	lru       *lru.Cache[tanma.ID, recentEntry]
	followUps *lru.Cache[loaders.FollowUpKey, followUpEntry]
	gone      *lru.Cache[tanma.ID, time.Time] // customers a write changed, and when
	ttl       time.Duration
	now       func() time.Time
}

type followUpEntry struct {
	page tanma.FollowUpPage
	at   time.Time
}

// FollowUpTTL is how long a follow-up page is served from memory: a
// follow-up added in Tanma's own UI shows in the gateway within this time
// (one added through the gateway at once: a write forgets its customer).
const FollowUpTTL = 30 * time.Second

type recentEntry struct {
	c  *tanma.Customer
	at time.Time
}

// Defaults of newRecent's bounds: a few pages of every active dashboard.
const (
	DefaultRecentSize = 10000
	DefaultRecentTTL  = time.Minute
)

// newRecent returns a cache of at most size customers, each kept ttl.
func newRecent(size int, ttl time.Duration) *recentCache {
	c, err := lru.New[tanma.ID, recentEntry](max(size, 1))
	if err != nil {
		panic(err) // only for a size below 1, which max rules out
	}
	gone, _ := lru.New[tanma.ID, time.Time](max(size, 1))
	followUps, _ := lru.New[loaders.FollowUpKey, followUpEntry](max(size, 1))
	return &recentCache{lru: c, followUps: followUps, gone: gone, ttl: ttl, now: time.Now}
}

// addFollowUps remembers a follow-up page, unless a write changed its
// customer less than TTL ago.
func (r *recentCache) addFollowUps(k loaders.FollowUpKey, page tanma.FollowUpPage) {
	if r == nil {
		return
	}
	now := r.now()
	if at, ok := r.gone.Get(k.CustomerID); ok && now.Sub(at) <= r.ttl {
		return
	}
	r.followUps.Add(k, followUpEntry{page: page, at: now})
}

// getFollowUps returns a follow-up page read less than FollowUpTTL ago.
func (r *recentCache) getFollowUps(k loaders.FollowUpKey) (tanma.FollowUpPage, bool) {
	if r == nil {
		return tanma.FollowUpPage{}, false
	}
	e, ok := r.followUps.Get(k)
	if !ok || r.now().Sub(e.at) > min(r.ttl, FollowUpTTL) {
		return tanma.FollowUpPage{}, false
	}
	return e.page, true
}

// add remembers a listed customer, unless a write changed it less than TTL
// ago: the list may have been read before the write.
func (r *recentCache) add(c *tanma.Customer) {
	if r == nil {
		return
	}
	now := r.now()
	if at, ok := r.gone.Get(c.CustomerID); ok && now.Sub(at) <= r.ttl {
		return
	}
	r.lru.Add(c.CustomerID, recentEntry{c: c, at: now})
}

// forget forgets customers a write changed, and keeps lists read before
// the write from bringing them back for TTL.
func (r *recentCache) forget(ids ...tanma.ID) {
	if r == nil {
		return
	}
	for _, id := range ids {
		r.gone.Add(id, r.now())
		r.lru.Remove(id)
	}
	for _, k := range r.followUps.Keys() {
		if slices.Contains(ids, k.CustomerID) {
			r.followUps.Remove(k)
		}
	}
}

// get returns a customer listed less than TTL ago.
func (r *recentCache) get(id tanma.ID) (*tanma.Customer, bool) {
	if r == nil {
		return nil, false
	}
	e, ok := r.lru.Get(id)
	if !ok {
		return nil, false
	}
	if r.now().Sub(e.at) > r.ttl {
		r.lru.Remove(id)
		return nil, false
	}
	return e.c, true
}
