package model_test

import (
	"context"
	"testing"

	"github.com/tanma-gql/gateway/graph/model"
	"github.com/tanma-gql/gateway/internal/refdata"
	"github.com/tanma-gql/gateway/internal/sandbox"
	"github.com/tanma-gql/gateway/internal/tanma"
)

// sandboxFieldSet is the sandbox's definitions as the gateway indexes them.
func sandboxFieldSet() *refdata.FieldSet {
	var defs []tanma.FieldDef
	for _, f := range sandbox.Default().Fields {
		d := tanma.FieldDef{ID: f.ID, Name: f.Name, Type: f.Type, Stable: f.System}
		if f.System {
			key := f.Key
			d.OuterField = &key
		}
		for _, o := range f.Options {
			d.Items = append(d.Items, tanma.FieldItem{ID: tanma.Text(o.ID), Name: o.Name})
		}
		defs = append(defs, d)
	}
	return refdata.NewFieldSet(defs)
}

// BenchmarkTypeFields types every field of one customer (18 fields, every
// type code) with labels.
func BenchmarkTypeFields(b *testing.B) {
	set := sandboxFieldSet()
	c := sandbox.Default().CustomersOf("wangfang")[3]
	report := func(string, model.FieldValueProblem) {}
	b.ReportAllocs()
	for b.Loop() {
		_ = model.TypeFields(c.Fields, set, report)
	}
}

// BenchmarkNewCustomer maps one upstream list item to the Customer model,
// its 18 fields typed.
func BenchmarkNewCustomer(b *testing.B) {
	set := sandboxFieldSet()
	c := sandbox.Default().CustomersOf("wangfang")[3]
	ref := noReference{}
	b.ReportAllocs()
	for b.Loop() {
		_ = model.NewCustomer(b.Context(), c, set, ref)
	}
}

// noReference is a model.Reference with no reference data.
type noReference struct{ model.Reference }

func (noReference) ReportField(context.Context, string, model.FieldValueProblem) {}
