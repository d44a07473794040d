package telemetry

import (
	"sync"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// UpstreamHealth is what the gateway has seen of Tanma through the calls
// it made for its callers: no probe spends the app's quota to learn it.
// It feeds the gateway_upstream_up metric and the /upstream-status
// diagnostic; readiness does not follow it (a Tanma outage must not take
// every replica out of its Service).
type UpstreamHealth struct {
	mu          sync.Mutex
	lastSuccess time.Time
	lastFailure time.Time
	failure     tanma.CallInfo // the last failed attempt
	consecutive int            // failed attempts since the last success
	now         func() time.Time
}

// NewUpstreamHealth returns a tracker that has seen nothing yet.
func NewUpstreamHealth() *UpstreamHealth { return &UpstreamHealth{now: time.Now} }

// record notes one finished attempt. Attempts that say nothing of the
// upstream (cancelled by every caller, or held back by the gateway's own
// quota) are ignored; Tanma refusing a call with a code is an answer, so
// Tanma is up.
func (h *UpstreamHealth) record(ci tanma.CallInfo) {
	if h == nil || ci.Outcome == tanma.OutcomeCanceled || ci.Outcome == tanma.OutcomeQuota {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if ci.Outcome == tanma.OutcomeOK || ci.Outcome == tanma.OutcomeError {
		h.lastSuccess, h.consecutive = h.now(), 0
		return
	}
	h.lastFailure, h.failure = h.now(), ci
	h.consecutive++
}

// Up reports whether the last attempt that reached a verdict got an answer
// from Tanma (true before any attempt).
func (h *UpstreamHealth) Up() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.consecutive == 0
}

// UpstreamStatus is the /upstream-status document.
type UpstreamStatus struct {
	Up                  bool              `json:"up"`
	LastSuccess         *time.Time        `json:"lastSuccess,omitempty"`
	LastFailure         *FailedAttempt    `json:"lastFailure,omitempty"`
	ConsecutiveFailures int               `json:"consecutiveFailures"`
	Circuits            map[string]string `json:"circuits,omitempty"`
	StartCheck          string            `json:"startCheck"`
	// StartCheckProblem is why the start check has not passed yet (while
	// StartCheck is "waiting" after a failure): what the log said.
	StartCheckProblem string `json:"startCheckProblem,omitempty"`
}

// FailedAttempt describes a failed attempt: no request or answer data.
type FailedAttempt struct {
	At         time.Time `json:"at"`
	Endpoint   string    `json:"endpoint"`
	Outcome    string    `json:"outcome"`
	HTTPStatus int       `json:"httpStatus,omitempty"`
	Code       int       `json:"code,omitempty"`
}

// Status is what the tracker has seen.
func (h *UpstreamHealth) Status() UpstreamStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := UpstreamStatus{Up: h.consecutive == 0, ConsecutiveFailures: h.consecutive}
	if !h.lastSuccess.IsZero() {
		t := h.lastSuccess
		s.LastSuccess = &t
	}
	if !h.lastFailure.IsZero() {
		s.LastFailure = &FailedAttempt{At: h.lastFailure, Endpoint: h.failure.Path, Outcome: h.failure.Outcome,
			HTTPStatus: h.failure.HTTPStatus, Code: h.failure.Code}
	}
	return s
}
