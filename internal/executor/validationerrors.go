package executor

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// maxValidationErrors is how many validation errors one answer carries.
// Without a bound, a document of 1,990 unknown fields (10 KB) was answered
// with 358 KiB of errors; graphql-js stops at 100 for the same reason.
const maxValidationErrors = 20

// cappedErrors returns the validation rules of base, reporting at most
// maxValidationErrors errors and then one more that says how many were
// left out. gqlgen asks for the rules once per validation, so each
// validation counts its own errors.
func cappedErrors(base func() *rules.Rules) func() *rules.Rules {
	return func() *rules.Rules {
		r := base()
		c := &errorCap{}
		for name, rule := range r.GetInner() {
			r.ReplaceRule(name, c.wrap(rule))
		}
		return r
	}
}

// errorCap counts the errors of one validation, every rule together.
type errorCap struct {
	n    int
	more *gqlerror.Error // the error that counts those left out
}

func (c *errorCap) wrap(rule core.RuleFunc) core.RuleFunc {
	return func(observers *core.Events, addError core.AddErrFunc) {
		rule(observers, func(options ...core.ErrorOption) {
			c.n++
			switch {
			case c.n <= maxValidationErrors:
				addError(options...)
				return
			case c.more == nil:
				addError(func(err *gqlerror.Error) { c.more = err })
			}
			c.more.Message = fmt.Sprintf("%d more validation errors were left out", c.n-maxValidationErrors)
			if c.n == maxValidationErrors+1 {
				c.more.Message = "1 more validation error was left out"
			}
		})
	}
}
