// Package lint runs hookguard's Rego rules over an analyzed app and turns
// their results into findings that carry their object and scope.
package lint

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/pool"
	"github.com/hookguard/hookguard/internal/redact"
)

// Options select and tune the rules of a run, usually from .hookguard.yaml
// and flags (see FromConfig).
type Options struct {
	// Disabled rules are not reported.
	Disabled map[string]bool
	// Severity overrides a rule's default severity.
	Severity map[string]finding.Severity
	// Settings set rule parameters by name, as rules declare them in their
	// METADATA; a parameter not set here takes its declared default.
	Settings map[string]Setting
	// Locked rules are the admin's: Disabled, a lower Severity and
	// hookguard.io/ignore do not apply to them (a note says so), unless
	// SuppressLocked lets the annotation through.
	Locked         map[string]bool
	SuppressLocked bool
	// DropTrees lets Run drop the objects' YAML trees once it has converted
	// them, keeping their fields' positions (manifest.Object.KeepPositions):
	// for a caller that reads nothing else of the app afterwards, so a large
	// set does not hold every object twice.
	DropTrees bool
}

// Setting is one parameter value and where it was set, for errors.
type Setting struct {
	Value any
	Where string // "file:line", or "" when set by a flag or in code
}

// Result is the outcome of linting one app.
type Result struct {
	Findings []finding.Finding `json:"findings"`
	Objects  int               `json:"objects"`
	Notes    []string          `json:"-"`
}

// Failed reports whether an unsuppressed finding is at or above threshold.
func (r *Result) Failed(threshold finding.Severity) bool {
	return finding.Failed(r.Findings, threshold)
}

// Run lints one app.
func (e *Engine) Run(ctx context.Context, a *app.App, opts Options) (*Result, error) {
	config, err := e.config(a, opts)
	if err != nil {
		return nil, err
	}
	results, err := e.eval(ctx, a, config, func(id string) bool { return !opts.Disabled[id] || opts.Locked[id] }, opts.DropTrees)
	if err != nil {
		return nil, err
	}
	res := &Result{Findings: []finding.Finding{}, Objects: len(a.Objects)}
	for _, id := range slices.Sorted(maps.Keys(opts.Disabled)) {
		if opts.Locked[id] {
			res.Notes = append(res.Notes, fmt.Sprintf("rule %s is locked by the admin: it stays enabled", id))
		}
	}
	for _, obj := range a.Objects {
		for _, id := range obj.Ignore.Rules {
			if _, ok := e.byID[id]; !ok {
				res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: %s names unknown rule %q (see `hookguard rules`)", obj.File, obj.Line, app.IgnoreAnnotation, id))
			}
		}
	}
	// Positions and redaction are each result's own: on every processor.
	type placed struct {
		line, col int
		msg       string
	}
	where := make([]placed, len(results))
	pool.Chunks(len(results), minChunk, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := results[i]
			obj := &a.Objects[r.object]
			p := placed{line: obj.Line, col: obj.Column, msg: redact.String(r.msg)}
			if len(r.path) > 0 {
				p.line, p.col = obj.Position(r.path)
			}
			where[i] = p
		}
	})
	seen := map[string]bool{}
	for i, r := range results {
		locked := opts.Locked[r.rule]
		if opts.Disabled[r.rule] && !locked {
			continue
		}
		rule := e.byID[r.rule]
		obj := a.Objects[r.object]
		line, col := where[i].line, where[i].col
		f := finding.Finding{
			Rule: r.rule, Severity: rule.Severity, Message: where[i].msg, Remediation: expandSettings(rule.Remediation, config),
			File: obj.File, Line: line, Column: col, Source: obj.Source, Resource: obj.Ref,
			Object: obj.Index, Scope: rule.Scope,
		}
		if r.severity != "" {
			f.Severity = r.severity
		}
		if s, ok := opts.Severity[r.rule]; ok && (!locked || s.Rank() >= f.Severity.Rank()) {
			f.Severity = s
		}
		key := fmt.Sprintf("%s|%s|%d|%d|%s", f.Rule, f.File, f.Line, f.Column, f.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		if obj.Ignore.Suppresses(r.rule) {
			if locked && !opts.SuppressLocked {
				res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: %s on rule %s is not honoured: the admin locked the rule", obj.File, obj.Line, app.IgnoreAnnotation, r.rule))
			} else {
				f.Suppression = &finding.Suppression{Kind: "inSource", Reason: obj.Ignore.Reason}
			}
		}
		res.Findings = append(res.Findings, f)
	}
	sortFindings(res.Findings)
	return res, nil
}

// config checks the options against the catalog and returns input.config:
// the target Argo CD version and every declared rule parameter.
func (e *Engine) config(a *app.App, opts Options) (map[string]any, error) {
	for id := range opts.Disabled {
		if _, ok := e.byID[id]; !ok {
			return nil, e.unknownRule(id)
		}
	}
	for id := range opts.Severity {
		if _, ok := e.byID[id]; !ok {
			return nil, e.unknownRule(id)
		}
	}
	config := map[string]any{
		"argocdVersion": a.Version.String(),
		"hookFinalizer": a.Version.HasHookFinalizer(),
	}
	declared := map[string]finding.Parameter{}
	for _, r := range e.rules {
		for _, p := range r.Parameters {
			declared[p.Name] = p
			config[p.Name] = p.Default
		}
	}
	for _, name := range slices.Sorted(maps.Keys(opts.Settings)) {
		s := opts.Settings[name]
		where := "settings." + name
		if s.Where != "" {
			where = s.Where + ": " + where
		}
		p, ok := declared[name]
		if !ok {
			names := slices.Sorted(maps.Keys(declared))
			return nil, fmt.Errorf("%s is not a parameter of any rule (known: %s)", where, strings.Join(names, ", "))
		}
		v, err := checkParameter(p, s.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		config[name] = v
	}
	return config, nil
}
