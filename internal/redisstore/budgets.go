package redisstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/tanma-gql/gateway/internal/limits"
)

// CallerBudgets are the per-caller budgets of query cost
// (CALLER_COST_PER_SECOND) shared by every replica: a caller spends one
// budget wherever its requests land. While Redis is down each replica
// keeps budgets of its own (the fallback).
type CallerBudgets struct {
	store     *Store
	perSecond float64
	burst     int
	fallback  limits.Budget
	idKey     []byte // keys the HMAC that names a caller's budget in Redis
}

var _ limits.Budget = (*CallerBudgets)(nil)

// CallerBudgets returns budgets refilled at perSecond up to burst. Redis
// sees callers only as HMACs under idKey, a secret every replica shares
// (a caller id may be personal: a token's subject, a client's IP address,
// which a plain hash would not hide).
func (s *Store) CallerBudgets(perSecond float64, burst int, fallback limits.Budget, idKey []byte) *CallerBudgets {
	return &CallerBudgets{store: s, perSecond: perSecond, burst: burst, fallback: fallback, idKey: idKey}
}

// Allow implements limits.Budget: spend cost now, or refuse with the
// time until the budget covers it. A cost over the burst never passes.
func (b *CallerBudgets) Allow(ctx context.Context, key string, cost int) (bool, time.Duration) {
	cost = max(cost, 1)
	if !b.store.usable() {
		return b.fallback.Allow(ctx, key, cost)
	}
	mac := hmac.New(sha256.New, b.idKey)
	mac.Write([]byte(key))
	ok, wait, err := b.store.spend(ctx, b.store.key("budget:"+hex.EncodeToString(mac.Sum(nil)[:16])), b.perSecond, b.burst, cost, 0)
	if err != nil {
		return b.fallback.Allow(ctx, key, cost)
	}
	return ok, wait
}
