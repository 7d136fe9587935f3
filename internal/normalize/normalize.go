// Package normalize holds the kio filters that make an app's hook
// annotations explicit and canonical, and inject safe defaults into hooks.
// Each filter is small, switchable, and reports every change it makes; the
// CMP (`hookguard generate`) and `hookguard fix` run the same filters.
package normalize

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// Change is one edit to one object.
type Change struct {
	Object string // "Job shop/orders-migrate"
	What   string // `hook "presync" -> "PreSync"`
	// Removed is true when the object was dropped from the output.
	Removed bool
}

func (c Change) String() string { return c.Object + ": " + c.What }

// Reporter receives every change.
type Reporter func(Change)

// Options switch the filters. The zero value changes nothing.
type Options struct {
	// Spelling: canonical hook types and delete policies ("presync" ->
	// "PreSync", "hook-succeeded" -> "HookSucceeded"), integer waves without
	// spaces or "+", and non-string annotation values quoted.
	Spelling bool
	// Selectors mark objects as hooks by label (applied to objects without
	// any hook annotation).
	Selectors []SelectorHook
	// TranslateHelm writes Helm hook annotations as the equivalent Argo CD
	// annotations (types, weight -> wave, delete policies) and removes the
	// Helm ones. Helm hooks Argo CD never runs (test, rollback) are removed
	// from the output with a note, unless KeepHelmDropped.
	TranslateHelm   bool
	KeepHelmDropped bool
	// BeforeHookCreation makes Argo CD's default explicit on named hooks
	// that have no delete policy.
	BeforeHookCreation bool
	// BackoffLimit and ActiveDeadlineSeconds are injected into hook Jobs
	// (and Pods, for the deadline) that lack them; 0 switches each off.
	BackoffLimit          int
	ActiveDeadlineSeconds int
	// Version is the Argo CD version whose semantics are preserved.
	Version hooks.Version
}

// Filters returns the enabled filters in the order they must run.
func Filters(opts Options, report Reporter) []kio.Filter {
	if report == nil {
		report = func(Change) {}
	}
	var fs []kio.Filter
	if opts.Spelling {
		fs = append(fs, Spelling{Report: report})
	}
	if len(opts.Selectors) > 0 {
		fs = append(fs, Selectors{Hooks: opts.Selectors, Report: report})
	}
	if opts.TranslateHelm {
		fs = append(fs, HelmToArgo{KeepDropped: opts.KeepHelmDropped, Version: opts.Version, Report: report})
	}
	if opts.BeforeHookCreation {
		fs = append(fs, ExplicitBeforeHookCreation{Version: opts.Version, Report: report})
	}
	if opts.BackoffLimit > 0 || opts.ActiveDeadlineSeconds > 0 {
		fs = append(fs, HookDefaults{BackoffLimit: opts.BackoffLimit, ActiveDeadlineSeconds: opts.ActiveDeadlineSeconds, Version: opts.Version, Report: report})
	}
	if len(fs) > 0 {
		fs = append([]kio.Filter{unshare{}}, fs...)
	}
	return fs
}

// ref names an object for reports: "Kind namespace/name", read as Argo CD
// reads it (manifest.RefOf).
func ref(rn *yaml.RNode) string { return manifest.RefOf(rn).String() }

// annotations reads metadata.annotations as Argo CD would, and whether it
// can (every value a string).
func annotations(rn *yaml.RNode) (map[string]string, bool) {
	m, notString := manifest.AnnotationsOf(rn)
	return m, manifest.Readable(notString)
}

func facts(rn *yaml.RNode, v hooks.Version) hooks.Facts {
	ann, readable := annotations(rn)
	return hooks.Analyze(ann, readable, v)
}

// setAnnotation writes a string annotation, plain when YAML reads it as a
// string and double-quoted otherwise ("5", "true"), like a person would.
func setAnnotation(rn *yaml.RNode, key, value string) error {
	// An empty "annotations:" (null) becomes a mapping first: kyaml would
	// find the null and set nothing.
	if root := rn.YNode(); root != nil && root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value != "metadata" || root.Content[i+1].Kind != yaml.MappingNode {
				continue
			}
			m := root.Content[i+1]
			for j := 0; j+1 < len(m.Content); j += 2 {
				if a := m.Content[j+1]; m.Content[j].Value == "annotations" && a.Kind == yaml.ScalarNode && a.Tag == yaml.NodeTagNull {
					m.Content[j+1] = &yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap, Line: a.Line, Column: a.Column}
				}
			}
		}
	}
	v := yaml.NewScalarRNode(value)
	v.YNode().Tag = yaml.NodeTagString
	keepString(v.YNode())
	return rn.PipeE(yaml.LookupCreate(yaml.MappingNode, "metadata", "annotations"), yaml.SetField(key, v))
}

// keepString quotes a string value that Argo CD would read as something
// else when written plain (yes, on, 0: YAML 1.1 scalars).
func keepString(n *yaml.Node) {
	if !manifest.IsString(n) {
		n.Style = yaml.DoubleQuotedStyle
	}
}

func clearAnnotation(rn *yaml.RNode, key string) error {
	_, err := rn.Pipe(yaml.ClearAnnotation(key))
	return err
}

// ---- unshare ----

// unshare runs before the other filters. With YAML anchors and aliases one
// node is read at several places (`hook: &h presync` here, `*h` there), so a
// filter that changed such a node in place would also change every other
// place that reads it, under any key and in any object, without a report.
// unshare makes every node a filter may change the object's own: the
// metadata, annotations and spec mappings and each annotation key and scalar
// value. An alias there becomes a copy of what it reads (merge keys and other
// structure inside annotations stay as written: no filter changes them), and
// every alias (in any object) of an anchored node there becomes a copy too.
// Every object reads exactly what it read before.
type unshare struct{}

var _ kio.Filter = unshare{}

func (unshare) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	anchored := map[*yaml.Node]bool{}
	mark := func(n *yaml.Node) {
		if n != nil && n.Anchor != "" {
			anchored[n] = true
		}
	}
	for _, rn := range nodes {
		root := rn.YNode()
		if root == nil || root.Kind != yaml.MappingNode {
			continue
		}
		md := ownField(root, "metadata")
		mark(md)
		mark(ownField(root, "spec"))
		if md == nil || md.Kind != yaml.MappingNode {
			continue
		}
		ann := ownField(md, "annotations")
		mark(ann)
		if ann == nil || ann.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(ann.Content); i += 2 {
			mark(ann.Content[i])
			if v := ann.Content[i+1]; v.Kind == yaml.AliasNode && v.Alias != nil && v.Alias.Kind == yaml.ScalarNode {
				ann.Content[i+1] = copyNode(v.Alias)
			}
			mark(ann.Content[i+1])
		}
	}
	if len(anchored) > 0 {
		for _, rn := range nodes {
			expandAliases(rn.YNode(), anchored)
		}
	}
	return nodes, nil
}

// ownField returns the value of key in mapping m, first replacing it by a
// copy of what it reads when it is an alias.
func ownField(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			continue
		}
		v := m.Content[i+1]
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = copyNode(v.Alias)
			m.Content[i+1] = v
		}
		return v
	}
	return nil
}

// expandAliases replaces every alias below n that reads one of targets by a
// copy of it.
func expandAliases(n *yaml.Node, targets map[*yaml.Node]bool) {
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode && targets[c.Alias] {
			n.Content[i] = copyNode(c.Alias)
		}
		expandAliases(n.Content[i], targets)
	}
}

// copyNode is a deep copy of n without anchors; aliases inside it stay
// aliases of the same nodes.
func copyNode(n *yaml.Node) *yaml.Node {
	c := *n
	c.Anchor = ""
	if n.Kind != yaml.AliasNode && len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = copyNode(k)
		}
	}
	return &c
}

// ---- Spelling ----

// Spelling rewrites hook annotation values in Argo CD's exact spelling.
type Spelling struct{ Report Reporter }

var _ kio.Filter = Spelling{}

func (s Spelling) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	for _, rn := range nodes {
		n, _ := rn.Pipe(yaml.Lookup("metadata", "annotations"))
		if n == nil || n.YNode().Kind != yaml.MappingNode {
			continue
		}
		c := n.YNode().Content
		for i := 0; i+1 < len(c); i += 2 {
			key, val := c[i].Value, c[i+1]
			if val.Kind == yaml.ScalarNode && !manifest.IsString(val) {
				old := val.Value
				if manifest.IsNull(val) {
					val.Value = ""
				}
				val.Tag, val.Style = "!!str", yaml.DoubleQuotedStyle
				s.Report(Change{Object: ref(rn), What: fmt.Sprintf("annotation %s: %s -> %q (a string, so Argo CD reads the annotations)", key, displayPlain(old), val.Value)})
			}
			if val.Kind != yaml.ScalarNode {
				continue
			}
			if fixed, ok := canonical(key, val.Value); ok && fixed != val.Value {
				s.Report(Change{Object: ref(rn), What: fmt.Sprintf("%s %q -> %q", shortKey(key), val.Value, fixed)})
				val.Value = fixed
				keepString(val)
			}
		}
	}
	return nodes, nil
}

func displayPlain(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

func shortKey(key string) string {
	switch key {
	case hooks.AnnotationHook:
		return "hook"
	case hooks.AnnotationHookDeletePolicy:
		return "hook-delete-policy"
	case hooks.AnnotationSyncWave:
		return "sync-wave"
	}
	return key
}

// canonical returns the exact spelling of one hook annotation value.
func canonical(key, value string) (string, bool) {
	respell := func(fix func(string) (string, bool)) (string, bool) {
		var out []string
		for _, item := range strings.Split(value, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			if f, ok := fix(item); ok {
				item = f
			}
			if !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
		return strings.Join(out, ","), true
	}
	switch key {
	case hooks.AnnotationHook:
		return respell(func(s string) (string, bool) { t, ok := hooks.CanonicalHookType(s); return string(t), ok })
	case hooks.AnnotationHookDeletePolicy:
		return respell(func(s string) (string, bool) { p, ok := hooks.CanonicalDeletePolicy(s); return string(p), ok })
	case hooks.AnnotationHelmHook:
		return respell(hooks.CanonicalHelmHook)
	case hooks.AnnotationHelmDeletePolicy:
		return respell(hooks.CanonicalHelmDeletePolicy)
	case hooks.AnnotationSyncWave, hooks.AnnotationHelmWeight:
		if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil {
			return strconv.Itoa(n), true
		}
	}
	return "", false
}

// ---- HelmToArgo ----

// HelmToArgo writes Helm hook annotations as explicit Argo CD annotations
// with the same effect in Argo CD, and removes the Helm ones.
type HelmToArgo struct {
	KeepDropped bool
	Version     hooks.Version
	Report      Reporter
}

var _ kio.Filter = HelmToArgo{}

var helmKeys = []string{hooks.AnnotationHelmHook, hooks.AnnotationHelmWeight, hooks.AnnotationHelmDeletePolicy}

// HelmTranslations names the Argo CD annotation HelmToArgo writes for each
// Helm hook annotation it removes (`hookguard fix` rewrites such a line in
// place, keeping its comments).
var HelmTranslations = map[string]string{
	hooks.AnnotationHelmHook:         hooks.AnnotationHook,
	hooks.AnnotationHelmWeight:       hooks.AnnotationSyncWave,
	hooks.AnnotationHelmDeletePolicy: hooks.AnnotationHookDeletePolicy,
}

func (h HelmToArgo) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	var out []*yaml.RNode
	for _, rn := range nodes {
		ann, readable := annotations(rn)
		if !readable || !hasAny(ann, helmKeys) {
			out = append(out, rn)
			continue
		}
		before := hooks.Analyze(ann, true, h.Version)
		// A Helm hook Argo CD never runs (test, rollback, or no type at all)
		// has no Argo CD spelling: translating it would make it run.
		if before.Role == hooks.RoleDropped && ann[hooks.AnnotationHook] == "" && (len(before.InvalidHelmHooks) > 0 || len(before.Types) == 0) {
			if h.KeepDropped {
				h.Report(Change{Object: ref(rn), What: fmt.Sprintf("kept: helm.sh/hook %q is never run by Argo CD (the object is dropped)", ann[hooks.AnnotationHelmHook])})
				out = append(out, rn)
			} else {
				h.Report(Change{Object: ref(rn), What: fmt.Sprintf("removed: helm.sh/hook %q is never run by Argo CD", ann[hooks.AnnotationHelmHook]), Removed: true})
			}
			continue
		}
		if err := h.translate(rn, ann, before); err != nil {
			return nil, err
		}
		out = append(out, rn)
	}
	return out, nil
}

func hasAny(m map[string]string, keys []string) bool {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

func (h HelmToArgo) translate(rn *yaml.RNode, ann map[string]string, before hooks.Facts) error {
	var what []string
	if _, ok := ann[hooks.AnnotationHelmHook]; ok && before.IsHook {
		types := []string{}
		for _, t := range before.Types {
			if !slices.Contains(types, string(t)) {
				types = append(types, string(t))
			}
		}
		for _, t := range before.DeleteTypes {
			if !slices.Contains(types, string(t)) {
				types = append(types, string(t))
			}
		}
		value := strings.Join(types, ",")
		if value != ann[hooks.AnnotationHook] {
			if err := setAnnotation(rn, hooks.AnnotationHook, value); err != nil {
				return err
			}
			what = append(what, fmt.Sprintf("helm.sh/hook %q -> hook %q", ann[hooks.AnnotationHelmHook], value))
		}
	}
	if len(before.ExplicitDeletePolicies) > 0 {
		var ps []string
		for _, p := range before.ExplicitDeletePolicies {
			if !slices.Contains(ps, string(p)) {
				ps = append(ps, string(p))
			}
		}
		value := strings.Join(ps, ",")
		if value != ann[hooks.AnnotationHookDeletePolicy] {
			if err := setAnnotation(rn, hooks.AnnotationHookDeletePolicy, value); err != nil {
				return err
			}
			what = append(what, fmt.Sprintf("hook-delete-policy %q", value))
		}
	}
	if before.WaveSource == hooks.AnnotationHelmWeight {
		if err := setAnnotation(rn, hooks.AnnotationSyncWave, strconv.Itoa(before.Wave)); err != nil {
			return err
		}
		what = append(what, fmt.Sprintf("helm.sh/hook-weight %q -> sync-wave %q", ann[hooks.AnnotationHelmWeight], strconv.Itoa(before.Wave)))
	}
	for _, k := range helmKeys {
		if _, ok := ann[k]; ok {
			if k == hooks.AnnotationHelmHook && !before.IsHook {
				continue // crd-install alone: not a hook, nothing to translate
			}
			if err := clearAnnotation(rn, k); err != nil {
				return err
			}
		}
	}
	// The translation must not change what Argo CD does with the object.
	after := facts(rn, h.Version)
	if !sameBehaviour(before, after) {
		return fmt.Errorf("internal: translating the Helm hook annotations of %s would change its Argo CD behaviour (%+v -> %+v)", ref(rn), before, after)
	}
	if len(what) > 0 {
		h.Report(Change{Object: ref(rn), What: strings.Join(what, ", ")})
	}
	return nil
}

// sameBehaviour compares what Argo CD does: role, phases, delete hooks,
// the set of delete policies, and the wave.
func sameBehaviour(a, b hooks.Facts) bool {
	set := func(ps []hooks.DeletePolicy) []string {
		var out []string
		for _, p := range ps {
			if !slices.Contains(out, string(p)) {
				out = append(out, string(p))
			}
		}
		sort.Strings(out)
		return out
	}
	return a.Role == b.Role && slices.Equal(a.Phases, b.Phases) && slices.Equal(a.DeleteTypes, b.DeleteTypes) &&
		slices.Equal(set(a.DeletePolicies), set(b.DeletePolicies)) && a.Wave == b.Wave && a.Skip == b.Skip
}

// ---- ExplicitBeforeHookCreation ----

// ExplicitBeforeHookCreation writes the default delete policy on named
// hooks that have none: what Argo CD does anyway, made visible.
type ExplicitBeforeHookCreation struct {
	Version hooks.Version
	Report  Reporter
}

var _ kio.Filter = ExplicitBeforeHookCreation{}

func (e ExplicitBeforeHookCreation) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	for _, rn := range nodes {
		f := facts(rn, e.Version)
		if f.Role != hooks.RoleHook || manifest.RefOf(rn).Name == "" || len(f.ExplicitDeletePolicies) > 0 {
			continue
		}
		if err := setAnnotation(rn, hooks.AnnotationHookDeletePolicy, string(hooks.BeforeHookCreation)); err != nil {
			return nil, err
		}
		e.Report(Change{Object: ref(rn), What: `hook-delete-policy "BeforeHookCreation" (Argo CD's default, made explicit)`})
	}
	return nodes, nil
}

// ---- HookDefaults ----

// HookDefaults injects backoffLimit into hook Jobs and activeDeadlineSeconds
// into hook Jobs and Pods that lack them.
type HookDefaults struct {
	BackoffLimit          int
	ActiveDeadlineSeconds int
	Version               hooks.Version
	Report                Reporter
}

var _ kio.Filter = HookDefaults{}

func (d HookDefaults) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	for _, rn := range nodes {
		f := facts(rn, d.Version)
		if f.Role != hooks.RoleHook && f.Role != hooks.RoleDeleteHook {
			continue
		}
		kind := manifest.RefOf(rn).Kind
		if kind != "Job" && kind != "Pod" {
			continue
		}
		if f := rn.Field("spec"); f != nil && f.Value.YNode().Kind != yaml.MappingNode {
			if !manifest.IsNull(f.Value.YNode()) {
				continue // not a mapping: the API server will refuse it, lint says why
			}
			*f.Value.YNode() = yaml.Node{Kind: yaml.MappingNode, Tag: yaml.NodeTagMap} // "spec:" is empty
		}
		spec, err := rn.Pipe(yaml.LookupCreate(yaml.MappingNode, "spec"))
		if err != nil {
			return nil, err
		}
		set := func(field string, value int) error {
			// A null value is unset: the API server applies its default.
			if existing := spec.Field(field); value <= 0 || (existing != nil && !manifest.IsNull(existing.Value.YNode())) {
				return nil
			}
			if kind == "Job" && field == "activeDeadlineSeconds" {
				if n, _ := rn.Pipe(yaml.Lookup("spec", "template", "spec", field)); n != nil {
					return nil // a per-pod deadline already bounds each attempt
				}
			}
			v := yaml.NewScalarRNode(strconv.Itoa(value))
			v.YNode().Tag = yaml.NodeTagInt
			if err := spec.PipeE(yaml.SetField(field, v)); err != nil {
				return err
			}
			d.Report(Change{Object: ref(rn), What: fmt.Sprintf("spec.%s: %d (injected default)", field, value)})
			return nil
		}
		if kind == "Job" {
			if err := set("backoffLimit", d.BackoffLimit); err != nil {
				return nil, err
			}
		}
		if err := set("activeDeadlineSeconds", d.ActiveDeadlineSeconds); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}
