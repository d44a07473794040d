package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tanma-gql/gateway/bench/queries"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// BenchmarkDeferredFollowUps measures what @defer buys README's dashboard:
// the query with each customer's latest follow-up (one upstream call per
// customer), over real HTTP to the handler, the sandbox 20 ms away on every
// call, reference data warm, and every page one whose follow-ups have not
// been read yet (a walk through dowen's 1,234 customers, 50 at a time; a
// fresh gateway when it ends). Reported: when the first part (the rows)
// and the last (every follow-up) arrived, streamed with the follow-ups
// deferred, and the one JSON answer of the same page. "quota 10/s" is the
// same with TANMA_QPS's default of 10 calls a second (run it with
// -benchtime 3x: a page's follow-ups take seconds).
func BenchmarkDeferredFollowUps(b *testing.B) {
	for _, tc := range []struct {
		name      string
		query     string
		multipart bool
		qps       float64
	}{
		{"streamed", queries.DashboardDeferredFollowUps, true, 0},
		{"one JSON answer", queries.DashboardFollowUps, false, 0},
		{"streamed, quota 10/s", queries.DashboardDeferredFollowUps, true, 10},
		{"one JSON answer, quota 10/s", queries.DashboardFollowUps, false, 10},
	} {
		b.Run(tc.name, func(b *testing.B) {
			w := newColdWalk(b, tc.qps)
			var first, last time.Duration
			for b.Loop() {
				f, l := w.next(b, tc.query, tc.multipart)
				first += f
				last += l
			}
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-part-ms")
			b.ReportMetric(float64(last.Microseconds())/1000/float64(b.N), "complete-ms")
		})
	}
}

// coldWalk pages through dowen's customers, each page's follow-ups unread.
type coldWalk struct {
	qps   float64
	srv   *httptest.Server
	after any // the next page's cursor (nil: the walk is to start again)
}

func newColdWalk(b *testing.B, qps float64) *coldWalk {
	w := &coldWalk{qps: qps}
	w.restart(b)
	return w
}

// restart serves a fresh gateway (no follow-up read yet) 20 ms from its
// upstream and warms its reference data with the first page, without
// follow-ups: the walk goes on from the second.
func (w *coldWalk) restart(b *testing.B) {
	b.StopTimer()
	defer b.StartTimer()
	if w.srv != nil {
		w.srv.Close()
	}
	e := newEnvLogged(b, nil, slog.New(slog.DiscardHandler), tanma.WithRateLimit(w.qps, int(w.qps)))
	e.sb.SetFaults(sandbox.Faults{Latency: 20 * time.Millisecond})
	w.srv = httptest.NewServer(e.h)
	b.Cleanup(w.srv.Close)
	w.after = nil
	w.page(b, queries.Dashboard, false)
}

// next asks the walk's next page with query, and returns when its first
// part and its last had arrived.
func (w *coldWalk) next(b *testing.B, query string, multipart bool) (first, last time.Duration) {
	if w.after == nil {
		w.restart(b)
	}
	return w.page(b, query, multipart)
}

func (w *coldWalk) page(b *testing.B, query string, multipartAccept bool) (first, last time.Duration) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"owner": "dowen", "after": w.after}})
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if multipartAccept {
		req.Header.Set("Accept", "multipart/mixed;deferSpec=20220824,application/json")
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var parts [][]byte
	mediaType, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mediaType == "multipart/mixed" {
		mr := multipart.NewReader(resp.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			raw, err := io.ReadAll(p)
			if err != nil {
				b.Fatal(err)
			}
			if len(parts) == 0 {
				first = time.Since(start)
			}
			parts = append(parts, raw)
		}
		if multipartAccept && len(parts) < 2 {
			b.Fatalf("%d parts", len(parts))
		}
	} else {
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			b.Fatal(err)
		}
		first = time.Since(start)
		parts = append(parts, raw)
	}
	last = time.Since(start)
	for _, p := range parts {
		if resp.StatusCode != http.StatusOK || bytes.Contains(p, []byte(`"errors"`)) {
			b.Fatalf("status %d: %.500s", resp.StatusCode, p)
		}
	}
	var page struct {
		Data struct {
			Customers struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
	}
	if err := json.Unmarshal(parts[0], &page); err != nil {
		b.Fatal(err)
	}
	w.after = nil
	if info := page.Data.Customers.PageInfo; info.HasNextPage {
		w.after = info.EndCursor
	}
	return first, last
}
