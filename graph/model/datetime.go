package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// MarshalDateTime writes a point in time as RFC 3339 with its offset
// (Tanma's times carry +08:00).
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads an RFC 3339 time. A value that is not one is the
// caller's mistake (BAD_USER_INPUT), and the value is not echoed.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.BadInput("a DateTime must be an RFC 3339 string such as 2021-03-06T16:22:17+08:00")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, apperr.BadInput("a DateTime must be an RFC 3339 string with an offset, such as 2021-03-06T16:22:17+08:00")
	}
	return t, nil
}
