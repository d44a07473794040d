package graph

import (
	"time"

	"github.com/tanma-gql/gateway/internal/apperr"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// window is an optional creation-time window [since, before).
type window struct{ since, before *time.Time }

// check refuses a window that ends before it starts.
func (w window) check() error {
	if w.since != nil && w.before != nil && w.since.After(*w.before) {
		return apperr.BadInput("createdSince must not be after createdBefore")
	}
	return nil
}

// chinaSecond formats t as Tanma's "yyyy-MM-dd HH:mm:ss" China time,
// rounded up to a whole second: Tanma's times are whole seconds, so a bound
// between two seconds selects the same records as the next whole second.
func chinaSecond(t time.Time) string {
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.In(tanma.Shanghai).Format(tanma.DateTimeLayout)
}

// bounds returns the window as Tanma strings: since inclusive, before
// exclusive, open ends closed with far bounds. empty reports a window that
// holds no whole second.
func (w window) bounds() (since, before string, empty bool) {
	since, before = windowStart, windowEnd
	if w.since != nil {
		since = chinaSecond(*w.since)
	}
	if w.before != nil {
		before = chinaSecond(*w.before)
	}
	return since, before, since >= before
}

// Open-ended windows are closed with these bounds, China time.
const (
	windowStart = "1970-01-01 08:00:00"
	windowEnd   = "2999-12-31 23:59:59"
)
