package logtest_test

import (
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/logtest"
)

// TestBufferTakesConcurrentWrites: lines written from many goroutines while
// the buffer is read all arrive whole (run with -race).
func TestBufferTakesConcurrentWrites(t *testing.T) {
	t.Parallel()
	log, buf := logtest.JSON(nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for j := range 50 {
				log.Info("line", "writer", i, "n", j)
				_ = buf.String()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 8*50, strings.Count(buf.String(), `"msg":"line"`))
}

// TestJSONLevel: the logger drops what is below its level (nil: info).
func TestJSONLevel(t *testing.T) {
	t.Parallel()
	info, infoBuf := logtest.JSON(nil)
	debug, debugBuf := logtest.JSON(slog.LevelDebug)
	for _, l := range []*slog.Logger{info, debug} {
		l.Debug("quiet")
		l.Info("loud")
	}
	assert.NotContains(t, infoBuf.String(), "quiet")
	assert.Contains(t, infoBuf.String(), `"level":"INFO","msg":"loud"`)
	assert.Contains(t, debugBuf.String(), `"level":"DEBUG","msg":"quiet"`)
}
