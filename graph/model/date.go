package model

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/tanma-gql/gateway/internal/apperr"
)

// Date is a calendar date without a time zone, written yyyy-MM-dd.
type Date struct{ time.Time }

const dateLayout = "2006-01-02"

// String returns yyyy-MM-dd.
func (d Date) String() string { return d.Format(dateLayout) }

// MarshalGQL writes the date as a JSON string.
func (d Date) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(d.String())) }

// UnmarshalGQL reads a yyyy-MM-dd string; anything else is BAD_USER_INPUT
// (without echoing the value).
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return apperr.BadInput("a Date must be a yyyy-MM-dd string")
	}
	parsed, err := time.Parse(dateLayout, s)
	if err != nil {
		return apperr.BadInput("a Date must be a yyyy-MM-dd string such as 1990-05-17")
	}
	*d = Date{parsed}
	return nil
}

var (
	_ graphql.Marshaler   = Date{}
	_ graphql.Unmarshaler = (*Date)(nil)
)
