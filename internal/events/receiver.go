package events

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// Receiver is the address Tanma pushes events to (POST /tanma/events by
// default). It checks the push is ours (appId, sign in constant time,
// timestamp window, version), decrypts it, applies it once (Apply; a
// replay of an applied msgId is acknowledged and not applied again), and
// acknowledges it. Anything else is refused with a 4xx that says no more
// than "refused". It logs each push's type, msgId and outcome, never its
// content.
type Receiver struct {
	AppID  string
	CorpID string // the key of the push encryption's IV (tanma.CorpID)
	AppKey tanma.Secret
	// Window is how far a push's timestamp may be from this clock
	// (default DefaultWindow).
	Window time.Duration
	// MaxBody bounds a push body (default DefaultMaxBody).
	MaxBody int64
	// BodyTimeout bounds how long a push's body may take to arrive once
	// its headers have (http.Server's ReadHeaderTimeout bounds those):
	// a body slower than that is cut and answered 408, so a sender that
	// trickles it cannot hold a connection and a goroutine for long.
	// Default DefaultBodyTimeout; it applies when the ResponseWriter can
	// set read deadlines (http.NewResponseController), as a server's can.
	BodyTimeout time.Duration
	Dedup       Dedup
	// Apply acts on a new event (corrects the caches, tells the
	// subscriptions); an error leaves the push unacknowledged, so Tanma
	// sends it again, and lets it be applied then.
	Apply func(context.Context, Event) error
	Log   *slog.Logger
	// Count (may be nil) hears each push's type and outcome: applied,
	// replay, ignored (a type the gateway does not act on), unreadable (a
	// content not in the documented shape, acknowledged), in_progress (a
	// re-send while the first is being applied, not acknowledged), failed,
	// or refused.
	Count func(pushType, outcome string)

	now func() time.Time
}

// Defaults of a Receiver.
const (
	DefaultWindow  = 5 * time.Minute
	DefaultMaxBody = 64 << 10
	// DefaultBodyTimeout is how long a push's body may take to arrive:
	// a push is a few hundred bytes, sent at once.
	DefaultBodyTimeout = 5 * time.Second
)

// ServeHTTP receives one push.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		rc.refuse(w, "", http.StatusMethodNotAllowed, "method")
		return
	}
	// The body's deadline runs from here, just after its headers.
	rc.bodyDeadline(w)
	maxBody, window := rc.MaxBody, rc.Window
	if maxBody <= 0 {
		maxBody = DefaultMaxBody
	}
	if window <= 0 {
		window = DefaultWindow
	}
	now := time.Now
	if rc.now != nil {
		now = rc.now
	}
	if err := tanma.VerifyPush(r.Header, rc.AppID, rc.AppKey, now(), window); err != nil {
		status := http.StatusUnauthorized
		if errors.Is(err, tanma.ErrPushVersion) || errors.Is(err, tanma.ErrMissingHeader) {
			status = http.StatusBadRequest
		}
		rc.refuse(w, "", status, reason(err))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			rc.refuse(w, "", http.StatusRequestEntityTooLarge, "too large")
		case errors.Is(err, os.ErrDeadlineExceeded):
			rc.refuse(w, "", http.StatusRequestTimeout, "body too slow")
		default:
			rc.refuse(w, "", http.StatusBadRequest, "unreadable")
		}
		return
	}
	plain, err := tanma.DecryptPush(body, rc.CorpID, rc.AppKey)
	if err != nil {
		rc.refuse(w, "", http.StatusBadRequest, "undecryptable")
		return
	}
	env, err := tanma.ParsePushEnvelope(plain)
	if err != nil {
		rc.refuse(w, "", http.StatusBadRequest, "malformed")
		return
	}
	ev, act, err := FromPush(env, now())
	switch {
	case err != nil:
		// Tanma's, but not in the documented shape: refusing it would have
		// Tanma re-send it until it takes the address offline, and every
		// other push with it.
		rc.Log.Warn("push content not in the documented shape: acknowledged, not applied", "type", env.Type, "msg_id", env.MsgID)
		rc.ack(w, env, "unreadable")
		return
	case !act:
		rc.ack(w, env, "ignored")
		return
	}
	switch rc.Dedup.Claim(r.Context(), env.MsgID) {
	case Replay:
		rc.ack(w, env, "replay")
		return
	case InProgress:
		// Its first delivery is still being applied: acknowledging this one
		// would lose the push if that apply failed.
		rc.Log.Info("push event", "type", env.Type, "msg_id", env.MsgID, "outcome", "in progress")
		rc.count(env.Type, "in_progress")
		http.Error(w, "being applied: send again later", http.StatusServiceUnavailable)
		return
	}
	done := context.WithoutCancel(r.Context())
	if err := rc.Apply(r.Context(), ev); err != nil {
		rc.Dedup.Release(done, env.MsgID)
		rc.Log.Warn("push event not applied: left unacknowledged for Tanma to send again", "type", env.Type, "msg_id", env.MsgID, "err", err.Error())
		rc.count(env.Type, "failed")
		http.Error(w, "not applied: send again later", http.StatusServiceUnavailable)
		return
	}
	rc.Dedup.Applied(done, env.MsgID)
	rc.ack(w, env, "applied")
}

// bodyDeadline sets the connection's read deadline BodyTimeout from now,
// so that reading a body slower than that fails (os.ErrDeadlineExceeded).
// Once the body is read whole, the server lifts the deadline itself (it
// starts its background read of the idle connection), so the bound never
// ends the push's context while the push is applied. Without deadline
// support (a recorder in tests) the body is read unbounded.
func (rc *Receiver) bodyDeadline(w http.ResponseWriter) {
	d := rc.BodyTimeout
	if d <= 0 {
		d = DefaultBodyTimeout
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(d))
}

// ack acknowledges a push: HTTP 200 whose body is the push's noise as
// plain decimal text. Tanma's page says the receiver answers with the
// noise; the exact shape of that answer was not recovered from it, so this
// shape is an assumption (see README, "Live data").
func (rc *Receiver) ack(w http.ResponseWriter, env tanma.PushEnvelope, outcome string) {
	rc.Log.Info("push event", "type", env.Type, "msg_id", env.MsgID, "outcome", outcome)
	rc.count(env.Type, outcome)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, env.Noise)
}

// refuse answers a push that is not ours or not readable: the status and
// "push refused", nothing an attacker could learn from; the log says why.
func (rc *Receiver) refuse(w http.ResponseWriter, pushType string, status int, why string) {
	rc.Log.Warn("push refused", "status", status, "reason", why)
	rc.count(pushType, "refused")
	http.Error(w, "push refused", status)
}

func (rc *Receiver) count(pushType, outcome string) {
	if rc.Count != nil {
		rc.Count(pushType, outcome)
	}
}

// reason names a verification failure for the log.
func reason(err error) string {
	switch {
	case errors.Is(err, tanma.ErrMissingHeader):
		return "missing header"
	case errors.Is(err, tanma.ErrUnknownApp):
		return "another app id"
	case errors.Is(err, tanma.ErrBadSignature):
		return "bad sign"
	case errors.Is(err, tanma.ErrStaleTimestamp):
		return "timestamp outside the window"
	case errors.Is(err, tanma.ErrPushVersion):
		return "unknown version"
	}
	return "refused"
}
