package redisstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/logtest"
	"github.com/tanma-gql/gateway/internal/redisstore"
)

// replica is one gateway's Store over a shared Redis, with its log.
type replica struct {
	store *redisstore.Store
	log   *logtest.Buffer
}

// newReplica opens a Store on url, as one replica would.
func newReplica(t *testing.T, url string) *replica {
	t.Helper()
	log, buf := logtest.JSON(nil)
	r := &replica{log: buf}
	s, err := redisstore.Open(url, "ww-test", log)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	r.store = s
	return r
}

// miniRedis is an in-process Redis for unit tests.
func miniRedis(t *testing.T) (*miniredis.Miniredis, string) {
	t.Helper()
	m := miniredis.RunT(t)
	return m, "redis://" + m.Addr() + "/0"
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, cond func() bool, msg string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// countingQuota is a fallback quota that counts its calls.
type countingQuota struct{ calls atomic.Int64 }

func (c *countingQuota) Wait(context.Context, time.Time) (time.Duration, error) {
	c.calls.Add(1)
	return 0, nil
}
