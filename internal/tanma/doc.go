// Package tanma is the signed client for the Tanma (探马) SCRM OpenAPI.
//
// Every upstream call is a POST of a JSON body signed with
// sign = hex(SHA-256(appId + timestamp + rawBody + appKey)); answers come in a
// {code, message, data} envelope where code 0 is success. NewClient builds a
// Client; each endpoint is a method citing its upstream path. Sign and Verify
// are pure functions shared with the embedded sandbox. Every failure is turned
// into an *APIError in one place (see errors.go), so callers can use errors.Is
// with the sentinels below and never see the app key or a signature.
//
// # Reads and writes
//
// Client.Do is for reads (every endpoint method is one); Client.DoWrite is for
// calls that change upstream state. Both marshal the body once and sign and
// send those bytes, with a fresh timestamp on every attempt.
//
// # Retries
//
// A read is retried when the upstream looks unwell: a transport error
// (including an answer cut off midway), the per-attempt timeout (WithTimeout),
// HTTP 5xx, or HTTP 429. It is never retried on an answer that says the
// request itself is wrong: code != 0 (validation, 1002 signature rejected),
// another 4xx, or an answer that cannot be decoded (ErrBadResponse). Waits
// between attempts use exponential backoff with full jitter: before retry n
// (from 0) a uniformly random time in [0, min(base·2ⁿ, maxDelay)], and at least
// the Retry-After of a 429. A 429 asking for more than maxDelay is not retried
// (the error carries RetryAfter). A wait that would end after the caller's
// deadline is not started: the last upstream error is returned at once.
// Defaults: 3 attempts, base 100ms, max delay 2s (WithRetry).
//
// A clock-skew answer (code 1003) means the upstream rejected the request
// before acting on it: it is re-signed with a fresh timestamp and sent again
// at once, a single time, for reads and writes alike, on top of the retry
// budget. Writes are otherwise never retried. A write that was sent and got no
// answer (transport error, timeout, cancellation, or HTTP 502/504 from a
// gateway in front) fails with ErrUnknownOutcome as well as ErrUnavailable: it
// may or may not have taken effect. A write that could not be sent at all
// (connection refused) is plain ErrUnavailable.
//
// # Circuit breaking
//
// Each endpoint path has a circuit breaker (github.com/sony/gobreaker/v2). It
// opens after 5 consecutive failed calls (transport errors, timeouts, 5xx,
// 429 on the call's last attempt: a call counts once, whatever its retries,
// so a flaky upstream whose failures the retries absorb keeps its circuit
// closed), stays open 10s, then lets one probe call (with its retries)
// through: its success closes the circuit, its failure opens it again. Answers that blame
// the request (code != 0, 1002, 4xx, malformed answers) count as successes;
// attempts the callers abandoned, or that the client never sent, do not count.
// While open, calls fail at once, sending nothing, with an *APIError matching
// ErrCircuitOpen and ErrUnavailable whose RetryAfter is the time left open.
// WithBreaker tunes it (0 failures disables it); Client.CircuitStates reports
// each path's state for metrics and readiness.
//
// # Shared reads
//
// Identical reads in flight at once (same path, same body bytes) share one
// upstream call, retries included. The shared call runs detached from any
// caller (on context.WithoutCancel of the first caller's context, so its
// values, such as a trace span, carry over) and plans its retries against the
// latest deadline among its callers. Each caller waits under its own context
// and returns that context's error as soon as it ends; the shared call goes on
// while anyone still waits and is cancelled when the last caller leaves.
// Callers share only the raw answer: each decodes its own copy, and each gets
// its own *APIError. Writes are never shared.
//
// # Limits
//
// At most 32 upstream HTTP requests are in flight per client
// (WithMaxConcurrent); waiting for a slot ends with the caller's context. The
// gateway's own QPS limit (WithRateLimit, default 10/s, or any Quota through
// WithQuota, such as one shared by every replica) is taken per attempt; a
// wait for it that would pass the deadline fails at once with ErrLocalRateLimit
// (which also matches ErrRateLimited, but not ErrUnavailable): the limit is
// ours, not the upstream's, and nothing was sent.
//
// # Observing calls
//
// An Observer (WithObserver) is told about every HTTP attempt, and every
// circuit-open fast failure, without this package depending on a metrics or
// tracing library: StartCall returns the context the request is made with (a
// tracer may put its span there) and a function that receives a CallInfo when
// the attempt ends. CallInfo.Outcome is one of a closed set of values (see
// Outcomes), safe to use as a metric label; CallInfo holds no request or
// answer data.
package tanma
