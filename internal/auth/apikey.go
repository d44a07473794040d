package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// APIKey is one accepted key; only its SHA-256 is configured.
type APIKey struct {
	ID          string   `json:"id"`
	SHA256      string   `json:"sha256"` // lowercase hex of SHA-256 of the key
	Permissions []string `json:"permissions"`
	StaffIDs    []string `json:"staff"` // omitted/null: unscoped
}

// ParseAPIKeys reads a JSON array of APIKey (the API_KEYS setting) and
// validates it (ids unique and non-empty, sha256 = 64 hex chars, known
// permissions only, no empty staff id). Unknown fields are an error, so a
// typo cannot silently drop a scope. A blank s means no keys.
func ParseAPIKeys(s string) ([]APIKey, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var keys []APIKey
	if err := dec.Decode(&keys); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("api keys: unexpected data after the JSON array")
	}
	if _, err := compileAPIKeys(keys); err != nil {
		return nil, err
	}
	return keys, nil
}

// jsonError describes a decoding error without quoting the input, which holds hashes.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("api keys: invalid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		where := "the top level"
		if typ.Field != "" {
			where = fmt.Sprintf("field %q", typ.Field)
		}
		return fmt.Errorf("api keys: %s must be %s, got a JSON %s", where, typ.Type, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("api keys: truncated JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return fmt.Errorf("api keys: %s (want id, sha256, permissions, staff)", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return errors.New("api keys: not a JSON array of {id, sha256, permissions, staff}")
	}
}

// keyEntry is a validated key: its hash and the caller it authenticates.
type keyEntry struct {
	hash   [sha256.Size]byte
	caller Caller
}

// compileAPIKeys validates keys and turns them into entries. Its errors name
// the key by position and id, never by hash.
func compileAPIKeys(keys []APIKey) ([]keyEntry, error) {
	var errs []error
	ids := make(map[string]bool, len(keys))
	hashes := make(map[[sha256.Size]byte]string, len(keys))
	entries := make([]keyEntry, 0, len(keys))
	for i, k := range keys {
		name := fmt.Sprintf("api key #%d", i+1)
		if k.ID != "" {
			name += fmt.Sprintf(" %q", k.ID)
		}
		var e keyEntry
		switch {
		case k.ID == "":
			errs = append(errs, fmt.Errorf("%s: id is required", name))
		case ids[k.ID]:
			errs = append(errs, fmt.Errorf("%s: id is used twice", name))
		}
		ids[k.ID] = true
		if !decodeHash(&e.hash, k.SHA256) {
			errs = append(errs, fmt.Errorf("%s: sha256 must be 64 hex characters (the SHA-256 of the key, not the key)", name))
		} else if other, dup := hashes[e.hash]; dup {
			errs = append(errs, fmt.Errorf("%s: same sha256 as api key %q", name, other))
		} else {
			hashes[e.hash] = k.ID
		}
		for _, p := range k.Permissions {
			if !knownPermission(p) {
				errs = append(errs, fmt.Errorf("%s: unknown permission %q (known: %s)", name, p, strings.Join(Permissions(), ", ")))
			}
		}
		for _, s := range k.StaffIDs {
			if strings.TrimSpace(s) == "" {
				errs = append(errs, fmt.Errorf("%s: staff has an empty id", name))
			}
		}
		perms := normalize(k.Permissions)
		if perms == nil {
			perms = []string{}
		}
		e.caller = Caller{ID: k.ID, Kind: KindAPIKey, Permissions: perms, StaffIDs: normalize(k.StaffIDs)}
		entries = append(entries, e)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return entries, nil
}

// decodeHash decodes 64 hex characters (either case) into h.
func decodeHash(h *[sha256.Size]byte, s string) bool {
	if len(s) != hex.EncodedLen(sha256.Size) {
		return false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return err == nil
}

// matchAPIKey finds the entry whose hash is SHA-256(key). It compares against
// every entry in constant time and never stops early, so the time taken does
// not tell which key, if any, matched.
func matchAPIKey(entries []keyEntry, key string) (Caller, bool) {
	sum := sha256.Sum256([]byte(key))
	found := -1
	for i := range entries {
		eq := subtle.ConstantTimeCompare(sum[:], entries[i].hash[:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 {
		return Caller{}, false
	}
	return entries[found].caller, true
}

// HashAPIKey returns the lowercase hex SHA-256 of key, the form API_KEYS holds.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}
