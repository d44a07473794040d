package graph_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// marshalImport is the package the shaped executor calls; gqlgen's plain
// output does not import it.
const marshalImport = `"github.com/tanma-gql/gateway/internal/marshal"`

// generatedFuncs parses the generated executor and returns each function's
// source text by name. The tests that call it check internal/execgen's
// shaping, so they skip when generated.go is gqlgen's plain output
// (EXECGEN_PLAIN=1 go generate ./...: CI runs the suite on it).
func generatedFuncs(t *testing.T) map[string]string {
	t.Helper()
	src, err := os.ReadFile("generated.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "generated.go", src, 0)
	require.NoError(t, err)
	if !slices.ContainsFunc(f.Imports, func(i *ast.ImportSpec) bool { return i.Path.Value == marshalImport }) {
		t.Skip("generated.go is gqlgen's plain output (EXECGEN_PLAIN=1): no shaping to check")
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok {
			out[fn.Name.Name] = string(src[fset.Position(fn.Pos()).Offset:fset.Position(fn.End()).Offset])
		}
	}
	return out
}

// listMarshaler finds the marshaler of a list of the GraphQL type (N for
// non-null, O for nullable).
func listMarshaler(t *testing.T, funcs map[string]string, nullability, typ string) string {
	t.Helper()
	for name, body := range funcs {
		if strings.HasPrefix(name, "marshal"+nullability+typ+"2ᚕ") {
			return body
		}
	}
	require.Failf(t, "no list marshaler", "%s%s", nullability, typ)
	return ""
}

// TestListsThatCannotWaitAreMarshaledInline: execgen gives lists whose
// elements can never wait on a loader or the upstream no goroutine per
// element; lists whose elements may wait (customer edges: follow-ups and
// owners' departments go through loaders) keep gqlgen's concurrent
// marshaling, so their loads still batch.
func TestListsThatCannotWaitAreMarshaledInline(t *testing.T) {
	t.Parallel()
	funcs := generatedFuncs(t)
	for _, typ := range []struct{ nullability, name string }{
		{"N", "CustomerField"}, {"N", "SelectOption"}, {"N", "Tag"}, {"O", "TagGroup"}, {"O", "Department"},
		{"O", "CustomerFieldDefinition"}, {"N", "__Type"},
	} {
		body := listMarshaler(t, funcs, typ.nullability, typ.name)
		assert.Contains(t, body, "marshal.Slice(", typ.name)
		assert.NotContains(t, body, "MarshalSliceConcurrently", typ.name)
		assert.NotContains(t, body, "go ", typ.name)
	}
	for _, typ := range []string{"CustomerEdge", "FollowUpEdge", "StaffEdge", "Node", "CustomerTransferResult"} {
		body := listMarshaler(t, funcs, "N", typ)
		assert.Contains(t, body, "graphql.MarshalSliceConcurrently(", typ)
	}
}

// objectCase is the code of one field's case in an object's marshaler.
func objectCase(t *testing.T, funcs map[string]string, object, field string) string {
	t.Helper()
	body, ok := funcs["_"+object]
	require.True(t, ok, "no marshaler for %s", object)
	start := strings.Index(body, "case \""+field+"\":")
	require.GreaterOrEqual(t, start, 0, "%s.%s", object, field)
	end := strings.Index(body[start+1:], "case \"")
	if end < 0 {
		end = len(body) - start - 1
	}
	return body[start : start+1+end]
}

// TestOnlyResolversRunConcurrently: fields computed from what a model
// holds and the request's reference data (model methods, even those taking
// a context) run on their object's goroutine; resolvers, which may wait on
// a loader or the upstream, keep gqlgen's concurrent execution so their
// loads batch across the page.
func TestOnlyResolversRunConcurrently(t *testing.T) {
	t.Parallel()
	funcs := generatedFuncs(t)
	for _, f := range []struct{ object, field string }{
		{"Customer", "fields"}, {"Customer", "tags"}, {"Customer", "stage"}, {"Customer", "source"},
		{"Customer", "purchaseIntention"}, {"Customer", "owner"}, {"Staff", "name"}, {"Staff", "salesId"},
	} {
		code := objectCase(t, funcs, f.object, f.field)
		assert.NotContains(t, code, "ResolveConcurrently", "%s.%s", f.object, f.field)
		assert.Contains(t, code, "out.Values[i] = ec._"+f.object+"_"+f.field+"(ctx, field, obj)", "%s.%s", f.object, f.field)
	}
	for _, f := range []struct{ object, field string }{
		{"Customer", "followUps"}, {"Staff", "departments"}, {"Staff", "customers"},
	} {
		assert.Contains(t, objectCase(t, funcs, f.object, f.field), "out.ResolveConcurrently(", "%s.%s", f.object, f.field)
	}
}

// TestPlainLeavesAreMarshaledDirectly: struct fields of scalars and enums
// whose marshaling cannot fail skip gqlgen's per-field resolution and are
// written by an internal/marshal writer of the model's own field (no
// closure per value); a Float (whose marshaler reports NaN and infinities
// at the field's path) and fields that may be null where the schema says
// non-null keep gqlgen's resolution, and a list leaf, or a field of an
// object made only of such leaves (a select option), is written by its
// generated marshal function.
func TestPlainLeavesAreMarshaledDirectly(t *testing.T) {
	t.Parallel()
	funcs := generatedFuncs(t)
	for _, f := range []struct{ object, field, write string }{
		{"Customer", "customerId", "marshal.String(&obj.CustomerID)"}, {"Customer", "name", "marshal.OptString(obj.Name)"},
		{"SelectCustomerField", "key", "marshal.String(&obj.Key)"}, {"SelectCustomerField", "kind", "marshal.Enum(&obj.Kind)"},
		{"SelectOption", "label", "marshal.OptString(obj.Label)"}, {"Tag", "name", "marshal.String(&obj.Name)"},
	} {
		code := objectCase(t, funcs, f.object, f.field)
		assert.Contains(t, code, "out.Values[i] = "+f.write+"\n", "%s.%s", f.object, f.field)
	}
	for _, f := range []struct{ object, field, read string }{
		{"Customer", "mobiles", "obj.Mobiles"}, {"Customer", "createdAt", "obj.CreatedAt"},
		{"SelectCustomerField", "option", "obj.Option"}, {"MultiSelectCustomerField", "options", "obj.Options"},
	} {
		code := objectCase(t, funcs, f.object, f.field)
		assert.Regexp(t, `out.Values\[i\] = ec.marshal\S+\(ctx, field.Selections, `+f.read+`\)`, code, "%s.%s", f.object, f.field)
	}
	assert.Contains(t, objectCase(t, funcs, "NumberCustomerField", "number"), "ec._NumberCustomerField_number(ctx, field, obj)")
	for _, list := range []string{"marshalNString2ᚕstringᚄ", "marshalOString2ᚕstringᚄ", "marshalNID2ᚕstringᚄ"} {
		assert.Contains(t, funcs[list], "ret[i] = marshal.String(&v[i])", list)
	}
}

// TestObjectsAreWrittenWithoutAMap: every object marshaler, roots and
// introspection types included, writes without gqlgen's map of aliases,
// builds its @defer group lazily, collects its fields through the
// operation's cache and writes its __typename as a literal;
// one none of whose fields may wait or be deferred (SelectOption, Tag, the
// roots, whose fields gqlgen schedules without reading the collected
// fields) makes its field set and writer in one allocation
// (marshal.NewFieldSet), one with such fields (Customer: followUps) keeps
// gqlgen's field set, which schedules them. Nothing is left of gqlgen's field set writer or eager group.
func TestObjectsAreWrittenWithoutAMap(t *testing.T) {
	t.Parallel()
	funcs := generatedFuncs(t)
	for _, tc := range []struct {
		name       string
		concurrent bool
	}{{"_Customer", true}, {"_Staff", true}, {"_Query", false}, {"_Mutation", false}, {"_SelectOption", false}, {"_Tag", false}, {"___Type", false}} {
		body, ok := funcs[tc.name]
		require.True(t, ok, "no marshaler %s", tc.name)
		assert.Contains(t, body, "\n\tdeferred := marshal.DeferredGroup(ctx, fields)\n", tc.name)
		assert.Contains(t, body, "out.Values[i] = marshal.Literal(", tc.name)
		assert.Contains(t, body, "\tfields := marshal.CollectFields(ctx, ec.OperationContext, sel, ", tc.name)
		if tc.concurrent {
			assert.Contains(t, body, "\n\tout := graphql.NewFieldSet(fields)\n", tc.name)
			assert.Contains(t, body, "\n\treturn marshal.Object(fields, out.Values)\n}", tc.name)
		} else {
			assert.Contains(t, body, "\n\tout := marshal.NewFieldSet(fields)\n", tc.name)
			assert.Contains(t, body, "\n\treturn out.Object()\n}", tc.name)
		}
	}
	for name, body := range funcs {
		assert.NotContains(t, body, "graphql.NewDeferredGroup(", name)
		assert.NotContains(t, body, "return out\n", name)
		assert.NotContains(t, body, "graphql.MarshalString(\"", name)
	}
}

// TestDeferredResultsAreAwaitedWithTheContext: the query's response handler
// waits for its next deferred result with marshal.NextDeferred, which ends
// with the request (gqlgen's bare receive may wait for good once a
// deferred fragment whose context ended gives up sending).
func TestDeferredResultsAreAwaitedWithTheContext(t *testing.T) {
	t.Parallel()
	exec := generatedFuncs(t)["Exec"]
	assert.Contains(t, exec, "result, ok := marshal.NextDeferred(ctx, ec.DeferredResults)")
	assert.NotContains(t, exec, "<-ec.DeferredResults")
}
