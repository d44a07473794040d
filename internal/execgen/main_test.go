package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPlainOutput: EXECGEN_PLAIN=1 asks for gqlgen's plain output, unset
// or 0 for the shaped executor; another value fails generation.
func TestPlainOutput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, value string
		plain       bool
		err         string
	}{
		{"unset", "", false, ""},
		{"zero", "0", false, ""},
		{"one", "1", true, ""},
		{"another value", "true", false, `EXECGEN_PLAIN="true": want 1 (gqlgen's plain output) or 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			plain, err := plainOutput(tc.value)
			assert.Equal(t, tc.plain, plain)
			if tc.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tc.err)
			}
		})
	}
}
