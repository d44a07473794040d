package auth

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCaller(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		caller    Caller
		can       map[string]bool
		maySee    map[string]bool
		wantScope bool
	}{
		{
			name:   "unscoped",
			caller: Caller{ID: "k", Kind: KindAPIKey, Permissions: []string{PermIntrospect}},
			can:    map[string]bool{PermIntrospect: true, PermWrite: false},
			maySee: map[string]bool{"dowen": true, "anyone": true},
		},
		{
			name:      "scoped",
			caller:    Caller{ID: "k", Kind: KindAPIKey, StaffIDs: []string{"alice", "dowen"}},
			can:       map[string]bool{PermIntrospect: false, PermWrite: false},
			maySee:    map[string]bool{"dowen": true, "bob": false, "": false},
			wantScope: true,
		},
		{
			name:      "scoped to nobody",
			caller:    Caller{ID: "k", Kind: KindJWT, StaffIDs: []string{}},
			maySee:    map[string]bool{"dowen": false},
			wantScope: true,
		},
		{
			name:   "anonymous, read only",
			caller: Anonymous(),
			can:    map[string]bool{PermIntrospect: false, PermWrite: false, "admin": false},
			maySee: map[string]bool{"dowen": true},
		},
		{
			name:   "anonymous with every permission (the sandbox)",
			caller: Anonymous(Permissions()...),
			can:    map[string]bool{PermIntrospect: true, PermWrite: true, "admin": false},
			maySee: map[string]bool{"dowen": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for p, want := range tt.can {
				assert.Equal(t, want, tt.caller.Can(p), "Can(%q)", p)
			}
			for id, want := range tt.maySee {
				assert.Equal(t, want, tt.caller.MaySee(id), "MaySee(%q)", id)
			}
			assert.Equal(t, tt.wantScope, tt.caller.Scoped())
		})
	}
}

func TestContext(t *testing.T) {
	t.Parallel()
	_, ok := FromContext(context.Background())
	assert.False(t, ok, "an empty context has no caller")

	c := Caller{ID: "dashboard", Kind: KindAPIKey, Permissions: []string{PermWrite}, StaffIDs: []string{"dowen"}}
	got, ok := FromContext(WithCaller(context.Background(), c))
	assert.True(t, ok)
	assert.Equal(t, c, got)
}

func TestAnonymous(t *testing.T) {
	t.Parallel()
	a := Anonymous(PermWrite, PermIntrospect, PermWrite)
	assert.Equal(t, Caller{ID: "anonymous", Kind: KindAnonymous, Permissions: []string{"introspect", "write"}}, a)
	assert.False(t, a.Scoped())
	assert.Equal(t, Caller{ID: "anonymous", Kind: KindAnonymous, Permissions: []string{}}, Anonymous())
}
