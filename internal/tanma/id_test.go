package tanma_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tanma-gql/gateway/internal/tanma"
)

// bigID is 2^53 + 1: the first integer float64 cannot hold.
const bigID tanma.ID = 9007199254740993

func TestIDUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    tanma.ID
		wantErr bool
	}{
		{name: "number beyond 2^53", in: `9007199254740993`, want: bigID},
		{name: "string beyond 2^53", in: `"9007199254740993"`, want: bigID},
		{name: "seed customer id", in: `398604120668224`, want: 398604120668224},
		{name: "max int64", in: `9223372036854775807`, want: 9223372036854775807},
		{name: "null leaves zero", in: `null`, want: 0},
		{name: "beyond int64", in: `9223372036854775808`, wantErr: true},
		{name: "fraction", in: `1.5`, wantErr: true},
		{name: "exponent", in: `9.007199254740993e15`, wantErr: true},
		{name: "not a number", in: `"abc"`, wantErr: true},
		{name: "bool", in: `true`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				ID tanma.ID `json:"customerId"`
			}
			err := json.Unmarshal([]byte(`{"customerId":`+tt.in+`}`), &got)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.ID)
		})
	}
}

// TestIDRoundTrip: decoded from a number or a string, the id encodes back as
// the same JSON number, digit for digit.
func TestIDRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
	}{
		{"from number", `{"customerId":9007199254740993}`},
		{"from string", `{"customerId":"9007199254740993"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c tanma.Customer
			require.NoError(t, json.Unmarshal([]byte(tt.in), &c))
			assert.Equal(t, bigID, c.CustomerID)
			assert.Equal(t, "9007199254740993", c.CustomerID.String())
			out, err := json.Marshal(c.CustomerID)
			require.NoError(t, err)
			assert.Equal(t, `9007199254740993`, string(out))
			var back tanma.ID
			require.NoError(t, json.Unmarshal(out, &back))
			assert.Equal(t, c.CustomerID, back)
		})
	}
}

func TestParseID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    tanma.ID
		wantErr bool
	}{
		{name: "big", in: "9007199254740993", want: bigID},
		{name: "seed", in: "398604120668224", want: 398604120668224},
		{name: "zero", in: "0", wantErr: true},
		{name: "negative", in: "-1", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "letters", in: "12a", wantErr: true},
		{name: "beyond int64", in: "9223372036854775808", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tanma.ParseID(tt.in)
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
