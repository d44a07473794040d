package marshal

import (
	"io"
	"strconv"
	"unsafe"

	"github.com/99designs/gqlgen/graphql"
)

// Leaves: what the generated executor writes a plain leaf with, in place of
// gqlgen's graphql.MarshalString and its kin, which wrap every value in a
// new closure (a heap allocation for every string, number and enum of a
// response). These take the leaf where it already lives, in its model
// (a pointer to the field, or the field's own pointer), so making one
// allocates nothing; the bytes written are gqlgen's.

// quoted is a string written as a JSON string, as gqlgen writes it.
type quoted string

func (s *quoted) MarshalGQL(w io.Writer) { writeQuoted(w, string(*s)) }

// String writes *p as a JSON string (for String! and ID! fields).
func String(p *string) graphql.Marshaler { return (*quoted)(p) }

// OptString writes *p as a JSON string, or null when p is nil (String, ID).
func OptString(p *string) graphql.Marshaler {
	if p == nil {
		return graphql.Null
	}
	return (*quoted)(p)
}

// Enum writes an enum value, a named string type (Enum!).
func Enum[T ~string](p *T) graphql.Marshaler { return (*quoted)(unsafe.Pointer(p)) }

// OptEnum writes an enum value, or null when p is nil.
func OptEnum[T ~string](p *T) graphql.Marshaler {
	if p == nil {
		return graphql.Null
	}
	return (*quoted)(unsafe.Pointer(p))
}

// Literal is a constant string written as a JSON string (__typename):
// converting a constant to an interface allocates nothing.
type Literal string

// MarshalGQL writes the literal quoted.
func (s Literal) MarshalGQL(w io.Writer) { writeQuoted(w, string(s)) }

// integer is an int written in decimal.
type integer int

func (i *integer) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Itoa(int(*i))) }

// Int writes *p (Int!).
func Int(p *int) graphql.Marshaler { return (*integer)(p) }

// OptInt writes *p, or null when p is nil (Int).
func OptInt(p *int) graphql.Marshaler {
	if p == nil {
		return graphql.Null
	}
	return (*integer)(p)
}

// boolean is true or false.
type boolean bool

func (b boolean) MarshalGQL(w io.Writer) {
	if b {
		_, _ = io.WriteString(w, "true")
	} else {
		_, _ = io.WriteString(w, "false")
	}
}

// The two booleans, made once.
var (
	trueValue  graphql.Marshaler = boolean(true)
	falseValue graphql.Marshaler = boolean(false)
)

// Bool writes b (Boolean!).
func Bool(b bool) graphql.Marshaler {
	if b {
		return trueValue
	}
	return falseValue
}

// OptBool writes *p, or null when p is nil (Boolean).
func OptBool(p *bool) graphql.Marshaler {
	if p == nil {
		return graphql.Null
	}
	return Bool(*p)
}

const hexDigits = "0123456789ABCDEF"

// writeQuoted writes s as gqlgen's MarshalString does: quoted, with
// quotes, backslashes and control characters escaped (\t, \r, \n, else
// \u00XX); everything else, invalid UTF-8 included, as it is.
func writeQuoted(w io.Writer, s string) {
	_, _ = io.WriteString(w, `"`)
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		_, _ = io.WriteString(w, s[start:i])
		switch c {
		case '\t':
			_, _ = io.WriteString(w, `\t`)
		case '\r':
			_, _ = io.WriteString(w, `\r`)
		case '\n':
			_, _ = io.WriteString(w, `\n`)
		case '\\':
			_, _ = io.WriteString(w, `\\`)
		case '"':
			_, _ = io.WriteString(w, `\"`)
		default:
			_, _ = io.WriteString(w, `\u00`+hexDigits[c>>4:c>>4+1]+hexDigits[c&0xf:c&0xf+1])
		}
		start = i + 1
	}
	_, _ = io.WriteString(w, s[start:])
	_, _ = io.WriteString(w, `"`)
}
