package requestlog

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"
)

// Done is told about every finished request, for metrics.
type Done func(r *http.Request, status int, d time.Duration, s Snapshot)

// validID accepts caller-chosen request ids that are safe to echo and log.
var validID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Middleware gives every request an Entry (with the caller's X-Request-Id
// when it is a safe token, else a random one), echoes the id in the
// response, turns a rate-limit rejection into HTTP 429 with Retry-After, and
// logs one line per request. done (may be nil) hears of each request.
func Middleware(log *slog.Logger, done Done, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !validID.MatchString(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		e := &Entry{ID: id, remoteAddr: r.RemoteAddr}
		w.Header().Set("X-Request-Id", id)
		rec := &recorder{ResponseWriter: w, entry: e, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r.WithContext(With(r.Context(), e)))
		d := time.Since(start)
		s := e.Snapshot()
		attrs := []slog.Attr{
			slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		}
		if s.Operation != "" {
			attrs = append(attrs, slog.String("operation", s.Operation))
		}
		if s.Caller != "" {
			attrs = append(attrs, slog.String("caller", s.Caller))
		}
		if s.Complexity > 0 {
			attrs = append(attrs, slog.Int("complexity", s.Complexity))
		}
		if s.UpstreamCalls > 0 {
			attrs = append(attrs, slog.Int64("upstream_calls", s.UpstreamCalls))
		}
		if len(s.Codes) > 0 {
			attrs = append(attrs, slog.Any("error_codes", s.Codes))
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
		if done != nil {
			done(r, rec.status, d, s)
		}
	})
}

// recorder notes the status and applies a rate-limit rejection.
type recorder struct {
	http.ResponseWriter
	entry       *Entry
	status      int
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if r.wroteHeader {
		return
	}
	r.wroteHeader = true
	if ra := r.entry.Snapshot().RetryAfter; ra > 0 {
		code = http.StatusTooManyRequests
		r.Header().Set("Retry-After", strconv.Itoa(int((ra+time.Second-1)/time.Second)))
	}
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.WriteHeader(http.StatusOK)
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
