package lint

import (
	"context"
	"fmt"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/bench/synth"
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/manifest"
)

// The complexity guard: every rule's work on a synthetic app of
// complexityLarge objects is at most maxWorkRatio times its work on one of
// complexitySmall objects. Linear rules give 4; a rule that joins every
// object with every other gives 16. It counts work, not time, so it holds on
// a loaded CI machine. rules/README.md has the convention it guards.
const (
	complexitySmall = 1000
	complexityLarge = 4000
	maxWorkRatio    = 4.5
)

// TestComplexity evaluates each rule of the catalog alone on synthetic apps
// (bench/synth) of two sizes and compares the work OPA did.
func TestComplexity(t *testing.T) {
	ctx := context.Background()
	compiler, cat := compiledCatalog(t)
	eng, err := NewEngine(ctx, nil)
	require.NoError(t, err)
	sizes := [2]int{complexitySmall, complexityLarge}
	var inputs [2]ast.Value
	for k, n := range sizes {
		inputs[k] = synthInput(t, eng, n)
	}
	for _, r := range cat {
		if r.conftest {
			continue
		}
		// Prepared here, evaluated in parallel: a prepared query may be
		// evaluated concurrently, and the inputs are only read.
		q, err := rego.New(rego.Compiler(compiler), rego.Query(r.ref+".report")).PrepareForEval(ctx)
		require.NoError(t, err)
		t.Run(r.ID, func(t *testing.T) {
			t.Parallel()
			var work [2]workCounter
			var findings [2]int
			for k := range sizes {
				rs, err := q.Eval(ctx, rego.EvalParsedInput(inputs[k]), rego.EvalQueryTracer(&work[k]))
				require.NoError(t, err)
				findings[k] = len(setItems(rs))
			}
			small, large := work[0].total(), work[1].total()
			require.Positive(t, small, "no work counted")
			ratio := float64(large) / float64(small)
			t.Logf("%s: work %d -> %d (events %d -> %d, key checks %d -> %d), ratio %.2f; findings %d -> %d",
				r.ID, small, large, work[0].events, work[1].events, work[0].collisions, work[1].collisions, ratio, findings[0], findings[1])
			if ratio > maxWorkRatio {
				t.Errorf("rule %s does %.2f times the work on %d objects as on %d (at most %.1f): it does not grow linearly with the objects; see rules/README.md",
					r.ID, ratio, sizes[1], sizes[0], maxWorkRatio)
			}
		})
	}
}

// compiledCatalog compiles the built-in catalog as NewEngine does (strict,
// the engine's capabilities), without the aggregate module, so each rule can
// be queried alone.
func compiledCatalog(t testing.TB) (*ast.Compiler, []ruleEntry) {
	t.Helper()
	mods, err := builtinModules(false)
	require.NoError(t, err)
	cat, err := catalog(mods)
	require.NoError(t, err)
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		parsed[m.file] = m.mod
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
	compiler.Compile(parsed)
	require.False(t, compiler.Failed(), "compile: %v", compiler.Errors)
	return compiler, cat
}

// synthInput is the Rego input of a synthetic app of n objects, with the
// rules' default parameters.
func synthInput(t testing.TB, eng *Engine, n int) ast.Value {
	t.Helper()
	objs, err := manifest.Loader{}.Parse(fmt.Sprintf("synth-%d.yaml", n), synth.App(n))
	require.NoError(t, err)
	require.Len(t, objs, n)
	s := DefaultSettings().App
	s.Complete = true
	a := app.Build(objs, s)
	config, err := eng.config(a, Options{})
	require.NoError(t, err)
	in, err := newInput(a, config)
	require.NoError(t, err)
	return in.value(in.objects)
}

// workCounter is a query tracer that counts the evaluation's steps: every
// event (expression evaluated, rule entered, result produced, unification,
// index lookup). One thing costs OPA work no event shows: while it evaluates
// a partial object rule (p[k] := v, p[k] contains v), each result's key is
// checked in Go against the keys of every earlier result (topdown's
// hasCollisions), so k results cost k²/2 comparisons. The counter charges
// those too.
type workCounter struct {
	events, collisions int64
	partials           map[string]*partialEval
}

// partialEval is the evaluation of a partial object rule under way: the
// definitions entered so far and the results they gave.
type partialEval struct {
	entered map[*ast.Rule]bool
	results int64
}

func (*workCounter) Enabled() bool { return true }

func (*workCounter) Config() topdown.TraceConfig { return topdown.TraceConfig{} }

func (w *workCounter) TraceEvent(e topdown.Event) {
	w.events++
	rule, ok := e.Node.(*ast.Rule)
	if !ok || !partialObject(rule) || (e.Op != topdown.EnterOp && e.Op != topdown.ExitOp) {
		return
	}
	// The definitions of one rule share the check.
	name := rule.Module.Package.Path.String() + "." + rule.Head.Ref()[0].String()
	if w.partials == nil {
		w.partials = map[string]*partialEval{}
	}
	p := w.partials[name]
	if p == nil {
		p = &partialEval{entered: map[*ast.Rule]bool{}}
		w.partials[name] = p
	}
	switch e.Op {
	case topdown.EnterOp:
		// OPA enters each definition once per evaluation of the rule.
		if p.entered[rule] {
			clear(p.entered)
			p.results = 0
		}
		p.entered[rule] = true
	case topdown.ExitOp:
		w.collisions += p.results
		p.results++
	}
}

func (w *workCounter) total() int64 { return w.events + w.collisions }

// partialObject: the rule builds an object key by key (a variable in its
// head's reference after the name), where OPA checks each key for collisions.
func partialObject(r *ast.Rule) bool {
	ref := r.Head.Ref()
	return len(ref) > 1 && !ref.IsGround() // IsGround looks past the name
}
