package normalize

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
)

// SelectorHook declares hooks by label: objects matching Selector (and
// carrying no hook annotation) become hooks of Types, with Wave and
// DeletePolicies when set.
type SelectorHook struct {
	Selector       labels.Selector
	Types          []hooks.HookType
	Wave           *int
	DeletePolicies []hooks.DeletePolicy
	// Spec is the declaration as written, for reports.
	Spec string
}

// ParseSelectorHook reads one declaration: a label selector and a hook
// spec, e.g. ("app.kubernetes.io/component=migration",
// "PreSync,wave=-1,delete-policy=BeforeHookCreation"). Every type and
// policy must be spelled exactly as Argo CD reads it.
func ParseSelectorHook(selector, spec string) (SelectorHook, error) {
	sel, err := labels.Parse(selector)
	if err != nil {
		return SelectorHook{}, fmt.Errorf("hook selector %q: %w", selector, err)
	}
	if sel.Empty() {
		return SelectorHook{}, fmt.Errorf("hook selector %q matches every object; name at least one label", selector)
	}
	h := SelectorHook{Selector: sel, Spec: selector + ": " + spec}
	for _, item := range hooks.SplitCSV(spec) {
		key, value, hasValue := strings.Cut(item, "=")
		switch {
		case !hasValue:
			t := hooks.HookType(item)
			c, ok := hooks.CanonicalHookType(item)
			if !ok || c != t || t == hooks.Skip {
				return SelectorHook{}, fmt.Errorf("hook selector %q: %q is not a hook type (PreSync, Sync, PostSync, SyncFail, PostDelete, PreDelete)", selector, item)
			}
			h.Types = append(h.Types, t)
		case key == "wave":
			n, err := strconv.Atoi(value)
			if err != nil {
				return SelectorHook{}, fmt.Errorf("hook selector %q: wave %q is not an integer", selector, value)
			}
			h.Wave = &n
		case key == "delete-policy":
			for _, p := range strings.Split(value, "+") {
				c, ok := hooks.CanonicalDeletePolicy(p)
				if !ok || string(c) != p {
					return SelectorHook{}, fmt.Errorf("hook selector %q: %q is not a delete policy (HookSucceeded, HookFailed, BeforeHookCreation; join several with +)", selector, p)
				}
				h.DeletePolicies = append(h.DeletePolicies, c)
			}
		default:
			return SelectorHook{}, fmt.Errorf("hook selector %q: unknown setting %q (want a hook type, wave=N or delete-policy=P)", selector, item)
		}
	}
	if len(h.Types) == 0 {
		return SelectorHook{}, fmt.Errorf("hook selector %q: no hook type in %q", selector, spec)
	}
	return h, nil
}

// Selectors applies SelectorHooks; the first matching declaration wins.
type Selectors struct {
	Hooks  []SelectorHook
	Report Reporter
}

var _ kio.Filter = Selectors{}

func (s Selectors) Filter(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
	for _, rn := range nodes {
		ann, _ := annotations(rn)
		if hasAny(ann, []string{hooks.AnnotationHook, hooks.AnnotationHelmHook}) {
			continue
		}
		set := labels.Set(rn.GetLabels())
		for _, h := range s.Hooks {
			if !h.Selector.Matches(set) {
				continue
			}
			var types []string
			for _, t := range h.Types {
				types = append(types, string(t))
			}
			what := []string{fmt.Sprintf("hook %q", strings.Join(types, ","))}
			if err := setAnnotation(rn, hooks.AnnotationHook, strings.Join(types, ",")); err != nil {
				return nil, err
			}
			if h.Wave != nil {
				if err := setAnnotation(rn, hooks.AnnotationSyncWave, strconv.Itoa(*h.Wave)); err != nil {
					return nil, err
				}
				what = append(what, fmt.Sprintf("sync-wave %q", strconv.Itoa(*h.Wave)))
			}
			if len(h.DeletePolicies) > 0 {
				var ps []string
				for _, p := range h.DeletePolicies {
					ps = append(ps, string(p))
				}
				if err := setAnnotation(rn, hooks.AnnotationHookDeletePolicy, strings.Join(ps, ",")); err != nil {
					return nil, err
				}
				what = append(what, fmt.Sprintf("hook-delete-policy %q", strings.Join(ps, ",")))
			}
			s.Report(Change{Object: ref(rn), What: strings.Join(what, ", ") + " (selector " + h.Selector.String() + ")"})
			break
		}
	}
	return nodes, nil
}
