package tanma

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// ID is a numeric upstream id (customerId, salesId, tag and option ids):
// snowflake int64 values decoded exactly, never through float64. It accepts a
// JSON number or a decimal string and encodes as a JSON number.
type ID int64

// String returns the decimal form.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }

// MarshalJSON encodes the id as a JSON number.
func (id ID) MarshalJSON() ([]byte, error) { return strconv.AppendInt(nil, int64(id), 10), nil }

// UnmarshalJSON decodes a JSON number or decimal string; null leaves zero.
func (id *ID) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	s := string(bytes.Trim(b, `"`))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("tanma: id is not an int64")
	}
	*id = ID(n)
	return nil
}

// ParseID parses a decimal id.
func ParseID(s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("tanma: %q is not a positive decimal id", s)
	}
	return ID(n), nil
}

// Text is an upstream value documented as a number in some places and a
// string in others (option ids): it accepts either and keeps the exact
// decimal text, never going through float64.
type Text string

// UnmarshalJSON decodes a JSON string or number; null leaves "".
func (t *Text) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("tanma: value is neither a string nor a number")
	}
	*t = Text(n)
	return nil
}
