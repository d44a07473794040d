package redisstore

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLateAnswersDoNotFlipHealth: a call begun before Redis failed and
// succeeding late does not end the outage, and a caller's own deadline does
// not start one; each change is logged once.
func TestLateAnswersDoNotFlipHealth(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := &Store{rdb: redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}), log: slog.New(slog.NewTextHandler(&logs, nil))}
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()

	ended, cancel := context.WithCancel(ctx)
	cancel()
	_ = s.record(ended, errors.New("i/o timeout"))
	require.True(t, s.Up(), "the caller's context ended: nothing is known of Redis")
	_ = s.record(deadlinePassed{ctx}, errors.New("i/o timeout"))
	require.True(t, s.Up(), "the caller's deadline passed, its timer not yet run: nothing is known of Redis")

	_ = s.record(ctx, errors.New("connection refused"))
	require.False(t, s.Up())
	_ = s.record(ctx, nil) // begun before the failure, answering late
	assert.False(t, s.Up(), "a late answer does not end the outage")

	s.mu.Lock()
	s.downAt = s.downAt.Add(-probeEvery) // a probe's answer, a second later
	s.mu.Unlock()
	_ = s.record(ctx, nil)
	assert.True(t, s.Up())
	assert.Equal(t, 1, strings.Count(logs.String(), "redis unreachable"))
	assert.Equal(t, 1, strings.Count(logs.String(), "redis answers again"))
}

// deadlinePassed is a context whose deadline has passed but whose timer has
// not yet marked it done (Err is still nil): the moment go-redis's read,
// bounded by that deadline, reports a network timeout.
type deadlinePassed struct{ context.Context }

func (deadlinePassed) Deadline() (time.Time, bool) { return time.Now().Add(-time.Millisecond), true }
