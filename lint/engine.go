package lint

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/pool"
)

// Engine holds the compiled rules. Build it once, run it on many sets.
type Engine struct {
	rules []ruleEntry
	byID  map[string]ruleEntry

	// compiled is closed once compilers, local and compileErr are set.
	compiled   chan struct{}
	compileErr error
	compilers  []*ast.Compiler
	// compilerOf is the compiler that holds each rule.
	compilerOf map[string]*ast.Compiler
	// local marks the rules whose every result comes from one object
	// alone (see objectLocal): they are evaluated over shards of the
	// objects in parallel; the others over the whole set.
	local map[string]bool
	// domains are the local rules' domains (see ruleDomain).
	domains map[string]domain

	mu       sync.Mutex
	prepared map[string]*rego.PreparedEvalQuery // by query text
	// shards overrides the number of shards (tests); 0 chooses.
	shards int
	// wholeDomains hands every object to every rule (tests).
	wholeDomains bool
	// domainsFrom is the fewest objects whose rules are split by domain
	// (tests lower it).
	domainsFrom int
}

// NewEngine compiles the built-in catalog and the Rego files below
// policyDirs. A policy that does not parse or compile is an error naming its
// file and line.
//
// With custom policies the compile happens here, so their errors come
// first. The built-in catalog alone cannot fail to compile (its tests
// compile it as NewEngine does), so it compiles in the background while
// the caller reads its manifests, and commands that only list the rules
// never wait for it.
func NewEngine(ctx context.Context, policyDirs []string) (*Engine, error) {
	return newEngine(ctx, policyDirs, min(runtime.GOMAXPROCS(0), maxCompilers), false)
}

// newEngine is NewEngine with the catalog over at most compilers compilers,
// checked or not (see compile).
func newEngine(_ context.Context, policyDirs []string, compilers int, checked bool) (*Engine, error) {
	mods, err := builtinModules(false)
	if err != nil {
		return nil, err
	}
	custom, err := customModules(policyDirs)
	if err != nil {
		return nil, err
	}
	mods = append(mods, custom...)
	cat, err := catalog(mods)
	if err != nil {
		return nil, err
	}
	e := &Engine{rules: cat, byID: map[string]ruleEntry{}, compiled: make(chan struct{}), prepared: map[string]*rego.PreparedEvalQuery{}, domainsFrom: domainsFrom}
	for _, r := range cat {
		e.byID[r.ID] = r
	}
	if len(custom) == 0 {
		go e.compile(mods, compilers, checked)
		return e, nil
	}
	if e.compile(mods, 1, true); e.compileErr != nil {
		return nil, e.compileErr
	}
	return e, nil
}

// checkOnlyStages are the compile stages that only report errors: they
// change nothing the evaluation reads.
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports, ast.StageCheckKeywordOverrides, ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls, ast.StageCheckRuleConflicts, ast.StageCheckUndefinedFuncs,
	ast.StageCheckRecursion, ast.StageCheckTypes, ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins, ast.StageBuildRequiredCapabilities,
}

// domainsFrom is the fewest objects whose local rules run by domain.
const domainsFrom = 256

// maxCompilers bounds the compilers of the built-in catalog: each compiles
// the library again.
const maxCompilers = 4

// compile compiles the modules over the given number of compilers, in
// parallel, and reads which rules are local. With more than one, each
// compiler holds the shared modules (the library) and a share of the rule
// packages, so the start-up compile uses every processor; rules do not
// read each other's packages, only the library's. Custom policies compile
// in one compiler: they may read anything.
//
// Unless checked, the compile skips the stages that only look for errors
// (checkOnlyStages): for the embedded catalog alone, whose every file the
// tests compile with all of them.
func (e *Engine) compile(mods []module, compilers int, checked bool) {
	defer close(e.compiled)
	groups := splitModules(mods, compilers)
	parsed := make([]*ast.Compiler, len(groups))
	errs := make([]error, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() {
			// Strict, as the Rego unit tests compile: unused variables and
			// imports, shadowed names and deprecated built-ins are errors,
			// not silent no-ops.
			c := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
			if !checked {
				c = c.WithSkipStages(checkOnlyStages...)
			}
			byFile := map[string]*ast.Module{}
			for _, m := range g {
				byFile[m.file] = m.mod
			}
			if c.Compile(byFile); c.Failed() {
				errs[i] = explainBlocked(c.Errors)
			}
			parsed[i] = c
		})
	}
	wg.Wait()
	if e.compileErr = firstError(errs); e.compileErr != nil {
		return
	}
	builtin := map[string]bool{}
	for _, m := range mods {
		if m.builtin {
			builtin[m.file] = true
		}
	}
	// A rule's file is in one group; the library's, in every group, hold
	// no rule.
	byFile := map[string]*ast.Compiler{}
	for i, g := range groups {
		for _, m := range g {
			byFile[m.file] = parsed[i]
		}
	}
	e.compilerOf = map[string]*ast.Compiler{}
	local, domains := map[string]bool{}, map[string]domain{}
	for _, r := range e.rules {
		c := byFile[r.File]
		e.compilerOf[r.ID] = c
		if !r.conftest {
			if local[r.ID] = objectLocal(c, r); local[r.ID] {
				domains[r.ID] = ruleDomain(c, r, builtin)
			}
		}
	}
	e.compilers, e.local, e.domains = parsed, local, domains
}

// splitModules deals the rule packages out to n groups, largest first to
// the least loaded, each group with every other module (the library).
func splitModules(mods []module, n int) [][]module {
	var shared []module
	packages := map[string][]module{}
	for _, m := range mods {
		pkg := m.mod.Package.Path.String()
		if n > 1 && strings.HasPrefix(pkg, rulesPrefix) {
			packages[pkg] = append(packages[pkg], m)
		} else {
			shared = append(shared, m)
		}
	}
	weight := func(ms []module) int {
		w := 0
		for _, m := range ms {
			w += len(m.mod.Rules)
		}
		return w
	}
	names := slices.SortedFunc(maps.Keys(packages), func(a, b string) int {
		if d := weight(packages[b]) - weight(packages[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	n = max(min(n, len(names)), 1)
	groups := make([][]module, n)
	load := make([]int, n)
	for _, name := range names {
		i := slices.Index(load, slices.Min(load))
		groups[i] = append(groups[i], packages[name]...)
		load[i] += weight(packages[name])
	}
	for i := range groups {
		groups[i] = append(groups[i], shared...)
	}
	return groups
}

// ready waits for the compile.
func (e *Engine) ready() error {
	<-e.compiled
	return e.compileErr
}

// query prepares (once per engine) the query that collects the results of
// rules: one variable per rule, bound to the list of its results (of its
// report, or of its deny/warn/violation rule for conftest rules).
func (e *Engine) query(ctx context.Context, rules []ruleEntry) (*rego.PreparedEvalQuery, error) {
	var b strings.Builder
	for i, r := range rules {
		if i > 0 {
			b.WriteString("; ")
		}
		src := r.ref
		if !r.conftest {
			src += ".report"
		}
		fmt.Fprintf(&b, "r%d := [v | some v in %s]", i, src)
	}
	text := b.String()
	e.mu.Lock()
	defer e.mu.Unlock()
	if q, ok := e.prepared[text]; ok {
		return q, nil
	}
	c := e.compilerOf[rules[0].ID]
	for _, r := range rules {
		if e.compilerOf[r.ID] != c {
			return nil, fmt.Errorf("internal: rules %s and %s are in different compilers", rules[0].ID, r.ID)
		}
	}
	q, err := rego.New(rego.Compiler(c), rego.Query(text)).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing rules: %w", err)
	}
	e.prepared[text] = &q
	return &q, nil
}

// Rules returns the catalog, sorted by id, its texts with the parameters'
// defaults (RulesWith: the run's settings).
func (e *Engine) Rules() []finding.Rule {
	defaults := map[string]any{}
	for _, r := range e.rules {
		for _, p := range r.Parameters {
			defaults[p.Name] = p.Default
		}
	}
	out := make([]finding.Rule, len(e.rules))
	for i, r := range e.rules {
		out[i] = r.Rule
		out[i].Remediation = expandSettings(r.Remediation, defaults)
	}
	return out
}

// rawResult is one element of a rule's report.
type rawResult struct {
	rule   string
	object int
	msg    string
	path   []string
	// severity, when a result sets one, grades this finding apart from the
	// rule's default (a Helm test hook is info where other drops warn).
	severity finding.Severity
}

// task is one evaluation: rules over some objects (all, or a shard).
type task struct {
	query   *rego.PreparedEvalQuery
	rules   []ruleEntry
	objects []*ast.Term
	// raw: one conftest evaluation per object, on its raw content.
	raw bool
	// results: per rule of the query (per object and rule for raw tasks),
	// its results as {"rule": id, "result": value} terms.
	results [][]*ast.Term
}

// eval runs the enabled rules: the hookguard rules on the set input (rules
// of one object over shards of the objects in parallel, the others together
// on the whole set) and the conftest rules on each object. The outcome does
// not depend on the scheduling: results are put in one order by their
// fields, without duplicates, as one evaluation of the whole set gives them.
func (e *Engine) eval(ctx context.Context, a *app.App, config map[string]any, enabled func(string) bool, dropTrees bool) ([]rawResult, error) {
	in, err := newInput(a, config)
	if err != nil {
		return nil, fmt.Errorf("internal: input: %w", err)
	}
	if dropTrees {
		pool.Chunks(len(a.Objects), minChunk, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				a.Objects[i].KeepPositions()
			}
		})
	}
	if err := e.ready(); err != nil {
		return nil, err
	}
	tasks, conftest, err := e.tasks(ctx, in, enabled)
	if err != nil {
		return nil, err
	}
	if err := runTasks(ctx, append(tasks, conftest...), in); err != nil {
		return nil, err
	}
	out, err := results(tasks, len(in.objects))
	if err != nil {
		return nil, err
	}
	return conftestResults(conftest, out)
}

// tasks plans the evaluations of the enabled rules: the hookguard rules'
// and the conftest rules'.
func (e *Engine) tasks(ctx context.Context, in *inputSet, enabled func(string) bool) (tasks, conftestTasks []*task, err error) {
	// Local rules are grouped by compiler and by the roles their domains
	// admit: a group runs over the objects some rule of it admits. Finer
	// groups would spare more evaluations but share less: within one
	// query OPA computes a helper (lib.containers(obj)) once per object.
	// A small set is not worth a query per group.
	whole := e.wholeDomains || len(in.objects) < e.domainsFrom
	var conftest []ruleEntry
	local := map[string][]ruleEntry{} // by group
	setWide := map[int][]ruleEntry{}  // by compiler
	for _, r := range e.rules {
		switch {
		case !enabled(r.ID):
		case r.conftest:
			conftest = append(conftest, r)
		case e.local[r.ID]:
			key := fmt.Sprint(slices.Index(e.compilers, e.compilerOf[r.ID]))
			if !whole {
				key += " " + e.domains[r.ID].roleKey()
			}
			local[key] = append(local[key], r)
		default:
			// The rules that read the set run together, one query per
			// compiler: OPA computes their shared helpers once.
			c := slices.Index(e.compilers, e.compilerOf[r.ID])
			setWide[c] = append(setWide[c], r)
		}
	}
	for _, c := range slices.Sorted(maps.Keys(setWide)) {
		q, err := e.query(ctx, setWide[c])
		if err != nil {
			return nil, nil, err
		}
		tasks = append(tasks, &task{query: q, rules: setWide[c], objects: in.objects})
	}
	groups := map[string]domain{}
	for key, rules := range local {
		if !whole {
			ds := make([]domain, len(rules))
			for i, r := range rules {
				ds[i] = e.domains[r.ID]
			}
			groups[key] = union(ds)
		}
	}
	admitted := filterAll(slices.Collect(maps.Values(groups)), in.objects)
	for _, key := range slices.Sorted(maps.Keys(local)) {
		rules := local[key]
		objects := in.objects
		if d := groups[key]; d != nil {
			objects = admitted[d.key()]
		}
		if len(objects) == 0 {
			continue
		}
		q, err := e.query(ctx, rules)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range shardBounds(len(objects), e.shards) {
			tasks = append(tasks, &task{query: q, rules: rules, objects: objects[s[0]:s[1]]})
		}
	}
	if len(conftest) > 0 {
		q, err := e.query(ctx, conftest)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range shardBounds(len(in.objects), e.shards) {
			conftestTasks = append(conftestTasks, &task{query: q, rules: conftest, objects: in.raws[s[0]:s[1]], raw: true})
		}
	}
	return tasks, conftestTasks, nil
}

// results are the hookguard rules' results, decoded on every processor,
// then in one order whatever the scheduling, without duplicates.
func results(tasks []*task, n int) ([]rawResult, error) {
	var items []*ast.Term
	for _, t := range tasks {
		for _, rs := range t.results {
			items = append(items, rs...)
		}
	}
	decoded := make([]rawResult, len(items))
	errs := make([]error, len(items))
	pool.Chunks(len(items), minChunk, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			v, err := ast.JSON(items[i].Value)
			if err != nil {
				errs[i] = fmt.Errorf("internal: result: %w", err)
				continue
			}
			decoded[i], errs[i] = decodeResult(v, n)
		}
	})
	if err := firstError(errs); err != nil {
		return nil, err
	}
	slices.SortFunc(decoded, compareResults)
	return slices.CompactFunc(decoded, func(a, b rawResult) bool { return compareResults(a, b) == 0 }), nil
}

// conftestResults appends the conftest rules' results, object by object,
// each object's as a set.
func conftestResults(tasks []*task, out []rawResult) ([]rawResult, error) {
	object := 0
	for _, t := range tasks {
		for _, rs := range t.results {
			set := ast.NewSet(rs...)
			var err error
			set.Foreach(func(item *ast.Term) {
				if err != nil {
					return
				}
				var v any
				if v, err = ast.JSON(item.Value); err != nil {
					return
				}
				m, _ := v.(map[string]any)
				rule, _ := m["rule"].(string)
				var msg string
				if msg, err = conftestMessage(rule, m["result"]); err == nil {
					out = append(out, rawResult{rule: rule, object: object, msg: msg})
				}
			})
			if err != nil {
				return nil, err
			}
			object++
		}
	}
	return out, nil
}

// compareResults orders results by object, rule, message, path and
// severity: every field, so equal results are duplicates.
func compareResults(a, b rawResult) int {
	return cmp.Or(
		cmp.Compare(a.object, b.object),
		strings.Compare(a.rule, b.rule),
		strings.Compare(a.msg, b.msg),
		slices.Compare(a.path, b.path),
		strings.Compare(string(a.severity), string(b.severity)),
	)
}

// shardBounds cuts n objects into shards: a few per processor, so a slow
// shard does not leave a processor idle, and none too small to pay for
// its evaluation.
func shardBounds(n, count int) [][2]int {
	if count <= 0 {
		count = max(min(4*runtime.GOMAXPROCS(0), n/minChunk), 1)
	}
	count = min(count, max(n, 1))
	out := make([][2]int, count)
	for i := range out {
		out[i] = [2]int{n * i / count, n * (i + 1) / count}
	}
	return out
}

// runTasks evaluates the tasks on every processor, in order of start; the
// error reported is the first task's, whatever finished first.
func runTasks(ctx context.Context, tasks []*task, in *inputSet) error {
	errs := make([]error, len(tasks))
	pool.Each(len(tasks), func(i int) {
		if ctx.Err() == nil {
			errs[i] = tasks[i].run(ctx, in)
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	return firstError(errs)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// rawTerm returns the term a query result holds, unconverted.
var rawTerm = rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil })

func (t *task) run(ctx context.Context, in *inputSet) error {
	inputs := []ast.Value{in.value(t.objects)}
	if t.raw {
		inputs = make([]ast.Value, len(t.objects))
		for i, o := range t.objects {
			inputs[i] = o.Value
		}
	}
	for _, input := range inputs {
		rs, err := t.query.Eval(ctx, rego.EvalParsedInput(input), rawTerm)
		if err != nil {
			if t.raw {
				return fmt.Errorf("evaluating conftest rules: %w", err)
			}
			return fmt.Errorf("evaluating rules: %w", err)
		}
		var results []*ast.Term
		for _, res := range rs {
			for i, r := range t.rules {
				list, _ := res.Bindings[fmt.Sprintf("r%d", i)].(*ast.Term)
				if list == nil {
					continue
				}
				arr, _ := list.Value.(*ast.Array)
				if arr == nil {
					continue
				}
				id := ast.StringTerm(r.ID)
				arr.Foreach(func(v *ast.Term) {
					results = append(results, ast.ObjectTerm(ast.Item(ast.InternedTerm("rule"), id), ast.Item(ast.InternedTerm("result"), v)))
				})
			}
		}
		t.results = append(t.results, results)
	}
	return nil
}

// setItems flattens the set a query returned (a Rego set arrives as []any).
func setItems(rs rego.ResultSet) []any {
	var out []any
	for _, set := range rs {
		for _, x := range set.Expressions {
			if items, ok := x.Value.([]any); ok {
				out = append(out, items...)
			}
		}
	}
	return out
}

// decodeResult checks the shape of a rule result: {"object": <index>,
// "msg": <string>, "path": [<string>...]}. A malformed result is an error,
// never a silently dropped finding.
func decodeResult(item any, n int) (rawResult, error) {
	m, _ := item.(map[string]any)
	rule, _ := m["rule"].(string)
	res, ok := m["result"].(map[string]any)
	if !ok {
		return rawResult{}, fmt.Errorf("rule %s: a result must be an object {object, msg, path}, got %v", rule, m["result"])
	}
	msg, ok := res["msg"].(string)
	if !ok || msg == "" {
		return rawResult{}, fmt.Errorf("rule %s: result has no string msg: %v", rule, res)
	}
	idx, err := toIndex(res["object"])
	if err != nil || idx < 0 || idx >= n {
		return rawResult{}, fmt.Errorf("rule %s: result object must be the index of an input object, got %v", rule, res["object"])
	}
	r := rawResult{rule: rule, object: idx, msg: msg}
	if sev, ok := res["severity"]; ok {
		text, _ := sev.(string)
		if r.severity, err = finding.ParseSeverity(text); err != nil {
			return rawResult{}, fmt.Errorf("rule %s: result severity: %w", rule, err)
		}
	}
	if p, ok := res["path"].([]any); ok {
		for _, part := range p {
			r.path = append(r.path, fmt.Sprint(part))
		}
	}
	return r, nil
}

func toIndex(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case float64:
		return int(x), nil
	case interface{ Int64() (int64, error) }:
		i, err := x.Int64()
		return int(i), err
	}
	return 0, errors.New("not a number")
}

// conftestMessage accepts what conftest accepts: a string, or an object with
// a string msg.
func conftestMessage(rule string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case map[string]any:
		if msg, ok := x["msg"].(string); ok {
			return msg, nil
		}
	}
	return "", fmt.Errorf("rule %s: a deny/warn result must be a string or an object with a string msg, got %v", rule, v)
}

func sortFindings(fs []finding.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Message < b.Message
	})
}
