package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// generatedSample is a small executor in the shape gqlgen's templates
// generate: an object marshaler (field set, deferred group, a plain leaf
// and a field that is not), the leaf's field function, an interface
// marshaler (no field set) and two list marshalers.
const generatedSample = `package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

type executionContext struct{ OperationContext *graphql.OperationContext }

type Tag struct{ Name string }

var tagImplementors = []string{"Tag", "Node"}

func (ec *executionContext) _Node(ctx context.Context, sel ast.SelectionSet, obj Node) graphql.Marshaler {
	switch obj := (obj).(type) {
	case *Tag:
		return ec._Tag(ctx, sel, obj)
	default:
		panic(fmt.Errorf("unexpected type %T", obj))
	}
}

func (ec *executionContext) marshalNTag2ᚕTagᚄ(ctx context.Context, sel ast.SelectionSet, v []Tag) graphql.Marshaler {
	// a comment that must stay where it is
	ret := graphql.MarshalSliceConcurrently(ctx, len(v), 0, false, func(ctx context.Context, i int) graphql.Marshaler {
		fc := graphql.GetFieldContext(ctx)
		fc.Result = &v[i]
		return ec._Tag(ctx, sel, &v[i])
	})
	return ret
}

func (ec *executionContext) _Tag(ctx context.Context, sel ast.SelectionSet, obj *Tag) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, tagImplementors)

	out := graphql.NewFieldSet(fields)
	deferred := graphql.NewDeferredGroup(ctx)
	for i, field := range fields {
		switch field.Name {
		case "__typename":
			out.Values[i] = graphql.MarshalString("Tag")
		case "name":
			out.Values[i] = ec._Tag_name(ctx, field, obj)
			if out.Values[i] == graphql.Null {
				out.Invalids++
			}
		case "group":
			out.ResolveConcurrently(ec.OperationContext, &deferred, i,
				true, true,
				func(ctx context.Context) graphql.Marshaler {
					return ec._Tag_group(ctx, field, obj)
				})
		default:
			panic("unknown field " + strconv.Quote(field.Name))
		}
	}
	out.Dispatch(ctx)
	if out.Invalids > 0 {
		return graphql.Null
	}

	if n := len(deferred.Defers); n > 0 {
		atomic.AddInt32(&ec.Deferred, int32(min(n, math.MaxInt32)))
		ec.ProcessDeferredGroup(deferred)
	}

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

const (
	tagList = "marshalNTag2ᚕTagᚄ"
	tagName = "Tag.name"
	tagObj  = "_Tag"
)

// set is a set of names.
func set(names ...string) map[string]bool {
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out
}

// The lines each rewrite makes of generatedSample, as [from, to] pairs.
var (
	importEdit  = [2]string{"\t\"github.com/99designs/gqlgen/graphql\"\n", "\t\"github.com/99designs/gqlgen/graphql\"\n\t\"github.com/tanma-gql/gateway/internal/marshal\"\n"}
	objectEdit  = [2]string{"\treturn out\n}", "\treturn marshal.Object(fields, out.Values)\n}"}
	deferEdit   = [2]string{"deferred := graphql.NewDeferredGroup(ctx)", "deferred := marshal.DeferredGroup(ctx, fields)"}
	listEdit    = [2]string{"ret := graphql.MarshalSliceConcurrently(", "ret := marshal.Slice("}
	leafEdit    = [2]string{"out.Values[i] = ec._Tag_name(ctx, field, obj)", "out.Values[i] = ec.marshalNString2string(ctx, field.Selections, obj.Name)"}
	objectEdits = [][2]string{importEdit, objectEdit, deferEdit}
)

// TestRewrite: each rewrite makes exactly its lines of the sample and
// nothing else: lists, leaves and objects not named keep gqlgen's code.
func TestRewrite(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		plan  plan
		edits [][2]string
	}{
		{"object writer and deferred group", plan{objects: set(tagObj)}, objectEdits},
		{"inline list", plan{objects: set(tagObj), lists: set(tagList)}, append(objectEdits, listEdit)},
		{"plain leaf", plan{objects: set(tagObj), leaves: set(tagName)}, append(objectEdits, leafEdit)},
		{"all of them", plan{objects: set(tagObj), lists: set(tagList), leaves: set(tagName)}, append(objectEdits, listEdit, leafEdit)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := generatedSample
			for _, e := range tc.edits {
				require.Equal(t, 1, strings.Count(want, e[0]), e[0])
				want = strings.Replace(want, e[0], e[1], 1)
			}
			out, err := rewrite([]byte(generatedSample), tc.plan)
			require.NoError(t, err)
			assert.Equal(t, want, string(out))
		})
	}
}

// TestRewriteFailsOnAnotherShape: when gqlgen's generated code no longer
// has the shape a rewrite expects where the plan expects it, generation
// fails, naming the rewrite and what it did not find.
func TestRewriteFailsOnAnotherShape(t *testing.T) {
	t.Parallel()
	full := func() plan { return plan{objects: set(tagObj), lists: set(tagList), leaves: set(tagName)} }
	for _, tc := range []struct {
		name     string
		from, to string // the change to generatedSample ("" for none)
		plan     func(p *plan)
		want     []string
	}{
		{name: "a list marshaler gone", plan: func(p *plan) { p.lists["marshalNGone2ᚕGoneᚄ"] = true },
			want: []string{"inline list rewrite: marshalNGone2ᚕGoneᚄ: no such list marshaler"}},
		{name: "a list without a concurrent call", from: "ret := graphql.MarshalSliceConcurrently(", to: "ret := graphql.MarshalSliceSomehow(",
			want: []string{"inline list rewrite: " + tagList + ": makes 0 calls of graphql.MarshalSliceConcurrently, want 1"}},
		{name: "a list with two concurrent calls", from: "\treturn ret\n", to: "\treturn graphql.MarshalSliceConcurrently(ctx, 0, 0, false, nil)\n",
			want: []string{"inline list rewrite: " + tagList + ": makes 2 calls of graphql.MarshalSliceConcurrently, want 1"}},

		{name: "a leaf's case gone", from: `case "name":`, to: `case "title":`,
			want: []string{"plain leaf rewrite: Tag.name: is resolved 0 times in its object's marshaler, want 1"}},
		{name: "a leaf resolved concurrently", from: "out.Values[i] = ec._Tag_name(ctx, field, obj)", to: "out.ResolveConcurrently(ec._Tag_name(ctx, field, obj))",
			want: []string{"plain leaf rewrite: Tag.name: is resolved 0 times in its object's marshaler, want 1"}},
		{name: "a leaf with a resolver call", from: "return obj.Name, nil", to: "return ec.resolvers.Tag().Name(ctx, obj)",
			want: []string{"plain leaf rewrite: Tag.name: the field's resolver does not return a value and nil"}},
		{name: "a leaf with middleware", from: "\t\tnil,\n\t\tfunc(ctx context.Context, selections", to: "\t\tec.middleware,\n\t\tfunc(ctx context.Context, selections",
			want: []string{"plain leaf rewrite: Tag.name: the field function is not a graphql.ResolveField without middleware"}},
		{name: "a leaf's value converted", from: "return ec.marshalNString2string(ctx, selections, v)", to: "return ec.marshalNString2string(ctx, selections, string(v))",
			want: []string{"plain leaf rewrite: Tag.name: the field's marshaler is not a marshal call of (ctx, selections, v)"}},

		{name: "an object marshaler gone", plan: func(p *plan) { p.objects["_Gone"] = true },
			want: []string{"object writer rewrite: _Gone: no such object marshaler", "deferred group rewrite: _Gone: no such object marshaler"}},
		{name: "an object's field set returned otherwise", from: "\treturn out\n}", to: "\treturn &out\n}",
			want: []string{"object writer rewrite: _Tag: returns its field set 0 times, want 1"}},
		{name: "an object without a field set", from: "out := graphql.NewFieldSet(fields)", to: "out := graphql.NewObjectWriter(fields)",
			want: []string{"object writer rewrite: _Tag: does not build its field set (out := graphql.NewFieldSet(...))"}},
		{name: "an object marshaler returning another type", from: "obj *Tag) graphql.Marshaler {", to: "obj *Tag) *graphql.FieldSet {",
			want: []string{"object writer rewrite: _Tag: does not return a graphql.Marshaler"}},
		{name: "an object's fields collected otherwise", from: "fields := graphql.CollectFields(", to: "fields := ec.collectFields(",
			want: []string{"object writer rewrite: _Tag: does not collect its fields (fields := graphql.CollectFields(...))",
				"deferred group rewrite: _Tag: does not collect its fields (fields := graphql.CollectFields(...))"}},
		{name: "a field set the model has no object for", plan: func(p *plan) { p.objects = nil },
			want: []string{"object writer rewrite: _Tag: builds a field set but is no object's marshaler",
				"deferred group rewrite: _Tag: builds a deferred group but is no object's marshaler"}},

		{name: "an object without a deferred group", from: "deferred := graphql.NewDeferredGroup(ctx)", to: "var deferred graphql.DeferredGroup",
			want: []string{"deferred group rewrite: _Tag: makes 0 calls of graphql.NewDeferredGroup, want 1"}},
		{name: "a deferred group of other arguments", from: "graphql.NewDeferredGroup(ctx)", to: "graphql.NewDeferredGroup(ctx, sel)",
			want: []string{"deferred group rewrite: _Tag: calls graphql.NewDeferredGroup with other arguments than (ctx)"}},
		{name: "a deferred group outside the objects", from: "func (ec *executionContext) _Tag_name(", to: "func (ec *executionContext) _Other(ctx context.Context) {\n\t_ = graphql.NewDeferredGroup(ctx)\n}\n\nfunc (ec *executionContext) _Tag_name(",
			want: []string{"deferred group rewrite: _Other: builds a deferred group but is no object's marshaler"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := generatedSample
			if tc.from != "" {
				require.Equal(t, 1, strings.Count(src, tc.from), tc.from)
				src = strings.Replace(src, tc.from, tc.to, 1)
			}
			p := full()
			if tc.plan != nil {
				tc.plan(&p)
			}
			_, err := rewrite([]byte(src), p)
			require.Error(t, err)
			for _, want := range tc.want {
				assert.Contains(t, err.Error(), want+": ")
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				assert.True(t, strings.HasSuffix(line, ": gqlgen's templates changed, adjust the rewrite and its test (README: Upgrading gqlgen)"), line)
			}
			assert.Len(t, strings.Split(err.Error(), "\n"), len(tc.want), "one error for each rewrite that failed")
		})
	}
}

// TestRewriteWithNothingToDoKeepsTheFile: an executor with no object,
// named list or leaf is returned unchanged (no import added).
func TestRewriteWithNothingToDoKeepsTheFile(t *testing.T) {
	t.Parallel()
	src := "package graph\n\nfunc f() {}\n"
	out, err := rewrite([]byte(src), plan{})
	require.NoError(t, err)
	assert.Equal(t, src, string(out))
}
