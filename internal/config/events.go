package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/tanma-gql/gateway/internal/events"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// Events is where Tanma pushes events to and how they are checked.
type Events struct {
	// Path is the receiver's path (TANMA_EVENTS_PATH, default
	// /tanma/events; "off" turns the receiver off, and subscriptions hear
	// nothing). Register http(s)://<gateway>/<path> with Tanma.
	Path string
	// Window is how far a push's timestamp may be from the gateway's clock
	// (TANMA_EVENTS_WINDOW, default 5m).
	Window time.Duration
	// CorpID keys the push encryption's IV (TANMA_CORP_ID, default the app
	// id up to its first "_", which is how Tanma's page says app ids are
	// made).
	CorpID string
}

// DefaultEventsPath is where the receiver listens unless told otherwise.
const DefaultEventsPath = "/tanma/events"

func loadEvents(e *env, appID string) Events {
	ev := Events{Path: DefaultEventsPath, Window: e.duration("TANMA_EVENTS_WINDOW", events.DefaultWindow), CorpID: tanma.CorpID(appID)}
	switch p := e.get("TANMA_EVENTS_PATH"); {
	case p == "off":
		ev.Path = ""
	case p == "":
	case !strings.HasPrefix(p, "/") || strings.ContainsAny(p, " ?#") || p == "/" || strings.HasPrefix(p, "/query"):
		e.fail(fmt.Errorf("TANMA_EVENTS_PATH must be a path such as /tanma/events (or off), got %q", p))
	default:
		ev.Path = p
	}
	if id := e.get("TANMA_CORP_ID"); id != "" {
		ev.CorpID = id
	}
	return ev
}
