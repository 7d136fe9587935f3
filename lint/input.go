package lint

import (
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/pool"
)

// inputSet is the Rego input of an app, converted once, straight from the
// parsed YAML and the facts (no Go maps, no JSON): every object with its
// raw content, the facts Argo CD derives from it and its tasks in the sync
// order; the run's config; and whether the app is complete. Shards of the
// objects share the objects' terms.
type inputSet struct {
	objects []*ast.Term
	// raws are the objects' raw contents, the input of conftest-style rules.
	raws        []*ast.Term
	config, app *ast.Term
}

// newInput converts an app, objects in parallel (each one alone).
func newInput(a *app.App, config map[string]any) (*inputSet, error) {
	cfg, err := ast.InterfaceToValue(config)
	if err != nil {
		return nil, err
	}
	in := &inputSet{
		objects: make([]*ast.Term, len(a.Objects)),
		raws:    make([]*ast.Term, len(a.Objects)),
		config:  ast.NewTerm(cfg),
		app:     ast.ObjectTerm(ast.Item(ast.InternedTerm("complete"), ast.InternedTerm(a.Complete))),
	}
	pool.Chunks(len(a.Objects), minChunk, func(lo, hi int) {
		c := newConverter()
		for i := lo; i < hi; i++ {
			in.raws[i], in.objects[i] = c.object(a, i)
		}
	})
	return in, nil
}

// value is the input with the given objects: all of them, or a shard.
func (in *inputSet) value(objects []*ast.Term) ast.Value {
	return ast.NewObject(
		ast.Item(ast.InternedTerm("objects"), ast.ArrayTerm(objects...)),
		ast.Item(ast.InternedTerm("config"), in.config),
		ast.Item(ast.InternedTerm("app"), in.app),
	)
}

// converter builds terms; it shares the terms of short strings (keys,
// kinds, annotation values) between the objects it converts. One per
// goroutine: terms are only read once built.
type converter struct {
	strings map[string]*ast.Term
	yaml    manifest.Builder[*ast.Term]
}

func newConverter() *converter {
	c := &converter{strings: map[string]*ast.Term{}}
	c.yaml = manifest.Builder[*ast.Term]{
		Map: func(keys []string, values []*ast.Term) *ast.Term {
			items := make([][2]*ast.Term, len(keys))
			for i, k := range keys {
				items[i] = [2]*ast.Term{c.str(k), values[i]}
			}
			return ast.ObjectTerm(items...)
		},
		List: func(items []*ast.Term) *ast.Term { return ast.ArrayTerm(items...) },
		Scalar: func(v any) *ast.Term {
			if s, ok := v.(string); ok {
				return c.str(s)
			}
			x, err := ast.InterfaceToValue(v) // nil, bool and numbers: no error
			if err != nil {
				panic("internal: scalar " + err.Error())
			}
			return ast.NewTerm(x)
		},
	}
	return c
}

// maxShared is the longest string whose term is shared.
const maxShared = 64

func (c *converter) str(s string) *ast.Term {
	if len(s) > maxShared {
		return ast.StringTerm(s)
	}
	if t, ok := c.strings[s]; ok {
		return t
	}
	t := ast.InternedTerm(s)
	c.strings[s] = t
	return t
}

func (c *converter) item(key string, value *ast.Term) [2]*ast.Term {
	return [2]*ast.Term{c.str(key), value}
}

func (c *converter) strs(xs []string) *ast.Term {
	out := make([]*ast.Term, len(xs))
	for i, x := range xs {
		out[i] = c.str(x)
	}
	return ast.ArrayTerm(out...)
}

// object converts object i: its raw content and its input object.
func (c *converter) object(a *app.App, i int) (raw, obj *ast.Term) {
	o := &a.Objects[i]
	raw = manifest.Convert(o.Node.YNode(), c.yaml)
	tasks := make([]*ast.Term, len(o.Tasks))
	for j, pos := range o.Tasks {
		t := a.Tasks[pos]
		tasks[j] = ast.ObjectTerm(
			c.item("phase", c.str(string(t.Phase))), c.item("wave", ast.InternedTerm(t.Wave)),
			c.item("position", ast.InternedTerm(pos)), c.item("moved", ast.InternedTerm(t.Moved)))
	}
	notString := make([]*ast.Term, len(o.NotString))
	for j, n := range o.NotString {
		notString[j] = ast.ObjectTerm(c.item("key", c.str(n.Key)), c.item("type", c.str(n.Type)), c.item("null", ast.InternedTerm(n.Null)))
	}
	annotations := make([][2]*ast.Term, 0, len(o.Annotations))
	for k, v := range o.Annotations {
		annotations = append(annotations, c.item(k, c.str(v)))
	}
	obj = ast.ObjectTerm(
		c.item("index", ast.InternedTerm(i)), c.item("file", c.str(o.File)), c.item("line", ast.InternedTerm(o.Line)),
		c.item("apiVersion", c.str(o.Ref.APIVersion)), c.item("kind", c.str(o.Ref.Kind)), c.item("group", c.str(o.Group)),
		c.item("namespace", c.str(o.Ref.Namespace)), c.item("name", c.str(o.Ref.Name)),
		c.item("generateName", c.str(o.Ref.GenerateName)),
		c.item("ref", c.str(o.Ref.String())),
		c.item("raw", raw),
		c.item("annotations", ast.ObjectTerm(annotations...)),
		c.item("nonStringAnnotations", ast.ArrayTerm(notString...)),
		c.item("generationFails", ast.InternedTerm(hooks.GenerationFails(o.Group, o.Ref.Kind, len(o.NotString) > 0, a.Version))),
		c.item("argocd", c.facts(o.Facts)),
		c.item("tasks", ast.ArrayTerm(tasks...)),
	)
	return raw, obj
}

// facts is the Rego form of an object's facts: the JSON field names of
// hooks.Facts, built directly (a test keeps the two equal).
func (c *converter) facts(f hooks.Facts) *ast.Term {
	b := ast.InternedTerm[bool]
	return ast.ObjectTerm(
		c.item("annotationsReadable", b(f.AnnotationsReadable)),
		c.item("role", c.str(string(f.Role))),
		c.item("isHook", b(f.IsHook)),
		c.item("types", c.strs(strs(f.Types))),
		c.item("skip", b(f.Skip)),
		c.item("ignored", b(f.Ignored)),
		c.item("phases", c.strs(strs(f.Phases))),
		c.item("deleteTypes", c.strs(strs(f.DeleteTypes))),
		c.item("deletePolicies", c.strs(strs(f.DeletePolicies))),
		c.item("explicitDeletePolicies", c.strs(strs(f.ExplicitDeletePolicies))),
		c.item("wave", ast.InternedTerm(f.Wave)),
		c.item("waveSource", c.str(f.WaveSource)),
		c.item("typesFrom", c.str(f.TypesFrom)),
		c.item("helmTypesIgnored", b(f.HelmTypesIgnored)),
		c.item("invalidHookTypes", c.invalids(f.InvalidHookTypes)),
		c.item("invalidHelmHooks", c.invalids(f.InvalidHelmHooks)),
		c.item("invalidDeletePolicies", c.invalids(f.InvalidDeletePolicies)),
		c.item("invalidWaves", c.invalids(f.InvalidWaves)),
		c.item("syncOptions", c.strs(strs(f.SyncOptions))),
		c.item("skipCombined", b(f.SkipCombined)),
	)
}

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func (c *converter) invalids(xs []hooks.Invalid) *ast.Term {
	out := make([]*ast.Term, len(xs))
	for i, x := range xs {
		items := [][2]*ast.Term{c.item("key", c.str(x.Key)), c.item("value", c.str(x.Value))}
		if x.Suggestion != "" {
			items = append(items, c.item("suggestion", c.str(x.Suggestion)))
		}
		out[i] = ast.ObjectTerm(items...)
	}
	return ast.ArrayTerm(out...)
}

// minChunk is the fewest objects worth a goroutine of their own.
const minChunk = 64
