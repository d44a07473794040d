package marshal_test

import (
	"bytes"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"

	"github.com/tanma-gql/gateway/internal/marshal"
)

// written is what m writes.
func written(m graphql.Marshaler) string {
	var b bytes.Buffer
	m.MarshalGQL(&b)
	return b.String()
}

// strings a response may hold: empty, CJK, emoji, every control
// character, quotes and backslashes, and invalid UTF-8.
func hostileStrings() []string {
	out := []string{"", "张三", "👍 ok", `say "hi"`, `C:\path\`, "a\tb\r\nc", "\xff\xfe bad utf-8", "</script>\u2028\u2029"}
	for c := 0; c < 0x20; c++ {
		out = append(out, "x"+string(rune(c))+"y")
	}
	return append(out, "\x7f")
}

// gender is a model enum: a named string type.
type gender string

// TestLeavesWriteWhatGqlgenWrites: every leaf writer writes the bytes of
// gqlgen's own marshaler for the same value, null for a nil pointer.
func TestLeavesWriteWhatGqlgenWrites(t *testing.T) {
	t.Parallel()
	for _, s := range hostileStrings() {
		want := written(graphql.MarshalString(s))
		assert.Equal(t, want, written(marshal.String(&s)), "%q", s)
		assert.Equal(t, want, written(marshal.OptString(&s)), "%q", s)
		assert.Equal(t, want, written(marshal.Literal(s)), "%q", s)
		g := gender(s)
		assert.Equal(t, want, written(marshal.Enum(&g)), "%q", s)
		assert.Equal(t, want, written(marshal.OptEnum(&g)), "%q", s)
	}
	for _, n := range []int{0, 1, -1, 42, 1 << 40, -(1 << 62)} {
		assert.Equal(t, written(graphql.MarshalInt(n)), written(marshal.Int(&n)), n)
		assert.Equal(t, written(graphql.MarshalInt(n)), written(marshal.OptInt(&n)), n)
	}
	for _, b := range []bool{true, false} {
		assert.Equal(t, written(graphql.MarshalBoolean(b)), written(marshal.Bool(b)))
		assert.Equal(t, written(graphql.MarshalBoolean(b)), written(marshal.OptBool(&b)))
	}
	assert.Equal(t, graphql.Null, marshal.OptString(nil))
	assert.Equal(t, graphql.Null, marshal.OptEnum[gender](nil))
	assert.Equal(t, graphql.Null, marshal.OptInt(nil))
	assert.Equal(t, graphql.Null, marshal.OptBool(nil))
}

// TestLeavesReadTheModelWhenWritten: a writer holds the model's field, not
// a copy; the executor makes it after the model is final, so this is what
// lets it allocate nothing.
func TestLeavesReadTheModelWhenWritten(t *testing.T) {
	t.Parallel()
	s := "before"
	m := marshal.String(&s)
	s = "after"
	assert.Equal(t, `"after"`, written(m))
}

// TestLeavesAllocateNothing: making a leaf writer allocates nothing (what
// gqlgen's marshalers allocate for each value is why they exist).
func TestLeavesAllocateNothing(t *testing.T) {
	s, n, b, g := "张三", 7, true, gender("MALE")
	var sink graphql.Marshaler
	allocs := testing.AllocsPerRun(100, func() {
		sink = marshal.String(&s)
		sink = marshal.OptString(&s)
		sink = marshal.Literal("Customer")
		sink = marshal.Enum(&g)
		sink = marshal.Int(&n)
		sink = marshal.OptBool(&b)
	})
	_ = sink
	assert.Zero(t, allocs)
}
