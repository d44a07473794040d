package main

import (
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
		TypeReference: &config.TypeReference{Definition: def}, GoFieldType: codegen.GoFieldVariable}
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
