package tanma

import "time"

// Window is a creation-time window [Since, Before) in domain values: either
// end may be open (nil). It encodes as Tanma's "yyyy-MM-dd HH:mm:ss" China
// time bounds, which are whole seconds.
type Window struct{ Since, Before *time.Time }

// Open reports whether the window bounds nothing.
func (w Window) Open() bool { return w.Since == nil && w.Before == nil }

// Inverted reports whether the window ends before it starts.
func (w Window) Inverted() bool {
	return w.Since != nil && w.Before != nil && w.Since.After(*w.Before)
}

// Bounds returns the window as list-by-relation-create-time's since
// (inclusive) and before (exclusive), open ends closed with far bounds.
// empty reports a window that holds no whole second: nothing to ask.
func (w Window) Bounds() (since, before string, empty bool) {
	since, before = windowStart, windowEnd
	if w.Since != nil {
		since = chinaSecond(*w.Since)
	}
	if w.Before != nil {
		before = chinaSecond(*w.Before)
	}
	return since, before, since >= before
}

// TimeRange returns the window as search's createTime, whose end is
// inclusive ("23:59:59" in Tanma's example): the last whole second before
// Before. Nil for an open window.
func (w Window) TimeRange() *TimeRange {
	if w.Open() {
		return nil
	}
	r := &TimeRange{}
	if w.Since != nil {
		r.Start = chinaSecond(*w.Since)
	}
	if w.Before != nil {
		end, _ := time.ParseInLocation(DateTimeLayout, chinaSecond(*w.Before), Shanghai)
		r.End = end.Add(-time.Second).Format(DateTimeLayout)
	}
	return r
}

// chinaSecond formats t as Tanma's "yyyy-MM-dd HH:mm:ss" China time,
// rounded up to a whole second: Tanma's times are whole seconds, so a bound
// between two seconds selects the same records as the next whole second.
func chinaSecond(t time.Time) string {
	if t.Nanosecond() != 0 {
		t = t.Truncate(time.Second).Add(time.Second)
	}
	return t.In(Shanghai).Format(DateTimeLayout)
}

// Open-ended windows are closed with these bounds, China time.
const (
	windowStart = "1970-01-01 08:00:00"
	windowEnd   = "2999-12-31 23:59:59"
)
