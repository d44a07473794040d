package executor_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/auth"
	"github.com/tanma-gql/gateway/internal/executor"
	"github.com/tanma-gql/gateway/internal/executor/wstest"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox/sandboxtest"
	"github.com/tanma-gql/gateway/internal/server"
)

// TestCredentialsNoLongerAcceptedEndTheSocket: a connection's credentials
// are checked again while it is open (Subscriptions.Recheck); once they
// are no longer accepted it is closed with 4403, its subscriptions with it.
func TestCredentialsNoLongerAcceptedEndTheSocket(t *testing.T) {
	t.Parallel()
	var revoked atomic.Bool
	o := executor.Options{Subscriptions: executor.Subscriptions{
		Recheck: 50 * time.Millisecond,
		Authenticate: func(ctx context.Context, _ map[string]any) (context.Context, error) {
			ctx = auth.WithCaller(ctx, auth.Caller{ID: "dash", Kind: auth.KindAPIKey})
			return executor.WithRecheck(ctx, func(context.Context) error {
				if revoked.Load() {
					return errors.New("unknown API key")
				}
				return nil
			}), nil
		},
	}}
	_, tc := sandboxtest.Start(t, nil)
	ts := httptest.NewServer(server.GraphQL(server.NewResolver(tc, slog.New(slog.DiscardHandler), refdata.DefaultPolicy, nil), o))
	t.Cleanup(ts.Close)
	c := wstest.Dial(t, ts.URL, nil)
	require.Equal(t, "connection_ack", c.Init(nil))
	assert.Equal(t, websocket.StatusCode(-1), c.Ended(300*time.Millisecond), "accepted: stays open")
	revoked.Store(true)
	assert.Equal(t, websocket.StatusCode(4403), c.Ended(5*time.Second))
}
