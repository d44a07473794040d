package auth

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/tanma-gql/gateway/internal/auth/authtest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echo answers 200 with the caller from the context, or 204 when there is none.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, ok := FromContext(r.Context())
	if !ok {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	_ = json.NewEncoder(w).Encode(c)
})

func TestMiddleware(t *testing.T) {
	t.Parallel()
	key := authtest.NewRSAKey(t, "rsa-1")
	srv := authtest.NewJWKS(t, key)
	both := newAuth(t, Config{
		APIKeys: []APIKey{{ID: "dashboard", SHA256: HashAPIKey(key1), Permissions: []string{PermIntrospect}}},
		JWT:     jwtConfig(srv),
	})
	waitLoaded(t, both, 1)
	keysOnly := newAuth(t, Config{APIKeys: []APIKey{{ID: "dashboard", SHA256: HashAPIKey(key1)}}, Realm: `my "realm"`})
	open := newAuth(t, Config{Open: true, OpenPermissions: []string{PermIntrospect, PermWrite}})
	readOnly := newAuth(t, Config{Open: true})

	expired := key.Sign(t, authtest.Claims(func(c jwt.MapClaims) { c["exp"] = 1 }))
	tests := []struct {
		name      string
		auth      *Authenticator
		method    string
		headers   []string
		status    int
		caller    *Caller
		challenge []string
		message   string
	}{
		{
			name: "no credentials", auth: both, status: http.StatusUnauthorized,
			challenge: []string{`Bearer realm="tanma-gateway"`, `ApiKey realm="tanma-gateway"`},
			message:   "missing credentials: send an API key in X-API-Key or a token in Authorization: Bearer",
		},
		{
			name: "expired token", auth: both, headers: []string{"Authorization", "Bearer " + expired}, status: http.StatusUnauthorized,
			challenge: []string{`Bearer realm="tanma-gateway", error="invalid_token", error_description="token is expired"`},
			message:   "token is expired",
		},
		{
			name: "unknown API key", auth: both, headers: []string{"X-API-Key", "nope"}, status: http.StatusUnauthorized,
			challenge: []string{`ApiKey realm="tanma-gateway", error="invalid_key", error_description="unknown API key"`},
			message:   "unknown API key",
		},
		{
			name: "two credentials", auth: both, headers: []string{"X-API-Key", key1, "Authorization", "Bearer " + expired}, status: http.StatusUnauthorized,
			challenge: []string{
				`Bearer realm="tanma-gateway", error="invalid_request", error_description="send one credential: the request carries more than one API key or token"`,
				`ApiKey realm="tanma-gateway", error="invalid_request", error_description="send one credential: the request carries more than one API key or token"`,
			},
			message: "send one credential: the request carries more than one API key or token",
		},
		{
			name: "custom realm is quoted", auth: keysOnly, status: http.StatusUnauthorized,
			challenge: []string{`ApiKey realm="my \"realm\""`},
			message:   "missing credentials: send an API key in X-API-Key",
		},
		{
			name: "valid API key", auth: both, headers: []string{"X-API-Key", key1}, status: http.StatusOK,
			caller: &Caller{ID: "dashboard", Kind: KindAPIKey, Permissions: []string{"introspect"}},
		},
		{
			name: "valid token", auth: both, headers: []string{"Authorization", "Bearer " + key.Sign(t, authtest.Claims(nil))}, status: http.StatusOK,
			caller: &Caller{ID: "user-1", Kind: KindJWT, Permissions: []string{"introspect"}, StaffIDs: []string{"dowen"}},
		},
		{name: "OPTIONS passes through without a caller", auth: both, method: http.MethodOptions, status: http.StatusNoContent},
		{name: "OPTIONS with a bad key passes through", auth: keysOnly, method: http.MethodOptions, headers: []string{"X-API-Key", "nope"}, status: http.StatusNoContent},
		{name: "open mode", auth: open, status: http.StatusOK, caller: &Caller{ID: "anonymous", Kind: KindAnonymous, Permissions: []string{"introspect", "write"}}},
		{name: "open mode, read only by default", auth: readOnly, status: http.StatusOK, caller: &Caller{ID: "anonymous", Kind: KindAnonymous, Permissions: []string{}}},
		{name: "open mode ignores credentials", auth: open, headers: []string{"X-API-Key", "nope"}, status: http.StatusOK, caller: &Caller{ID: "anonymous", Kind: KindAnonymous, Permissions: []string{"introspect", "write"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = http.MethodPost
			}
			rec := httptest.NewRecorder()
			tt.auth.Middleware(echo).ServeHTTP(rec, request(method, tt.headers...))
			require.Equal(t, tt.status, rec.Code)
			if tt.caller != nil {
				var got Caller
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
				assert.Equal(t, *tt.caller, withoutUntil(t, got))
			}
			if tt.status != http.StatusUnauthorized {
				assert.Empty(t, rec.Header().Values("WWW-Authenticate"))
				return
			}
			assert.Equal(t, tt.challenge, rec.Header().Values("WWW-Authenticate"))
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.JSONEq(t, `{"errors":[{"message":`+quoteJSON(t, tt.message)+`,"extensions":{"code":"UNAUTHENTICATED"}}]}`, rec.Body.String())
			assert.NotContains(t, rec.Body.String(), expired)
			assert.NotContains(t, rec.Body.String(), key1)
		})
	}
}

func quoteJSON(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

func TestMiddlewareNeverReadsTheBody(t *testing.T) {
	t.Parallel()
	a := apiKeyAuth(t)
	body := &failingBody{t: t}
	r := httptest.NewRequest(http.MethodPost, "/query", body)
	r.Header.Set("X-API-Key", key1)
	rec := httptest.NewRecorder()
	a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })).ServeHTTP(rec, r)
	assert.Equal(t, http.StatusOK, rec.Code)
}

type failingBody struct{ t *testing.T }

func (b *failingBody) Read([]byte) (int, error) {
	b.t.Error("the body was read")
	return 0, nil
}
