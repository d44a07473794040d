package tanma

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log/slog"
)

// Secret holds a credential (the app key) and never prints it.
type Secret string

const redacted = "[REDACTED]"

// Reveal returns the secret value; call it only where the value is used.
func (s Secret) Reveal() string { return string(s) }

// String redacts the secret.
func (s Secret) String() string { return redacted }

// GoString redacts the secret in %#v.
func (s Secret) GoString() string { return redacted }

// Format redacts the secret for every fmt verb.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON redacts the secret in JSON.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText redacts the secret in text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue redacts the secret in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

var (
	_ fmt.Stringer   = Secret("")
	_ fmt.Formatter  = Secret("")
	_ slog.LogValuer = Secret("")
)

// Derive returns a key for one of the gateway's own purposes (signing
// cursors, naming callers' budgets), derived from the app key: every
// replica of the app can compute it, nobody without the app key can, and
// the app key cannot be recovered from it.
func (s Secret) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, []byte(s))
	m.Write([]byte("tanma-gateway key for " + purpose))
	return m.Sum(nil)
}

// DerivedKey is the client's app key derived for purpose (see
// Secret.Derive).
func (c *Client) DerivedKey(purpose string) []byte { return c.appKey.Derive(purpose) }
