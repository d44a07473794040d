package main

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"slices"

	"golang.org/x/tools/go/ast/astutil"
)

// marshalPkg is the package of the helpers the rewritten executor calls.
const marshalPkg = "github.com/tanma-gql/gateway/internal/marshal"

// plan is what rewrite applies to a generated executor, decided by the
// plugin from gqlgen's model.
type plan struct {
	// lists are the marshal functions of lists to marshal inline.
	lists map[string]bool
	// leaves are the fields ("Object.field") to marshal directly.
	leaves map[string]bool
	// leafLists are the list marshalers of scalars an internal/marshal
	// writer writes (list marshal function -> element marshal function).
	leafLists map[string]string
	// objects are the marshal functions ("_Object") of the objects gqlgen
	// writes as a field set: every object but the subscription root.
	objects map[string]bool
	// enums are the schema's enums, by name (their model types have it):
	// a plain leaf of one is written with marshal.Enum.
	enums map[string]bool
}

// The rewrites, by the names their errors give.
const (
	inlineListRewrite    = "inline list"
	plainLeafRewrite     = "plain leaf"
	leafListRewrite      = "leaf list"
	objectWriterRewrite  = "object writer"
	deferredGroupRewrite = "deferred group"
	// deferredReceiveRewrite is the one rewrite that changes behaviour, not
	// speed (receive.go).
	deferredReceiveRewrite = "deferred receive"
)

// rewrite applies the plugin's plan to a generated executor, each rewrite a
// call of gqlgen's runtime replaced by internal/marshal's equivalent:
//
//   - inline list: the named list marshalers call marshal.Slice (same
//     signature and result, on the caller's goroutine) instead of
//     graphql.MarshalSliceConcurrently (lists.go).
//   - plain leaf: in each object marshaler, the named leaves are marshaled
//     directly: with an internal/marshal writer of the model's field for a
//     string, ID, Int, Boolean or enum, else with the marshal call gqlgen's
//     ResolveField would end with (leaves.go).
//   - leaf list: each named list of scalars writes its elements with the
//     element's internal/marshal writer (leaves.go).
//   - object writer: every object marshaler collects its fields with
//     marshal.CollectFields, writes its __typename with marshal.Literal and
//     returns marshal.Object(fields, out.Values) instead of its
//     graphql.FieldSet, or, when no field may wait, builds its field set
//     with marshal.NewFieldSet and returns out.Object() (objects.go).
//   - deferred group: every object marshaler builds its @defer group with
//     marshal.DeferredGroup(ctx, fields) instead of
//     graphql.NewDeferredGroup(ctx) (objects.go).
//   - deferred receive: the query's response handler waits for its next
//     deferred result with marshal.NextDeferred(ctx, ec.DeferredResults),
//     which ends with the handler's context, instead of receiving from
//     ec.DeferredResults alone, which may never end (receive.go).
//
// Each rewrite checks that its pattern matched exactly where the plan
// expects it (every named function, leaf and object, once) and nowhere
// else it would apply: otherwise gqlgen's templates have changed, and
// generation fails with a shapeError naming the rewrite rather than
// silently keeping gqlgen's slower code.
func rewrite(src []byte, p plan) ([]byte, error) {
	r, err := parse(src)
	if err != nil {
		return nil, err
	}
	if err := errors.Join(r.inlineLists(p.lists), r.plainLeaves(p.leaves, p.enums), r.leafLists(p.leafLists),
		r.objectWriters(p.objects), r.deferredGroups(p.objects), r.deferredReceives(p.objects)); err != nil {
		return nil, err
	}
	if len(r.edits) == 0 {
		return src, nil
	}
	return apply(src, r.edits)
}

// shapeError: a rewrite did not find the code gqlgen's templates generated
// when the rewrite was written.
type shapeError struct {
	rewrite string // one of the rewrites' names
	where   string // the function, field or object concerned
	problem string
}

func (e *shapeError) Error() string {
	return fmt.Sprintf("%s rewrite: %s: %s: gqlgen's templates changed, adjust the rewrite and its test (README: Upgrading gqlgen)",
		e.rewrite, e.where, e.problem)
}

// rewriter is a parsed executor and the edits the rewrites make to it.
type rewriter struct {
	src   []byte
	fset  *token.FileSet
	file  *ast.File
	funcs map[string]*ast.FuncDecl
	edits []edit
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

func parse(src []byte) (*rewriter, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	r := &rewriter{src: src, fset: fset, file: file, funcs: map[string]*ast.FuncDecl{}}
	for _, fn := range r.bodies() {
		r.funcs[fn.Name.Name] = fn
	}
	return r, nil
}

// bodies are the file's functions with a body, in order.
func (r *rewriter) bodies() []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, decl := range r.file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
			out = append(out, fn)
		}
	}
	return out
}

func (r *rewriter) offset(p token.Pos) int { return r.fset.Position(p).Offset }

// text is n's source.
func (r *rewriter) text(n ast.Node) string { return string(r.src[r.offset(n.Pos()):r.offset(n.End())]) }

// replace records the edit of n's source to text.
func (r *rewriter) replace(n ast.Node, text string) {
	r.edits = append(r.edits, edit{r.offset(n.Pos()), r.offset(n.End()), text})
}

// apply makes the edits, adds the marshal import and formats the result.
func apply(src []byte, edits []edit) ([]byte, error) {
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.start, b.start) })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		out.Write(src[last:e.start])
		out.WriteString(e.text)
		last = e.end
	}
	out.Write(src[last:])
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "generated.go", out.Bytes(), parser.ParseComments)
	if err != nil {
		return nil, err
	}
	astutil.AddImport(fset, file, marshalPkg)
	var b bytes.Buffer
	if err := format.Node(&b, fset, file); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
