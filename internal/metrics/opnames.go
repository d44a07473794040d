package metrics

import (
	"regexp"
	"sync"
)

// opNames bounds the operation label: clients choose operation names, so
// only the first max distinct well-formed names get a series of their own;
// later ones, and anonymous operations, are "other" and "anonymous".
type opNames struct {
	mu   sync.Mutex
	max  int
	seen map[string]bool
}

var validOp = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

func newOpNames(max int) *opNames { return &opNames{max: max, seen: map[string]bool{}} }

func (o *opNames) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !validOp.MatchString(name) {
		return "other"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen[name] {
		return name
	}
	if len(o.seen) >= o.max {
		return "other"
	}
	o.seen[name] = true
	return name
}
