package auth

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	key1 = "tk_live_first_0123456789abcdef"
	key2 = "tk_live_second_fedcba9876543210"
)

func apiKeyAuth(t *testing.T) *Authenticator {
	t.Helper()
	return newAuth(t, Config{APIKeys: []APIKey{
		{ID: "dashboard", SHA256: HashAPIKey(key1), Permissions: []string{PermWrite, PermIntrospect, PermWrite}, StaffIDs: []string{"dowen", "alice"}},
		{ID: "dashboard-next", SHA256: strings.ToUpper(HashAPIKey(key2)), Permissions: []string{PermIntrospect}},
	}})
}

func TestAuthenticateAPIKey(t *testing.T) {
	t.Parallel()
	a := apiKeyAuth(t)
	first := Caller{ID: "dashboard", Kind: KindAPIKey, Permissions: []string{"introspect", "write"}, StaffIDs: []string{"alice", "dowen"}}
	second := Caller{ID: "dashboard-next", Kind: KindAPIKey, Permissions: []string{"introspect"}}
	tests := []struct {
		name    string
		headers []string
		want    Caller
		reason  error
		message string
	}{
		{name: "valid key, permissions and staff scope carried over", headers: []string{"X-API-Key", key1}, want: first},
		{name: "rotated second key", headers: []string{"X-API-Key", key2}, want: second},
		{name: "header name is case-insensitive", headers: []string{"x-api-key", key2}, want: second},
		{name: "Authorization ApiKey form", headers: []string{"Authorization", "ApiKey " + key1}, want: first},
		{name: "scheme is case-insensitive", headers: []string{"Authorization", "apikey " + key2}, want: second},
		{name: "unknown key", headers: []string{"X-API-Key", "tk_live_revoked"}, reason: ErrInvalidAPIKey, message: "unknown API key"},
		{name: "key differs in case", headers: []string{"X-API-Key", strings.ToUpper(key1)}, reason: ErrInvalidAPIKey, message: "unknown API key"},
		{name: "hash sent as key", headers: []string{"X-API-Key", HashAPIKey(key1)}, reason: ErrInvalidAPIKey, message: "unknown API key"},
		{name: "empty header", headers: []string{"X-API-Key", ""}, reason: ErrInvalidAPIKey, message: "API key is empty"},
		{name: "empty ApiKey authorization", headers: []string{"Authorization", "ApiKey"}, reason: ErrInvalidAPIKey, message: "API key is empty"},
		{name: "no credentials", reason: ErrMissingCredentials, message: "missing credentials: send an API key in X-API-Key"},
		{name: "both headers", headers: []string{"X-API-Key", key1, "Authorization", "Bearer abc.def.ghi"}, reason: ErrMultipleCredentials, message: "send one credential"},
		{name: "key in both forms", headers: []string{"X-API-Key", key1, "Authorization", "ApiKey " + key1}, reason: ErrMultipleCredentials, message: "send one credential"},
		{name: "two keys", headers: []string{"X-API-Key", key1, "X-API-Key", key2}, reason: ErrMultipleCredentials, message: "send one credential"},
		{name: "bearer when JWT is off", headers: []string{"Authorization", "Bearer abc.def.ghi"}, reason: ErrUnsupportedCredentials, message: "bearer tokens are not accepted"},
		{name: "basic auth", headers: []string{"Authorization", "Basic dXNlcjpwYXNz"}, reason: ErrUnsupportedCredentials, message: "unsupported Authorization scheme"},
		{name: "empty authorization", headers: []string{"Authorization", ""}, reason: ErrMalformedCredentials, message: "Authorization header is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := a.Authenticate(request(http.MethodPost, tt.headers...))
			if tt.reason == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.message)
			assert.Equal(t, Caller{}, got)
			var e *Error
			require.ErrorAs(t, err, &e)
			for i := 1; i < len(tt.headers); i += 2 {
				if v := strings.TrimPrefix(tt.headers[i], "ApiKey "); len(v) > 8 {
					assert.NotContains(t, err.Error(), v, "the error echoes a credential")
					assert.NotContains(t, err.Error(), HashAPIKey(v), "the error echoes a hash")
				}
			}
		})
	}
}

func TestAuthenticateAPIKeyCallerIsACopy(t *testing.T) {
	t.Parallel()
	keys := []APIKey{{ID: "k", SHA256: HashAPIKey(key1), Permissions: []string{PermWrite}, StaffIDs: []string{"dowen"}}}
	a := newAuth(t, Config{APIKeys: keys})
	keys[0].StaffIDs[0] = "someone-else"
	got, err := a.Authenticate(request(http.MethodPost, "X-API-Key", key1))
	require.NoError(t, err)
	assert.Equal(t, []string{"dowen"}, got.StaffIDs, "changing the config after New must not change callers")
}

func TestParseAPIKeys(t *testing.T) {
	t.Parallel()
	hash := HashAPIKey(key1)
	tests := []struct {
		name    string
		in      string
		want    []APIKey
		wantErr string
	}{
		{name: "blank", in: "  ", want: nil},
		{name: "empty array", in: "[]", want: []APIKey{}},
		{
			name: "full",
			in:   fmt.Sprintf(`[{"id":"ci","sha256":%q,"permissions":["introspect"],"staff":["dowen"]},{"id":"ops","sha256":%q}]`, hash, HashAPIKey(key2)),
			want: []APIKey{
				{ID: "ci", SHA256: hash, Permissions: []string{"introspect"}, StaffIDs: []string{"dowen"}},
				{ID: "ops", SHA256: HashAPIKey(key2)},
			},
		},
		{name: "scoped to nobody", in: fmt.Sprintf(`[{"id":"ci","sha256":%q,"staff":[]}]`, hash), want: []APIKey{{ID: "ci", SHA256: hash, StaffIDs: []string{}}}},
		{name: "not JSON", in: "ci:" + hash, wantErr: "invalid JSON at byte"},
		{name: "object, not array", in: fmt.Sprintf(`{"id":"ci","sha256":%q}`, hash), wantErr: "must be []auth.APIKey"},
		{name: "truncated", in: `[{"id":"ci"`, wantErr: "truncated JSON"},
		{name: "trailing data", in: `[] []`, wantErr: "unexpected data after the JSON array"},
		{name: "unknown field", in: fmt.Sprintf(`[{"id":"ci","sha256":%q,"permission":["write"]}]`, hash), wantErr: `unknown field "permission"`},
		{name: "wrong type", in: fmt.Sprintf(`[{"id":"ci","sha256":%q,"staff":"dowen"}]`, hash), wantErr: `field "staff" must be []string`},
		{name: "missing id", in: fmt.Sprintf(`[{"sha256":%q}]`, hash), wantErr: "api key #1: id is required"},
		{name: "duplicate id", in: fmt.Sprintf(`[{"id":"ci","sha256":%q},{"id":"ci","sha256":%q}]`, hash, HashAPIKey(key2)), wantErr: `api key #2 "ci": id is used twice`},
		{name: "key instead of hash", in: fmt.Sprintf(`[{"id":"ci","sha256":%q}]`, key1), wantErr: "sha256 must be 64 hex characters"},
		{name: "hash too long", in: fmt.Sprintf(`[{"id":"ci","sha256":%q}]`, hash+"00"), wantErr: "sha256 must be 64 hex characters"},
		{name: "not hex", in: fmt.Sprintf(`[{"id":"ci","sha256":%q}]`, strings.Repeat("zz", 32)), wantErr: "sha256 must be 64 hex characters"},
		{name: "duplicate hash", in: fmt.Sprintf(`[{"id":"a","sha256":%q},{"id":"b","sha256":%q}]`, hash, hash), wantErr: `api key #2 "b": same sha256 as api key "a"`},
		{name: "unknown permission", in: fmt.Sprintf(`[{"id":"ci","sha256":%q,"permissions":["admin"]}]`, hash), wantErr: `unknown permission "admin"`},
		{name: "empty staff id", in: fmt.Sprintf(`[{"id":"ci","sha256":%q,"staff":["dowen",""]}]`, hash), wantErr: "staff has an empty id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAPIKeys(tt.in)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.NotContains(t, err.Error(), hash, "errors must not echo hashes")
			assert.NotContains(t, err.Error(), key1, "errors must not echo keys")
		})
	}
}

func TestMatchAPIKeyChecksEveryKey(t *testing.T) {
	t.Parallel()
	entries, err := compileAPIKeys([]APIKey{{ID: "a", SHA256: HashAPIKey("a")}, {ID: "b", SHA256: HashAPIKey("b")}, {ID: "c", SHA256: HashAPIKey("c")}})
	require.NoError(t, err)
	for _, id := range []string{"a", "b", "c"} {
		c, ok := matchAPIKey(entries, id)
		assert.True(t, ok)
		assert.Equal(t, id, c.ID)
	}
	_, ok := matchAPIKey(entries, "d")
	assert.False(t, ok)
	_, ok = matchAPIKey(nil, "a")
	assert.False(t, ok)
}
