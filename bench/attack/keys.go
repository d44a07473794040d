package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// The API keys the gateway under attack accepts (API_KEYS). Each attack
// uses its own, so the per-caller bounds are hit where intended: the socket
// flood spreads over two keys of MAX_SOCKETS_PER_CALLER connections each,
// the overflow sets use a third, and the HTTP phase's keys hold no
// permission (introspection, writes) but the one a case needs.
const (
	keyHostile = "attack-hostile-7c1f"   // the HTTP phase: no permission
	keyScoped  = "attack-scoped-93ab"    // sees dowen's customers only
	keyFloodA  = "attack-flood-a-41d2"   // half of the socket flood
	keyFloodB  = "attack-flood-b-5e88"   // the other half
	keyFloodC  = "attack-flood-c-0a6b"   // the per-address overflow set
	keyPush    = "attack-push-d017"      // the push burst's subscribers
	keyWriter  = "attack-writer-2f4e"    // has write: mutations with bad input
	keyUnknown = "attack-not-a-key-ffff" // configured nowhere
)

// apiKeys is the gateway's API_KEYS: only the SHA-256 of each key.
func apiKeys() string {
	type key struct {
		ID          string   `json:"id"`
		SHA256      string   `json:"sha256"`
		Permissions []string `json:"permissions"`
		Staff       []string `json:"staff,omitempty"`
	}
	sum := func(k string) string { s := sha256.Sum256([]byte(k)); return hex.EncodeToString(s[:]) }
	keys := []key{
		{ID: "hostile", SHA256: sum(keyHostile), Permissions: []string{}},
		{ID: "scoped", SHA256: sum(keyScoped), Permissions: []string{}, Staff: []string{"dowen"}},
		{ID: "flood-a", SHA256: sum(keyFloodA), Permissions: []string{}},
		{ID: "flood-b", SHA256: sum(keyFloodB), Permissions: []string{}},
		{ID: "flood-c", SHA256: sum(keyFloodC), Permissions: []string{}},
		{ID: "push", SHA256: sum(keyPush), Permissions: []string{}},
		{ID: "writer", SHA256: sum(keyWriter), Permissions: []string{"write"}},
	}
	b, _ := json.Marshal(keys) // strings only: cannot fail
	return string(b)
}
