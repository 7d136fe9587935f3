package lint

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
)

// Engine holds the compiled rules. Build it once, run it on many sets.
type Engine struct {
	rules    []ruleEntry
	byID     map[string]ruleEntry
	query    rego.PreparedEvalQuery // hookguard rules over the whole set
	conftest *rego.PreparedEvalQuery
}

const mainPackage = "hookguard.main"

// NewEngine compiles the built-in catalog and the Rego files below
// policyDirs. A policy that does not parse or compile is an error naming its
// file and line.
func NewEngine(ctx context.Context, policyDirs []string) (*Engine, error) {
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
	e := &Engine{rules: cat, byID: map[string]ruleEntry{}}
	for _, r := range cat {
		e.byID[r.ID] = r
	}

	// Strict, as the Rego unit tests compile: unused variables and imports,
	// shadowed names and deprecated built-ins are errors, not silent no-ops.
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		parsed[m.file] = m.mod
	}
	mainMod, err := ast.ParseModuleWithOpts("hookguard/main.rego", aggregate(cat), parserOptions)
	if err != nil {
		return nil, fmt.Errorf("internal: aggregate module: %w", err)
	}
	parsed["hookguard/main.rego"] = mainMod
	if compiler.Compile(parsed); compiler.Failed() {
		return nil, explainBlocked(compiler.Errors)
	}
	e.query, err = rego.New(rego.Compiler(compiler), rego.Query("data."+mainPackage+".findings")).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing rules: %w", err)
	}
	for _, r := range cat {
		if r.conftest {
			q, err := rego.New(rego.Compiler(compiler), rego.Query("data."+mainPackage+".conftest")).PrepareForEval(ctx)
			if err != nil {
				return nil, fmt.Errorf("preparing conftest rules: %w", err)
			}
			e.conftest = &q
			break
		}
	}
	return e, nil
}

// aggregate writes the one module that collects every rule's results, so a
// set is evaluated with a single prepared query.
func aggregate(cat []ruleEntry) string {
	var b strings.Builder
	b.WriteString("package " + mainPackage + "\n\n")
	for _, r := range cat {
		if r.conftest {
			// conftest rules see one object as input, like `conftest test`.
			fmt.Fprintf(&b, "conftest contains {\"rule\": %q, \"result\": v} if {\n\tsome v in %s\n}\n\n", r.ID, r.ref)
			continue
		}
		fmt.Fprintf(&b, "findings contains {\"rule\": %q, \"result\": v} if {\n\tsome v in %s.report\n}\n\n", r.ID, r.ref)
	}
	return b.String()
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

// eval runs the hookguard rules on the set input and the conftest rules on
// each object.
func (e *Engine) eval(ctx context.Context, a *app.App, config map[string]any) ([]rawResult, error) {
	in, objects := input(a, config)
	value, err := ast.InterfaceToValue(in)
	if err != nil {
		return nil, fmt.Errorf("internal: input: %w", err)
	}
	rs, err := e.query.Eval(ctx, rego.EvalParsedInput(value))
	if err != nil {
		return nil, fmt.Errorf("evaluating rules: %w", err)
	}
	var out []rawResult
	for _, item := range setItems(rs) {
		r, err := decodeResult(item, len(objects))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if e.conftest == nil {
		return out, nil
	}
	for i, obj := range objects {
		value, err := ast.InterfaceToValue(obj)
		if err != nil {
			return nil, fmt.Errorf("internal: input: %w", err)
		}
		rs, err := e.conftest.Eval(ctx, rego.EvalParsedInput(value))
		if err != nil {
			return nil, fmt.Errorf("evaluating conftest rules: %w", err)
		}
		for _, item := range setItems(rs) {
			m, _ := item.(map[string]any)
			rule, _ := m["rule"].(string)
			msg, err := conftestMessage(rule, m["result"])
			if err != nil {
				return nil, err
			}
			out = append(out, rawResult{rule: rule, object: i, msg: msg})
		}
	}
	return out, nil
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
