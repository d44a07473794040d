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
// marshaler (no field set), two list marshalers and the query's response
// handler, which waits for deferred results.
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

func (e *executableSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	ec := newExecutionContext(e, make(chan graphql.DeferredResult))
	return func(ctx context.Context) *graphql.Response {
		var response graphql.Response
		if atomic.LoadInt32(&ec.PendingDeferred) > 0 {
			result := <-ec.DeferredResults
			atomic.AddInt32(&ec.PendingDeferred, -1)
			response.Label = result.Label
		} else {
			return nil
		}
		return &response
	}
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
	typeEdit    = [2]string{"out.Values[i] = graphql.MarshalString(\"Tag\")", "out.Values[i] = marshal.Literal(\"Tag\")"}
	leafEdit    = [2]string{"out.Values[i] = ec._Tag_name(ctx, field, obj)", "out.Values[i] = marshal.String(&obj.Name)"}
	collectEdit = [2]string{"fields := graphql.CollectFields(ec.OperationContext, sel, tagImplementors)", "fields := marshal.CollectFields(ctx, ec.OperationContext, sel, tagImplementors)"}
	receiveEdit = [2]string{"\t\t\tresult := <-ec.DeferredResults\n", "\t\t\tresult, ok := marshal.NextDeferred(ctx, ec.DeferredResults)\n\t\t\tif !ok {\n\t\t\t\treturn nil\n\t\t\t}\n"}
	objectEdits = [][2]string{importEdit, objectEdit, deferEdit, typeEdit, collectEdit, receiveEdit}
)

// withoutWaits is generatedSample's _Tag without its concurrent field
// (group): an object whose fields never wait.
func withoutWaits(src string) string {
	from := "\t\tcase \"group\":\n\t\t\tout.ResolveConcurrently(ec.OperationContext, &deferred, i,\n\t\t\t\ttrue, true,\n\t\t\t\tfunc(ctx context.Context) graphql.Marshaler {\n\t\t\t\t\treturn ec._Tag_group(ctx, field, obj)\n\t\t\t\t})\n"
	if strings.Count(src, from) != 1 {
		panic("the sample's group case changed")
	}
	return strings.Replace(src, from, "", 1)
}

// TestRewriteObjectWithoutWaits: an object none of whose fields is
// scheduled concurrently builds its field set with marshal.NewFieldSet
// and returns out.Object().
func TestRewriteObjectWithoutWaits(t *testing.T) {
	t.Parallel()
	src := withoutWaits(generatedSample)
	want := src
	for _, e := range [][2]string{importEdit, deferEdit, typeEdit, collectEdit, leafEdit, receiveEdit,
		{"out := graphql.NewFieldSet(fields)", "out := marshal.NewFieldSet(fields)"},
		{"\treturn out\n}", "\treturn out.Object()\n}"}} {
		require.Equal(t, 1, strings.Count(want, e[0]), e[0])
		want = strings.Replace(want, e[0], e[1], 1)
	}
	out, err := rewrite([]byte(src), plan{objects: set(tagObj), leaves: set(tagName)})
	require.NoError(t, err)
	assert.Equal(t, want, string(out))
}

// TestRewriteLeafWriters: each scalar gqlgen marshals with a closure and
// each enum is written by its internal/marshal writer; any other marshal
// function (a custom scalar, an enum marshaler of another shape) keeps
// the direct call.
func TestRewriteLeafWriters(t *testing.T) {
	t.Parallel()
	enumValue := "func (ec *executionContext) marshalNGender2modelᚐGender(ctx context.Context, sel ast.SelectionSet, v model.Gender) graphql.Marshaler {\n\treturn v\n}\n"
	enumPointer := "func (ec *executionContext) marshalOGender2ᚖmodelᚐGender(ctx context.Context, sel ast.SelectionSet, v *model.Gender) graphql.Marshaler {\n\tif v == nil {\n\t\treturn graphql.Null\n\t}\n\treturn v\n}\n"
	scalar := "func (ec *executionContext) marshalNTime2timeᚐTime(ctx context.Context, sel ast.SelectionSet, v model.Time) graphql.Marshaler {\n\treturn v\n}\n"
	for _, tc := range []struct{ marshalFn, extra, typ, want string }{
		{"marshalNString2string", "", "string", "marshal.String(&obj.Name)"},
		{"marshalNID2string", "", "string", "marshal.String(&obj.Name)"},
		{"marshalOString2ᚖstring", "", "*string", "marshal.OptString(obj.Name)"},
		{"marshalOID2ᚖstring", "", "*string", "marshal.OptString(obj.Name)"},
		{"marshalNInt2int", "", "int", "marshal.Int(&obj.Name)"},
		{"marshalOInt2ᚖint", "", "*int", "marshal.OptInt(obj.Name)"},
		{"marshalNBoolean2bool", "", "bool", "marshal.Bool(obj.Name)"},
		{"marshalOBoolean2ᚖbool", "", "*bool", "marshal.OptBool(obj.Name)"},
		{"marshalNGender2modelᚐGender", enumValue, "model.Gender", "marshal.Enum(&obj.Name)"},
		{"marshalOGender2ᚖmodelᚐGender", enumPointer, "*model.Gender", "marshal.OptEnum(obj.Name)"},
		{"marshalNTime2timeᚐTime", scalar, "model.Time", "ec.marshalNTime2timeᚐTime(ctx, field.Selections, obj.Name)"},
		{"marshalNFloat2float64", "", "float64", "ec.marshalNFloat2float64(ctx, field.Selections, obj.Name)"},
	} {
		t.Run(tc.marshalFn, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(generatedSample, "selections ast.SelectionSet, v string) graphql.Marshaler {\n\t\t\treturn ec.marshalNString2string(",
				"selections ast.SelectionSet, v "+tc.typ+") graphql.Marshaler {\n\t\t\treturn ec."+tc.marshalFn+"(", 1) + tc.extra
			out, err := rewrite([]byte(src), plan{objects: set(tagObj), leaves: set(tagName), enums: set("Gender")})
			require.NoError(t, err)
			assert.Contains(t, string(out), "out.Values[i] = "+tc.want+"\n")
		})
	}
}

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
		{name: "an object's __typename written otherwise", from: `graphql.MarshalString("Tag")`, to: `graphql.MarshalString(typeName)`,
			want: []string{"object writer rewrite: _Tag: writes 0 literal strings (its __typename), want 1"}},
		{name: "an object's fields collected with other arguments", from: "graphql.CollectFields(ec.OperationContext, sel, tagImplementors)", to: "graphql.CollectFields(ec.OperationContext, sel)",
			want: []string{"object writer rewrite: _Tag: collects its fields with other arguments than (operation, selections, implementors)"}},
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

		{name: "no deferred receive", from: "result := <-ec.DeferredResults", to: "result := ec.nextDeferred()",
			want: []string{"deferred receive rewrite: Exec: receives from ec.DeferredResults 0 times, want 1"}},
		{name: "two deferred receives", from: "\t\treturn &response\n", to: "\t\t<-ec.DeferredResults\n\t\treturn &response\n",
			want: []string{"deferred receive rewrite: Exec: receives from ec.DeferredResults 2 times, want 1"}},
		{name: "a deferred receive of another shape", from: "result := <-ec.DeferredResults", to: "var result = <-ec.DeferredResults",
			want: []string{"deferred receive rewrite: Exec: receives from ec.DeferredResults other than as `result := <-ec.DeferredResults`"}},
		{name: "a deferred receive outside a response handler", from: "return func(ctx context.Context) *graphql.Response {", to: "return func(c context.Context) *graphql.Response {",
			want: []string{"deferred receive rewrite: Exec: receives from ec.DeferredResults outside a func(ctx context.Context) *graphql.Response"}},
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

// stringList is a list marshaler of strings in gqlgen's generated shape.
const stringList = `package graph

func (ec *executionContext) marshalNString2ᚕstringᚄ(ctx context.Context, sel ast.SelectionSet, v []string) graphql.Marshaler {
	ret := make(graphql.Array, len(v))
	for i := range v {
		ret[i] = ec.marshalNString2string(ctx, sel, v[i])
	}

	for _, e := range ret {
		if e == graphql.Null {
			return graphql.Null
		}
	}

	return ret
}
`

// TestRewriteLeafList: a list of strings writes each element with
// marshal.String; a list marshaler of another shape fails generation.
func TestRewriteLeafList(t *testing.T) {
	t.Parallel()
	lists := map[string]string{"marshalNString2ᚕstringᚄ": "marshalNString2string"}
	out, err := rewrite([]byte(stringList), plan{leafLists: lists})
	require.NoError(t, err)
	assert.Contains(t, string(out), "\t\tret[i] = marshal.String(&v[i])\n")
	assert.NotContains(t, string(out), "ec.marshalNString2string")

	for _, tc := range []struct{ from, to, want string }{
		{"ec.marshalNString2string(ctx, sel, v[i])", "ec.marshalNString2string(ctx, sel, v[0])",
			"leaf list rewrite: marshalNString2ᚕstringᚄ: marshals its elements 0 times with ec.marshalNString2string(ctx, sel, v[i]), want 1: "},
		{"func (ec *executionContext) marshalNString2ᚕstringᚄ(", "func (ec *executionContext) marshalNStrings(",
			"leaf list rewrite: marshalNString2ᚕstringᚄ: no such list marshaler: "},
	} {
		_, err := rewrite([]byte(strings.Replace(stringList, tc.from, tc.to, 1)), plan{leafLists: lists})
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
	}
}
