// Package refdata caches the upstream's reference data across requests: the
// customer field definitions with their options, the tag library and the
// staff directory. Each is a Value: served from memory while fresh, refreshed
// in the background when older, shared between concurrent loads, and kept
// when a refresh fails. Indexes for lookups by id are built once per load.
package refdata
