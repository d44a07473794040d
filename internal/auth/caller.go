package auth

import (
	"context"
	"slices"
	"time"
)

// Kind is how a caller authenticated.
type Kind string

// The kinds of caller.
const (
	KindAPIKey    Kind = "api_key"   // authenticated with an API key
	KindJWT       Kind = "jwt"       // authenticated with a bearer JWT
	KindAnonymous Kind = "anonymous" // authentication is off (Config.Open)
)

// The permissions a caller may hold.
const (
	PermIntrospect = "introspect" // may run introspection queries (__schema, __type)
	PermWrite      = "write"      // may run mutations
	// PermPersonalData: may see personal data whole (phone numbers,
	// addresses...: the fields graph/personal.graphqls marks @personal);
	// without it they are masked.
	PermPersonalData = "personal-data"
)

// AnonymousID is the ID of the caller when authentication is off.
const AnonymousID = "anonymous"

// Permissions lists every known permission, sorted.
func Permissions() []string { return []string{PermIntrospect, PermPersonalData, PermWrite} }

func knownPermission(p string) bool { return slices.Contains(Permissions(), p) }

// Caller is who made a request.
type Caller struct {
	ID          string   // API key id, or the JWT "sub"; "anonymous" when auth is off
	Kind        Kind     // KindAPIKey, KindJWT, KindAnonymous
	Permissions []string // e.g. "introspect", "write" (sorted, deduplicated)
	StaffIDs    []string // qwUserIds the caller may see; nil means every staff member (unscoped)
	// Until is when the caller's credential stops being accepted: a JWT's
	// exp plus the leeway. Zero for credentials without an end (API keys,
	// anonymous). A long-lived connection ends then (internal/executor).
	Until time.Time
}

// Anonymous is the caller of every request when authentication is off:
// unscoped, with the given permissions (reading needs none).
func Anonymous(permissions ...string) Caller {
	return Caller{ID: AnonymousID, Kind: KindAnonymous, Permissions: normalize(append([]string{}, permissions...))}
}

// Can reports whether the caller holds permission.
func (c Caller) Can(permission string) bool { return slices.Contains(c.Permissions, permission) }

// MaySee reports whether the caller may see the staff member qwUserID and
// their customers: true when the caller is unscoped or lists qwUserID.
func (c Caller) MaySee(qwUserID string) bool {
	return c.StaffIDs == nil || slices.Contains(c.StaffIDs, qwUserID)
}

// Scoped reports whether the caller is limited to the staff members in
// StaffIDs. A scoped caller with no StaffIDs sees no staff member at all.
func (c Caller) Scoped() bool { return c.StaffIDs != nil }

type callerKey struct{}

// WithCaller returns a copy of ctx carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// FromContext returns the caller stored in ctx by the middleware or
// WithCaller; ok is false when there is none, which must be treated as an
// unauthenticated request.
func FromContext(ctx context.Context) (c Caller, ok bool) {
	c, ok = ctx.Value(callerKey{}).(Caller)
	return c, ok
}

// normalize returns ids sorted, deduplicated and without empty strings. It
// keeps the difference between nil (unscoped) and empty (scoped to nothing).
func normalize(ids []string) []string {
	if ids == nil {
		return nil
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
