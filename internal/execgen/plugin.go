package main

import (
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"github.com/99designs/gqlgen/plugin"
	"github.com/vektah/gqlparser/v2/ast"
)

// inlinePlugin shapes what gqlgen generates so that nothing which cannot
// wait runs on a goroutine of its own:
//
//   - A field bound to a model method runs on its object's goroutine, even
//     when the method takes a context (gqlgen would run it concurrently).
//     The gateway's rule: model methods compute from what the model holds
//     and the request's reference snapshot; anything that may wait on a
//     loader or the upstream is a resolver (`resolver: true` in gqlgen.yml),
//     and resolvers keep running concurrently, so loaders still batch.
//   - A field that reads a struct field of a scalar or enum type whose
//     marshaling cannot fail, or of an object made only of such fields
//     (see plainField), is marshaled directly, without
//     gqlgen's per-field machinery: a field context, a context value, a
//     resolver closure and the result boxed in an interface, about six
//     allocations for every leaf of every object of a response, which
//     nothing can observe for such a field (it cannot fail, panic or wait;
//     the gateway installs no field interceptors: TestNoFieldInterceptors).
//   - A list whose element type can never wait (no resolver reachable from
//     it, see typeGraph.mayWait) is marshaled on the caller's goroutine;
//     lists whose elements may wait keep gqlgen's goroutine per element.
//
// It also writes every object without a map of written aliases, builds
// an object's @defer group only when one of its fields is deferred, and
// makes the query's wait for a deferred part end with its request
// (receive.go: the one rewrite that changes behaviour, not speed).
//
// GenerateCode runs after gqlgen built its model and before it writes the
// executor: it applies the first rule to that model and records in its
// plan which leaves, lists and objects the others apply to; rewrite then
// applies the plan to the file.
type inlinePlugin struct {
	plan plan
}

var (
	_ plugin.Plugin        = (*inlinePlugin)(nil)
	_ plugin.CodeGenerator = (*inlinePlugin)(nil)
)

func (*inlinePlugin) Name() string { return "execgen-inline" }

// GenerateCode applies the field rule and makes the plan.
func (p *inlinePlugin) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		for _, f := range o.Fields {
			if modelMethodWithContext(o, f) {
				// gqlgen runs a field concurrently when it takes a context
				// unless its object disables concurrency (as it does for
				// Mutation); the field gets its own view of the object that
				// does, so only this field changes.
				inline := *f.Object
				inline.DisableConcurrency = true
				f.Object = &inline
			}
		}
	}
	p.plan = plan{leaves: map[string]bool{}, lists: map[string]bool{}, objects: map[string]bool{}, enums: map[string]bool{},
		leafLists: map[string]string{}}
	if data.Schema != nil {
		for name, def := range data.Schema.Types {
			if def.Kind == ast.Enum {
				p.plan.enums[name] = true
			}
		}
	}
	static := staticObjects(data.Objects)
	for _, o := range data.Objects {
		if !o.Stream {
			p.plan.objects["_"+o.Name] = true
		}
		for _, f := range o.Fields {
			if plainField(o, f, static) {
				p.plan.leaves[o.Name+"."+f.Name] = true
			}
		}
	}
	waits := graphOf(data).mayWait()
	for _, ref := range data.ReferencedTypes {
		if ref.IsSlice() && isComposite(ref.Definition) && !waits[ref.Definition.Name] {
			p.plan.lists[ref.MarshalFunc()] = true
		}
		if ref.IsSlice() && !isComposite(ref.Definition) {
			if element := ref.Elem().MarshalFunc(); scalarWriters[element] != "" {
				p.plan.leafLists[ref.MarshalFunc()] = element
			}
		}
	}
	return nil
}

// modelMethodWithContext: f is bound to a method of o's model that takes a
// context, and nothing else makes it concurrent (no resolver, no runtime
// directive, not a root field or a stream).
func modelMethodWithContext(o *codegen.Object, f *codegen.Field) bool {
	return f.IsMethod() && f.MethodHasContext && !f.IsResolver && !f.IsBatch() && !f.HasDirectives() &&
		!f.Stream && !o.Root
}

// plainField: f reads a struct field (no resolver, method, arguments or
// runtime directives) of a type whose marshaling cannot fail: a safe leaf,
// or a static object (or a list of them) where it cannot be null for a
// non-null type. Nothing under such a field adds an error or waits, so
// nothing can observe the field context gqlgen would give it (an error
// path, a resolver reading it).
func plainField(o *codegen.Object, f *codegen.Field, static map[string]bool) bool {
	return !o.Root && f.IsVariable() && !f.IsResolver && !f.IsBatch() && len(f.Args) == 0 && !f.HasDirectives() &&
		(safeLeaf(f.TypeReference) || safeObject(f.TypeReference, static))
}

// staticObjects are the objects whose every field is a plain field: those
// of safe leaves first, then those whose object fields are static too, to
// a fixed point (an object that reaches itself is never static). Writing
// one can neither fail nor wait.
func staticObjects(objects codegen.Objects) map[string]bool {
	static := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for _, o := range objects {
			if static[o.Name] || o.Root || o.Stream || hasRuntimeDirective(o.Directives) {
				continue
			}
			all := true
			for _, f := range o.Fields {
				if !plainField(o, f, static) {
					all = false
					break
				}
			}
			if all {
				static[o.Name], changed = true, true
			}
		}
	}
	return static
}

// safeObject: values of ref (an object, or a list of them) are static
// objects that cannot be null where the type is non-null.
func safeObject(ref *config.TypeReference, static map[string]bool) bool {
	if ref.IsSlice() {
		return safeObject(ref.Elem(), static)
	}
	d := ref.Definition
	return d != nil && d.Kind == ast.Object && static[d.Name] && !(ref.GQL.NonNull && ref.IsNilable())
}

// safeLeaf: values of ref (a scalar, an enum, or a list of them) marshal
// without adding an error: no null for a non-null type (a pointer could be
// nil) and no marshaler that reports errors when written (gqlgen's Float
// refuses NaN and infinities through a context marshaler).
func safeLeaf(ref *config.TypeReference) bool {
	if ref.IsSlice() {
		return safeLeaf(ref.Elem())
	}
	d := ref.Definition
	if d == nil || d.Kind != ast.Scalar && d.Kind != ast.Enum {
		return false
	}
	return !ref.IsContext && !(ref.GQL.NonNull && ref.IsNilable())
}

// graphOf reads the output types of gqlgen's model into a typeGraph.
func graphOf(data *codegen.Data) typeGraph {
	g := typeGraph{}
	for _, o := range data.Objects {
		n := typeNode{waits: hasRuntimeDirective(o.Directives)}
		for _, f := range o.Fields {
			if f.IsConcurrent() || f.HasDirectives() {
				n.waits = true
			}
			if isComposite(f.TypeReference.Definition) {
				n.children = append(n.children, f.TypeReference.Definition.Name)
			}
		}
		g[o.Name] = n
	}
	for name, i := range data.Interfaces {
		n := typeNode{}
		for _, impl := range i.Implementors {
			n.children = append(n.children, impl.Name)
		}
		g[name] = n
	}
	return g
}

func hasRuntimeDirective(ds []*codegen.Directive) bool {
	for _, d := range ds {
		if !d.SkipRuntime {
			return true
		}
	}
	return false
}

// isComposite: values of the type are marshaled field by field (objects,
// interfaces, unions), not by a scalar or enum marshaler.
func isComposite(d *ast.Definition) bool {
	return d != nil && (d.Kind == ast.Object || d.Kind == ast.Interface || d.Kind == ast.Union)
}
