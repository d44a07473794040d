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

var tagImplementors = []string{"Tag"}

func (ec *executionContext) marshalNTag2ᚕTagᚄ(ctx context.Context, v []int) graphql.Marshaler {
	// a comment that must stay where it is
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.MarshalInt(v[i])
	})
	return ret
}

func (ec *executionContext) _Tag(ctx context.Context, sel ast.SelectionSet) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, tagImplementors)
	out := graphql.NewFieldSet(fields)
	deferred := graphql.NewDeferredGroup(ctx)
	_ = deferred
	return out
}

func (ec *executionContext) marshalNEdge2ᚕEdgeᚄ(ctx context.Context, v []int) graphql.Marshaler {
	return graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		return graphql.MarshalInt(v[i])
	})
}
`

func TestRewriteListsOnlyTheNamedOnes(t *testing.T) {
	t.Parallel()
	out, err := rewrite([]byte(generatedSample), map[string]bool{"marshalNTag2ᚕTagᚄ": true})
	require.NoError(t, err)
	s := string(out)
	tag := s[strings.Index(s, "marshalNTag2"):strings.Index(s, "marshalNEdge2")]
	edge := s[strings.Index(s, "marshalNEdge2"):]
	assert.Contains(t, tag, "ret := inline.MarshalSlice(ctx, len(v), 0, false, func")
	assert.Contains(t, tag, "// a comment that must stay where it is\n\tret :=")
	assert.NotContains(t, tag, "MarshalSliceConcurrently")
	assert.Contains(t, edge, "graphql.MarshalSliceConcurrently(", "lists not named keep their goroutines")
	assert.Contains(t, s, `"`+inlinePkg+`"`)
	assert.Contains(t, s, "deferred := inline.DeferredGroup(ctx, fields)\n")
	assert.NotContains(t, s, "NewDeferredGroup")
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
			_, err := rewrite([]byte(src), tc.funcs)
			assert.ErrorContains(t, err, "did gqlgen's templates change?")
		})
	}
}

func TestRewriteDeferredGroupNeedsCollectedFields(t *testing.T) {
	t.Parallel()
	src := strings.Replace(generatedSample, "fields := graphql.CollectFields", "collected := graphql.CollectFields", 1)
	_, err := rewrite([]byte(src), nil)
	assert.ErrorContains(t, err, "_Tag builds a deferred group without collected fields")
}

func TestRewriteWithNothingToDoKeepsTheFile(t *testing.T) {
	t.Parallel()
	src := "package graph\n\nfunc f() {}\n"
	out, err := rewrite([]byte(src), nil)
	require.NoError(t, err)
	assert.Equal(t, src, string(out))
}
