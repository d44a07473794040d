package tanma

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// result is what one attempt, or one logical call, produced.
type result struct {
	status  int             // HTTP status, 0 when no answer arrived
	data    json.RawMessage // the envelope's data on success (read-only: shared)
	err     error           // an *APIError, nil on success
	outcome string          // Outcome* of the attempt; "" when nothing was sent
	sent    bool            // the request was written out in full
}

// deadlineFunc reports the latest time a call's result is still wanted.
type deadlineFunc func() (time.Time, bool)

// guarded makes one logical call through path's circuit breaker: while the
// circuit is open it fails at once, sending nothing; otherwise the call runs
// with its retries and its final result counts once, so a flaky upstream
// that retries absorb never opens the circuit, and a dead one opens it after
// a few calls.
func (c *Client) guarded(ctx context.Context, path string, raw []byte, write bool, deadline deadlineFunc) result {
	b := c.breakers.get(path)
	if b == nil {
		return c.run(ctx, path, raw, write, deadline)
	}
	done, err := b.cb.Allow()
	if err != nil {
		_, end := c.startCall(ctx, path)
		end(CallInfo{Path: path, Attempt: 1, Outcome: OutcomeCircuitOpen, Circuit: b.cb.State().String()})
		return result{outcome: OutcomeCircuitOpen,
			err: &APIError{Endpoint: path, RetryAfter: b.remaining(), Err: ErrCircuitOpen}}
	}
	res := c.run(ctx, path, raw, write, deadline)
	done(breakerVerdict(ctx, res))
	return res
}

// attempt makes one upstream attempt of a call: it waits for the local rate
// limit and a slot, then sends the request and reads the envelope, reporting
// the attempt to the observer.
func (c *Client) attempt(ctx context.Context, path string, raw []byte, n int, deadline deadlineFunc) result {
	if err := c.waitQuota(ctx, path, deadline); err != nil {
		if errors.Is(err, ErrLocalRateLimit) {
			_, end := c.startCall(ctx, path)
			end(CallInfo{Path: path, Attempt: n, Outcome: OutcomeQuota, Circuit: c.circuit(path)})
		}
		return result{err: err} // nothing sent
	}
	if c.slots != nil {
		select {
		case c.slots <- struct{}{}:
			defer func() { <-c.slots }()
		case <-ctx.Done():
			return result{err: &APIError{Endpoint: path, Err: ctx.Err()}}
		}
	}
	octx, end := c.startCall(ctx, path)
	start := time.Now()
	res := c.send(octx, path, raw)
	info := CallInfo{Path: path, Attempt: n, Duration: time.Since(start), Outcome: res.outcome, HTTPStatus: res.status,
		Circuit: c.circuit(path)}
	var e *APIError
	if errors.As(res.err, &e) {
		info.Code = e.Code
	}
	end(info)
	return res
}

// circuit is the state of path's circuit breaker, "" without one.
func (c *Client) circuit(path string) string {
	if b := c.breakers.get(path); b != nil {
		return b.cb.State().String()
	}
	return ""
}

// waitQuota takes a permit of the app's QPS quota, waiting under ctx; a
// wait that would end after the deadline fails at once.
func (c *Client) waitQuota(ctx context.Context, path string, deadline deadlineFunc) error {
	if c.quota == nil {
		return nil
	}
	dl, _ := deadline()
	wait, err := c.quota.Wait(ctx, dl)
	if err != nil {
		return &APIError{Endpoint: path, RetryAfter: wait, Err: err}
	}
	return nil
}

// send signs raw with a fresh timestamp, POSTs it and reads the envelope,
// under the client's per-attempt timeout.
func (c *Client) send(ctx context.Context, path string, raw []byte) result {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var wrote atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+path, bytes.NewReader(raw))
	if err != nil {
		return result{err: &APIError{Endpoint: path, Err: err}}
	}
	ts := Timestamp(c.now())
	sign := Sign(c.appID, ts, raw, c.appKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set(HeaderAppID, c.appID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSign, sign)
	if c.sendAppKey {
		req.Header.Set(HeaderAppKey, c.appKey.Reveal())
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		err = transportCause(err)
		return result{err: &APIError{Endpoint: path, Err: err}, outcome: transportOutcome(ctx, err), sent: wrote.Load()}
	}
	defer resp.Body.Close()
	buf := readBuffers.Get().(*bytes.Buffer)
	defer putReadBuffer(buf)
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, c.maxBody+1)); err != nil {
		// The answer broke off: a transport failure, whatever the status said.
		err = transportCause(err)
		return result{err: &APIError{Endpoint: path, Err: err}, outcome: transportOutcome(ctx, err), sent: true}
	}
	// The envelope's data is copied out of buf (json.RawMessage copies), so
	// buf can go back to the pool.
	env, err := c.decodeEnvelope(path, sign, resp.StatusCode, resp.Header, buf.Bytes())
	return result{status: resp.StatusCode, data: env, err: err, outcome: answerOutcome(resp.StatusCode, err), sent: true}
}

// readBuffers hold upstream answers while their envelope is decoded: a
// customer page is about 100 KB, which io.ReadAll would grow to from 512
// bytes on every call.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps an unusually large answer's buffer out of the pool.
const maxPooledBuffer = 1 << 20

func putReadBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		readBuffers.Put(b)
	}
}

// transportCause keeps context errors matchable and drops the URL that
// *url.Error would add (it is noise, and the query could carry data).
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err
}

// transportOutcome classifies a failure to get a whole answer; when the
// attempt's context has ended, why it ended decides (a shared call cancelled
// because its last caller's deadline passed is a timeout).
func transportOutcome(ctx context.Context, err error) string {
	if cause := context.Cause(ctx); cause != nil {
		err = cause
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return OutcomeCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return OutcomeTimeout
	}
	return OutcomeTransport
}

// answerOutcome classifies an answer that arrived whole.
func answerOutcome(status int, err error) string {
	switch {
	case status == http.StatusTooManyRequests:
		return OutcomeRateLimited
	case status >= 500:
		return OutcomeHTTP5xx
	case status < 200 || status > 299:
		return OutcomeHTTP4xx
	case errors.Is(err, ErrBadResponse):
		return OutcomeBadResponse
	case err != nil:
		return OutcomeError
	}
	return OutcomeOK
}

// upstreamFailure reports whether an attempt's outcome says the upstream is
// struggling: what is retried (for reads) and what trips a breaker.
func upstreamFailure(outcome string) bool {
	switch outcome {
	case OutcomeTransport, OutcomeTimeout, OutcomeHTTP5xx, OutcomeRateLimited:
		return true
	}
	return false
}
