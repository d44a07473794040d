package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const generatedSample = `package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

type executionContext struct{ OperationContext *graphql.OperationContext }

type Tag struct{ Name string }

var tagImplementors = []string{"Tag"}

func (ec *executionContext) marshalNTag2ᚕTagᚄ(ctx context.Context, v []int) graphql.Marshaler {
	// a comment that must stay where it is
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.MarshalInt(v[i])
	})
	return ret
}

func (ec *executionContext) _Tag(ctx context.Context, sel ast.SelectionSet, obj *Tag) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, tagImplementors)
	out := graphql.NewFieldSet(fields)
	deferred := graphql.NewDeferredGroup(ctx)
	for i, field := range fields {
		switch field.Name {
		case "name":
			out.Values[i] = ec._Tag_name(ctx, field, obj)
		case "group":
			out.Values[i] = ec._Tag_group(ctx, field, obj)
		}
	}
	_ = deferred
	return out
}

func (ec *executionContext) _Tag_name(ctx context.Context, field graphql.CollectedField, obj *Tag) (ret graphql.Marshaler) {
	return graphql.ResolveField(
		ctx,
		ec.OperationContext,
		field,
		func(ctx context.Context, field graphql.CollectedField) (*graphql.FieldContext, error) {
			return ec.fieldContext_Tag_name(ctx, field)
		},
		func(ctx context.Context) (any, error) {
			return obj.Name, nil
		},
		nil,
		func(ctx context.Context, selections ast.SelectionSet, v string) graphql.Marshaler {
			return ec.marshalNString2string(ctx, selections, v)
		},
		true,
		true,
	)
}

func (ec *executionContext) marshalNEdge2ᚕEdgeᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.MarshalInt(v[i])
	})
}
`

func TestRewriteListsOnlyTheNamedOnes(t *testing.T) {
	t.Parallel()
	out, err := rewrite([]byte(generatedSample), map[string]bool{"marshalNTag2ᚕTagᚄ": true}, nil)
	require.NoError(t, err)
	s := string(out)
	tag := s[strings.Index(s, "marshalNTag2"):strings.Index(s, "marshalNEdge2")]
	edge := s[strings.Index(s, "marshalNEdge2"):]
	assert.Contains(t, tag, "ret := marshal.Slice(ctx, len(v), 0, false, func")
	assert.Contains(t, tag, "// a comment that must stay where it is\n\tret :=")
	assert.NotContains(t, tag, "MarshalSliceConcurrently")
	assert.Contains(t, edge, "graphql.MarshalSliceConcurrently(", "lists not named keep their goroutines")
	assert.Contains(t, s, `"`+marshalPkg+`"`)
	assert.Contains(t, s, "deferred := marshal.DeferredGroup(ctx, fields)\n")
	assert.Contains(t, s, "out.Values[i] = ec._Tag_name(ctx, field, obj)", "leaves not named keep gqlgen's resolution")
	assert.NotContains(t, s, "NewDeferredGroup")
	assert.Contains(t, s, "\treturn marshal.Object(fields, out.Values)\n")
}

func TestRewriteListsFailsWhenTheTemplateChanged(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		funcs map[string]bool
	}{
		{"no such function", map[string]bool{"marshalNGone2ᚕGoneᚄ": true}},
		{"no concurrent call in it", map[string]bool{"marshalNTag2ᚕTagᚄ": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := generatedSample
			if tc.name == "no concurrent call in it" {
				src = strings.Replace(src, "graphql.MarshalSliceConcurrently", "graphql.MarshalSliceSomehow", 1)
			}
			_, err := rewrite([]byte(src), tc.funcs, nil)
			assert.ErrorContains(t, err, "did gqlgen's templates change?")
		})
	}
}

func TestRewriteDeferredGroupNeedsCollectedFields(t *testing.T) {
	t.Parallel()
	src := strings.Replace(generatedSample, "fields := graphql.CollectFields", "collected := graphql.CollectFields", 1)
	_, err := rewrite([]byte(src), nil, nil)
	assert.ErrorContains(t, err, "_Tag builds a deferred group without collected fields")
}

func TestRewriteWithNothingToDoKeepsTheFile(t *testing.T) {
	t.Parallel()
	src := "package graph\n\nfunc f() {}\n"
	out, err := rewrite([]byte(src), nil, nil)
	require.NoError(t, err)
	assert.Equal(t, src, string(out))
}

func TestRewritePlainLeaves(t *testing.T) {
	t.Parallel()
	out, err := rewrite([]byte(generatedSample), nil, map[string]bool{"Tag.name": true})
	require.NoError(t, err)
	s := string(out)
	assert.Contains(t, s, "\t\t\tout.Values[i] = ec.marshalNString2string(ctx, field.Selections, obj.Name)\n")
	assert.Contains(t, s, "out.Values[i] = ec._Tag_group(ctx, field, obj)", "leaves not named keep gqlgen's resolution")
}

func TestRewritePlainLeavesFailsOnAnotherShape(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, from, to, want string }{
		{"no such case", `case "name":`, `case "title":`, "resolved 0 times"},
		{"a resolver call", "return obj.Name, nil", "return ec.resolvers.Tag().Name(ctx, obj)", "does not return a value and nil"},
		{"middleware", "\t\tnil,\n\t\tfunc(ctx context.Context, selections", "\t\tec.middleware,\n\t\tfunc(ctx context.Context, selections", "without middleware"},
		{"a converted value", "return ec.marshalNString2string(ctx, selections, v)", "return ec.marshalNString2string(ctx, selections, string(v))", "not a marshal call of (ctx, selections, v)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(generatedSample, tc.from, tc.to, 1)
			require.NotEqual(t, generatedSample, src)
			_, err := rewrite([]byte(src), nil, map[string]bool{"Tag.name": true})
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
