package lint

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// Finding is one problem in one object. Its JSON form is public API.
type Finding struct {
	Rule        string       `json:"rule"`
	Severity    Severity     `json:"severity"`
	Message     string       `json:"message"`
	Remediation string       `json:"remediation,omitempty"`
	File        string       `json:"file"`
	Line        int          `json:"line"`
	Column      int          `json:"column,omitempty"`
	Source      string       `json:"source,omitempty"`
	Resource    manifest.Ref `json:"resource"`
	Suppression *Suppression `json:"suppression,omitempty"`
}

// Suppression records why a finding is not reported: the object's
// hookguard.io/ignore annotation, with the reason written after ":".
type Suppression struct {
	Kind   string `json:"kind"` // "inSource"
	Reason string `json:"reason,omitempty"`
}

// IgnoreAnnotation suppresses rules on one object: "<rule>[,<rule>...][: reason]".
const IgnoreAnnotation = "hookguard.io/ignore"

// Options are the per-run settings, usually from .hookguard.yaml and flags.
type Options struct {
	// Version is the Argo CD version whose behaviour is checked.
	Version hooks.Version
	// MaxBackoffLimit is the highest spec.backoffLimit accepted on a hook Job.
	MaxBackoffLimit int
	// Disabled rules are not reported.
	Disabled map[string]bool
	// Severity overrides a rule's default severity.
	Severity map[string]Severity
	// WholeApp says the set is a whole application (a rendered Kustomize or
	// Helm app, or the CMP), so set-wide rules such as hooks-only-app apply.
	WholeApp bool
}

// DefaultMaxBackoffLimit is the default of MaxBackoffLimit.
const DefaultMaxBackoffLimit = 3

// DefaultOptions checks the newest Argo CD behaviour with default thresholds.
func DefaultOptions() Options {
	return Options{Version: hooks.Latest, MaxBackoffLimit: DefaultMaxBackoffLimit}
}

// Result is the outcome of linting one set of objects.
type Result struct {
	Findings []Finding `json:"findings"`
	Objects  int       `json:"objects"`
	Notes    []string  `json:"-"`
}

// Run lints one set of objects.
func (e *Engine) Run(ctx context.Context, objs []manifest.Object, opts Options) (*Result, error) {
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
	in, raws := BuildInput(objs, opts)
	results, err := e.eval(ctx, in, raws)
	if err != nil {
		return nil, err
	}
	res := &Result{Findings: []Finding{}, Objects: len(objs)}
	ignores := make([]ignore, len(objs))
	for i, obj := range objs {
		ignores[i] = parseIgnore(obj)
		for _, id := range ignores[i].rules {
			if _, ok := e.byID[id]; !ok {
				res.Notes = append(res.Notes, fmt.Sprintf("%s:%d: %s names unknown rule %q (see `hookguard rules`)", obj.File, obj.Line, IgnoreAnnotation, id))
			}
		}
	}
	seen := map[string]bool{}
	for _, r := range results {
		if opts.Disabled[r.rule] {
			continue
		}
		rule := e.byID[r.rule]
		obj := objs[r.object]
		line, col := obj.Line, obj.Column
		if len(r.path) > 0 {
			line, col = obj.Position(r.path)
		}
		f := Finding{
			Rule: r.rule, Severity: rule.Severity, Message: r.msg, Remediation: rule.Remediation,
			File: obj.File, Line: line, Column: col, Source: obj.Source, Resource: obj.Ref(),
		}
		if s, ok := opts.Severity[r.rule]; ok {
			f.Severity = s
		}
		key := fmt.Sprintf("%s|%s|%d|%d|%s", f.Rule, f.File, f.Line, f.Column, f.Message)
		if seen[key] {
			continue
		}
		seen[key] = true
		f.Suppression = ignores[r.object].suppression(r.rule)
		res.Findings = append(res.Findings, f)
	}
	sortFindings(res.Findings)
	return res, nil
}

func (e *Engine) unknownRule(id string) error {
	ids := make([]string, 0, len(e.rules))
	for _, r := range e.rules {
		ids = append(ids, r.ID)
	}
	return fmt.Errorf("unknown rule %q; known rules: %s", id, strings.Join(ids, ", "))
}

// ignore is an object's hookguard.io/ignore annotation, parsed.
type ignore struct {
	rules  []string
	reason string
}

func parseIgnore(obj manifest.Object) ignore {
	value, _ := obj.Annotations()
	text, ok := value[IgnoreAnnotation]
	if !ok {
		return ignore{}
	}
	list, reason, _ := strings.Cut(text, ":")
	return ignore{rules: hooks.SplitCSV(list), reason: strings.TrimSpace(reason)}
}

func (ig ignore) suppression(rule string) *Suppression {
	for _, id := range ig.rules {
		if id == rule {
			return &Suppression{Kind: "inSource", Reason: ig.reason}
		}
	}
	return nil
}

// BuildInput builds the Rego input of one set: every object with its raw
// content and the hook facts Argo CD derives from it (internal/hooks), its
// tasks in the sync order, and the run's settings. It also returns each
// object's raw content, the input of conftest-style rules.
func BuildInput(objs []manifest.Object, opts Options) (map[string]any, []map[string]any) {
	order := HookObjects(objs, opts.Version)
	items := make([]map[string]any, len(objs))
	raws := make([]map[string]any, len(objs))
	for i, o := range objs {
		ann, notString := o.Annotations()
		facts, ref, group := order[i].Facts, o.Ref(), order[i].Group
		raw := o.Value()
		raws[i] = raw
		if notString == nil {
			notString = []manifest.NotString{}
		}
		items[i] = map[string]any{
			"index": i, "file": o.File, "line": o.Line,
			"apiVersion": ref.APIVersion, "kind": ref.Kind, "group": group,
			"namespace": ref.Namespace, "name": ref.Name, "generateName": ref.GenerateName,
			"ref":                  ref.String(),
			"raw":                  raw,
			"annotations":          ann,
			"nonStringAnnotations": jsonValue(notString),
			"argocd":               jsonValue(facts),
			"tasks":                []any{},
		}
	}
	for pos, t := range hooks.SyncTasks(order) {
		item := items[t.Object]
		item["tasks"] = append(item["tasks"].([]any), map[string]any{
			"phase": string(t.Phase), "wave": t.Wave, "position": pos, "moved": t.Moved,
		})
	}
	list := make([]any, len(items))
	for i := range items {
		list[i] = items[i]
	}
	return map[string]any{
		"objects": list,
		"config": map[string]any{
			"argocdVersion":   opts.Version.String(),
			"hookFinalizer":   opts.Version.HasHookFinalizer(),
			"maxBackoffLimit": opts.MaxBackoffLimit,
		},
		"app": map[string]any{"complete": opts.WholeApp},
	}, raws
}

// HookObjects gives each object's hook facts and identity in the form the
// sync order needs (hooks.SyncTasks).
func HookObjects(objs []manifest.Object, v hooks.Version) []hooks.Object {
	out := make([]hooks.Object, len(objs))
	for i, o := range objs {
		ann, notString := o.Annotations()
		ref := o.Ref()
		group := ""
		if g, _, ok := strings.Cut(ref.APIVersion, "/"); ok {
			group = g
		}
		ho := hooks.Object{Kind: ref.Kind, Group: group, Name: ref.Name, GenerateName: ref.GenerateName, Namespace: ref.Namespace,
			Facts: hooks.Analyze(ann, len(notString) == 0, v)}
		if ref.Kind == "CustomResourceDefinition" {
			ho.CRDGroup, ho.CRDKind = crdNames(o.Node)
		}
		out[i] = ho
	}
	return out
}

// crdNames reads spec.group and spec.names.kind of a CRD.
func crdNames(rn *yaml.RNode) (group, kind string) {
	if n, _ := rn.Pipe(yaml.Lookup("spec", "group")); n != nil {
		group = yaml.GetValue(n)
	}
	if n, _ := rn.Pipe(yaml.Lookup("spec", "names", "kind")); n != nil {
		kind = yaml.GetValue(n)
	}
	return group, kind
}

// jsonValue converts a Go struct to the plain values Rego input needs.
func jsonValue(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("internal: %v", err)) // only our own types reach here
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(fmt.Sprintf("internal: %v", err))
	}
	return out
}

// Failed reports whether an unsuppressed finding is at or above threshold.
func (r *Result) Failed(threshold Severity) bool {
	for _, f := range r.Findings {
		if f.Suppression == nil && f.Severity.Rank() >= threshold.Rank() {
			return true
		}
	}
	return false
}
