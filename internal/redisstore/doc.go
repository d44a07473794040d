// Package redisstore keeps the state that replicas of the gateway must share in
// Redis, and nothing else: the app's upstream QPS quota (Quota, a GCRA
// across replicas), automatic persisted queries (PersistedQueries), the
// reference data (RefStore: one upstream load per TTL for the whole fleet),
// each caller's budget of query cost (CallerBudgets), the event bus's
// channel between replicas (PublishEvent, ListenEvents: Tanma's pushes and
// the customers a write changed) and which pushes were applied (Dedup).
// Nothing per user lives in a replica, so any request can go to any one.
//
// Redis is a shared cache, never a dependency of a request: when it does not
// answer, every part falls back to its in-process equivalent (a local limiter
// at the replica's share of the quota, local caches), the Store logs the
// degradation once, and the next successful call restores sharing.
package redisstore
