package lint

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/bench/synth"
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// objectLocal reads a rule's compiled Rego: one iteration over the objects
// is local; a join, a count, a grouping rule, an index or a helper that
// reads the set is not.
func TestObjectLocal(t *testing.T) {
	cases := map[string]struct {
		src   string
		local bool
	}{
		"one object": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	obj.kind == "Job"
	input.config.hookFinalizer
}`, true},
		"assignment form": {`report contains {"object": obj.index, "msg": "x"} if {
	obj := input.objects[_]
	obj.kind == "Job"
}`, true},
		"helper of one object": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	_job(obj)
}

_job(o) if o.kind == "Job"`, true},
		"join": {`report contains {"object": a.index, "msg": "x"} if {
	some a in input.objects
	some b in input.objects
	a.name == b.name
	a.index != b.index
}`, false},
		"index of the list": {`report contains {"object": i, "msg": "x"} if {
	some i, obj in input.objects
	obj.kind == "Job"
}`, false},
		"count": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	count(input.objects) > 1
}`, false},
		"comprehension over the set": {`report contains {"object": 0, "msg": "x"} if {
	jobs := [o | some o in input.objects; o.kind == "Job"]
	count(jobs) > 1
}`, false},
		"grouping rule": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	obj.name in _names
}

_names contains o.name if {
	some o in input.objects
	o.kind == "Service"
}`, false},
		"helper reads the set": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	_twin(obj)
}

_twin(o) if {
	some other in input.objects
	other.name == o.name
	other.index != o.index
}`, false},
		"whole input": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	_f(input, obj)
}

_f(i, o) if count(i.objects) > o.index`, false},
		"with": {`report contains {"object": obj.index, "msg": "x"} if {
	some obj in input.objects
	_n == 1 with input.app as {}
}

_n := 1`, false},
		"no iteration": {`report contains {"object": 0, "msg": "x"} if input.app.complete`, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := "# METADATA\n# title: T\n# custom:\n#   id: t\n#   severity: error\n#   remediation: Fix.\npackage hookguard.rules.test[\"t\"]\n\n" + c.src + "\n"
			m, err := ast.ParseModuleWithOpts("t.rego", src, parserOptions)
			require.NoError(t, err)
			compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
			compiler.Compile(map[string]*ast.Module{"t.rego": m})
			require.False(t, compiler.Failed(), "%v", compiler.Errors)
			cat, err := catalog([]module{{file: "t.rego", mod: m}})
			require.NoError(t, err)
			assert.Equal(t, c.local, objectLocal(compiler, cat[0]))
		})
	}
}

// The catalog's rules that set objects apart from each other are not local.
func TestCatalogLocality(t *testing.T) {
	e := engine(t)
	require.NoError(t, e.ready())
	for _, id := range []string{"hook-dependency-order", "hook-image-drift", "hook-generate-name-collision", "hook-recreated-every-sync", "hooks-only-app"} {
		assert.False(t, e.local[id], id)
	}
	assert.True(t, e.local["hook-command-not-rerunnable"])
}

// The results do not depend on the scheduling: one compiler or several,
// one shard or one shard per object, one processor or several, every
// object handed to every rule or only those its domain admits, the
// findings are the same, in the same order. On the examples of every rule, the shared corpus and a synthetic
// app, so every local rule fires somewhere.
func TestShardedEqualsWhole(t *testing.T) {
	sets := map[string][]manifest.Object{}
	examples, err := filepath.Glob("../rules/*/*/bad.yaml")
	require.NoError(t, err)
	var all []manifest.Object
	for _, p := range examples {
		objs, err := manifest.Loader{}.Load([]string{p})
		if err == nil {
			all = append(all, objs...)
		}
	}
	sets["examples"] = all
	corpus := filepath.Join("..", "..", "shared", "corpus", "plain")
	if _, err := os.Stat(corpus); err == nil {
		objs, err := manifest.Loader{}.Load([]string{corpus})
		require.NoError(t, err)
		sets["corpus"] = objs
	} else {
		t.Logf("%s is not here (%v): examples and synthetic app only", corpus, err)
	}
	objs, err := manifest.Loader{}.Parse("synth.yaml", synth.App(300))
	require.NoError(t, err)
	sets["synth"] = objs

	e, err := newEngine(context.Background(), nil, 3, false)
	require.NoError(t, err)
	one, err := newEngine(context.Background(), nil, 1, true)
	require.NoError(t, err)
	require.NoError(t, e.ready())
	require.NoError(t, one.ready())
	require.Len(t, e.compilers, 3)
	require.Len(t, one.compilers, 1)
	e.domainsFrom = 0 // domains on the smallest sets too
	fired := map[string]bool{}

	// Some rules fire only for older Argo CD releases.
	versions := []hooks.Version{hooks.Latest, {Major: 2, Minor: 9}}
	for name, objs := range sets {
		for _, v := range versions {
			s := DefaultSettings().App
			s.Complete, s.Version = true, v
			shardedEqualsWhole(t, one, e, name+" "+v.String(), app.Build(objs, s), fired)
			droppedTreesEqual(t, e, name+" "+v.String(), objs, s)
		}
	}
	e.shards = 0
	for id, local := range e.local {
		if local {
			assert.True(t, fired[id], "local rule %s fires nowhere: the test does not check it", id)
		}
	}
}

// shardedEqualsWhole compares one evaluation of everything (one compiler,
// one shard, one processor, every object to every rule) with e's.
func shardedEqualsWhole(t *testing.T, one, e *Engine, name string, a *app.App, fired map[string]bool) {
	ctx := context.Background()
	{
		one.shards, one.wholeDomains = 1, true
		prev := runtime.GOMAXPROCS(1)
		whole, err := one.Run(ctx, a, Options{})
		runtime.GOMAXPROCS(prev)
		require.NoError(t, err)
		for _, shards := range []int{0, 1, 3, len(a.Objects)} {
			e.shards = shards
			got, err := e.Run(ctx, a, Options{})
			require.NoError(t, err)
			require.Equal(t, whole.Findings, got.Findings, "%s with %d shards", name, shards)
		}
		for _, f := range whole.Findings {
			fired[f.Rule] = true
		}
	}
}

// Dropping the YAML trees once converted changes no finding: positions
// are kept.
func droppedTreesEqual(t *testing.T, e *Engine, name string, objs []manifest.Object, s app.Settings) {
	ctx := context.Background()
	want, err := e.Run(ctx, app.Build(objs, s), Options{})
	require.NoError(t, err)
	a := app.Build(objs, s)
	got, err := e.Run(ctx, a, Options{DropTrees: true})
	require.NoError(t, err)
	require.Equal(t, want.Findings, got.Findings, name)
	for _, o := range a.Objects {
		require.Nil(t, o.Node, "%s: %s kept its tree", name, o.Ref)
	}
}

// Disabled rules are not evaluated at all: the queries prepared for a run
// name only the enabled rules.
func TestDisabledRulesAreNotEvaluated(t *testing.T) {
	e := engine(t)
	objs, err := manifest.Loader{}.Parse("synth.yaml", synth.App(50))
	require.NoError(t, err)
	a := app.Build(objs, DefaultSettings().App)
	opts := Options{Disabled: map[string]bool{}}
	for _, r := range e.rules {
		opts.Disabled[r.ID] = true
	}
	kept := []string{"hook-deadline-missing", "hook-image-drift"}
	for _, id := range kept {
		delete(opts.Disabled, id)
	}
	res, err := e.Run(context.Background(), a, opts)
	require.NoError(t, err)
	require.NotEmpty(t, res.Findings)
	for _, f := range res.Findings {
		assert.Contains(t, kept, f.Rule)
	}
	require.NotEmpty(t, e.prepared)
	for text := range e.prepared {
		for _, r := range e.rules {
			if opts.Disabled[r.ID] {
				assert.NotContains(t, text, `"`+r.ID+`"`, "disabled rule %s is in a query", r.ID)
			}
		}
	}
}
