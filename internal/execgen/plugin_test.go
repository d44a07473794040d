package main

import (
	"go/types"
	"testing"

	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
)

// field builds a codegen field of o with a return type of def.
func field(o *codegen.Object, name string, def *ast.Definition, bind func(*codegen.Field)) *codegen.Field {
	f := &codegen.Field{FieldDefinition: &ast.FieldDefinition{Name: name}, Object: o,
		TypeReference: &config.TypeReference{Definition: def, GO: types.Typ[types.String], GQL: ast.NonNullNamedType(def.Name, nil)},
		GoFieldType:   codegen.GoFieldVariable}
	bind(f)
	o.Fields = append(o.Fields, f)
	return f
}

func structField(*codegen.Field) {}
func methodWithContext(f *codegen.Field) {
	f.GoFieldType, f.MethodHasContext = codegen.GoFieldMethod, true
}
func resolver(f *codegen.Field) { f.IsResolver = true }

// TestFieldRule: model methods taking a context stop being concurrent;
// resolvers and root fields stay concurrent; other fields of the object
// are untouched.
func TestFieldRule(t *testing.T) {
	t.Parallel()
	str := &ast.Definition{Kind: ast.Scalar, Name: "String"}
	customer := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Customer"}}
	query := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Query"}, Root: true}
	name := field(customer, "name", str, structField)
	fields := field(customer, "fields", str, methodWithContext)
	followUps := field(customer, "followUps", str, resolver)
	rootMethod := field(query, "version", str, methodWithContext)
	require.True(t, fields.IsConcurrent(), "gqlgen's default")

	p := &inlinePlugin{}
	require.NoError(t, p.GenerateCode(&codegen.Data{Objects: codegen.Objects{customer, query}}))
	assert.False(t, fields.IsConcurrent(), "a model method with a context runs inline")
	assert.True(t, followUps.IsConcurrent(), "a resolver stays concurrent")
	assert.True(t, rootMethod.IsConcurrent(), "a root field stays concurrent")
	assert.False(t, name.IsConcurrent())
	assert.False(t, customer.DisableConcurrency, "the object itself is unchanged")
	assert.Equal(t, "Customer", fields.Object.Name)
	assert.True(t, customer.IsConcurrent(), "the object still runs its resolver concurrently")
}

// TestGraphOf: resolvers make an object wait, interfaces lead to their
// implementations, scalar fields lead nowhere.
func TestGraphOf(t *testing.T) {
	t.Parallel()
	str := &ast.Definition{Kind: ast.Scalar, Name: "String"}
	optionDef := &ast.Definition{Kind: ast.Object, Name: "SelectOption"}
	fieldDef := &ast.Definition{Kind: ast.Interface, Name: "CustomerField"}
	option := &codegen.Object{Definition: optionDef}
	field(option, "label", str, structField)
	sel := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "SelectCustomerField"}}
	field(sel, "option", optionDef, structField)
	staff := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Staff"}}
	field(staff, "departments", str, resolver)
	data := &codegen.Data{
		Objects:    codegen.Objects{option, sel, staff},
		Interfaces: map[string]*codegen.Interface{"CustomerField": {Definition: fieldDef, Implementors: []codegen.InterfaceImplementor{{Definition: sel.Definition}}}},
	}
	g := graphOf(data)
	assert.Equal(t, typeGraph{
		"SelectOption":        {},
		"SelectCustomerField": {children: []string{"SelectOption"}},
		"Staff":               {waits: true},
		"CustomerField":       {children: []string{"SelectCustomerField"}},
	}, g)
}

// TestPlainField: struct fields of scalars and enums, and of static
// objects, are plain, unless their marshaling can fail (null for a
// non-null type included) or something else runs for them.
func TestPlainField(t *testing.T) {
	t.Parallel()
	str := &ast.Definition{Kind: ast.Scalar, Name: "String"}
	enum := &ast.Definition{Kind: ast.Enum, Name: "FieldKind"}
	obj := &ast.Definition{Kind: ast.Object, Name: "SelectOption"}
	o := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "SelectCustomerField"}}
	root := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Query"}, Root: true}
	ptr := func(f *codegen.Field) { f.TypeReference.GO = types.NewPointer(types.Typ[types.String]) }
	nullable := func(f *codegen.Field) { f.TypeReference.GQL = ast.NamedType("String", nil) }
	list := func(f *codegen.Field) {
		f.TypeReference.GO = types.NewSlice(types.Typ[types.String])
		f.TypeReference.GQL = ast.NonNullListType(ast.NonNullNamedType("String", nil), nil)
	}
	objPtr := func(f *codegen.Field) { f.TypeReference.GO = types.NewPointer(types.NewStruct(nil, nil)) }
	objNullable := func(f *codegen.Field) { f.TypeReference.GQL = ast.NamedType("SelectOption", nil) }
	objList := func(f *codegen.Field) {
		f.TypeReference.GO = types.NewSlice(types.NewStruct(nil, nil))
		f.TypeReference.GQL = ast.NonNullListType(ast.NonNullNamedType("SelectOption", nil), nil)
	}
	other := &ast.Definition{Kind: ast.Object, Name: "Staff"}
	static := map[string]bool{"SelectOption": true}
	for _, tc := range []struct {
		name string
		o    *codegen.Object
		def  *ast.Definition
		bind []func(*codegen.Field)
		want bool
	}{
		{"a string", o, str, nil, true},
		{"an enum", o, enum, nil, true},
		{"a nullable pointer", o, str, []func(*codegen.Field){ptr, nullable}, true},
		{"a list of strings", o, str, []func(*codegen.Field){list}, true},
		{"a non-null pointer may be nil", o, str, []func(*codegen.Field){ptr}, false},
		{"a context marshaler (Float)", o, str, []func(*codegen.Field){func(f *codegen.Field) { f.TypeReference.IsContext = true }}, false},
		{"a static object", o, obj, nil, true},
		{"a nullable pointer to a static object", o, obj, []func(*codegen.Field){objPtr, objNullable}, true},
		{"a list of static objects", o, obj, []func(*codegen.Field){objList}, true},
		{"a non-null pointer to a static object may be nil", o, obj, []func(*codegen.Field){objPtr}, false},
		{"an object that is not static", o, other, nil, false},
		{"a resolver", o, str, []func(*codegen.Field){resolver}, false},
		{"a method", o, str, []func(*codegen.Field){func(f *codegen.Field) { f.GoFieldType = codegen.GoFieldMethod }}, false},
		{"with arguments", o, str, []func(*codegen.Field){func(f *codegen.Field) { f.Args = []*codegen.FieldArgument{{}} }}, false},
		{"a root field", root, str, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := field(&codegen.Object{Definition: tc.o.Definition, Root: tc.o.Root}, "x", tc.def, structField)
			for _, b := range tc.bind {
				b(f)
			}
			assert.Equal(t, tc.want, plainField(f.Object, f, static))
		})
	}
}

// TestStaticObjects: an object is static when every field is plain: made
// of safe leaves, or of static objects in turn; an object with a resolver,
// or one that reaches itself, is not, nor is anything holding it.
func TestStaticObjects(t *testing.T) {
	t.Parallel()
	str := &ast.Definition{Kind: ast.Scalar, Name: "String"}
	object := func(name string) (*codegen.Object, *ast.Definition) {
		d := &ast.Definition{Kind: ast.Object, Name: name}
		return &codegen.Object{Definition: d}, d
	}
	option, optionDef := object("SelectOption")
	field(option, "label", str, structField)
	holder, holderDef := object("Holder")
	field(holder, "option", optionDef, structField)
	outer, _ := object("Outer")
	field(outer, "holder", holderDef, structField)
	staff, staffDef := object("Staff")
	field(staff, "departments", str, resolver)
	withStaff, _ := object("WithStaff")
	field(withStaff, "owner", staffDef, structField)
	self, selfDef := object("Self")
	field(self, "name", str, structField)
	field(self, "next", selfDef, structField)
	static := staticObjects(codegen.Objects{outer, holder, option, staff, withStaff, self})
	assert.Equal(t, map[string]bool{"SelectOption": true, "Holder": true, "Outer": true}, static)
}

// TestPlanObjects: every object gqlgen writes as a field set is in the
// plan, roots included; the subscription root, which gqlgen marshals as a
// stream, is not.
func TestPlanObjects(t *testing.T) {
	t.Parallel()
	str := &ast.Definition{Kind: ast.Scalar, Name: "String"}
	customer := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Customer"}}
	query := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Query"}, Root: true}
	mutation := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Mutation"}, Root: true, DisableConcurrency: true}
	subscription := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "Subscription"}, Root: true, Stream: true}
	typ := &codegen.Object{Definition: &ast.Definition{Kind: ast.Object, Name: "__Type"}}
	field(customer, "name", str, structField)

	p := &inlinePlugin{}
	require.NoError(t, p.GenerateCode(&codegen.Data{Objects: codegen.Objects{customer, query, mutation, subscription, typ}}))
	assert.Equal(t, set("_Customer", "_Query", "_Mutation", "___Type"), p.plan.objects)
	assert.Equal(t, set("Customer.name"), p.plan.leaves)
}
