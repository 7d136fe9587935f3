// Package appset expands an Argo CD ApplicationSet into the Applications its
// controller would generate, reading the generators' git repository from a
// local checkout instead of the network. It follows argo-cd v3.6.1's
// applicationset/generators (list, git, matrix, merge), its templating
// (applicationset/utils/utils.go) and its controller's assembly of each
// Application (applicationset/controllers/template/template.go).
// Generators that need a cluster, an SCM or pull request API, a plugin
// service, an OCI registry or another repository are named, not expanded.
package appset

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
)

// resourcesFinalizer is what the controller adds to an Application whose
// template has no finalizer (v1alpha1.ResourcesFinalizerName).
const resourcesFinalizer = "resources-finalizer.argocd.argoproj.io"

// Expander expands ApplicationSets with settings; its zero value is what
// Expand uses.
type Expander struct {
	// RepoURLs are URLs the checkout is known by (a --repo-url flag). The
	// remotes in the checkout's .git/config count too. A git generator
	// whose repoURL is none of them is not expanded; when none is known at
	// all, every git generator is read from the checkout (with a note).
	RepoURLs []string
	// Notes receives one line for each assumption made (a revision ignored,
	// an unknown repository URL taken as the checkout); it may be nil.
	Notes func(string)
	// Budget is the run's input budget: every file a git generator reads
	// is charged to it and checked for alias bombs first. nil is unlimited.
	Budget *manifest.Budget
}

// MaxParams bounds the parameter sets of one generator and the
// Applications of one ApplicationSet: a matrix multiplies, and a hostile
// repository must not exhaust memory. Argo CD has no such bound.
const MaxParams = 100_000

// Expand returns the Applications (apiVersion argoproj.io/v1alpha1, kind
// Application, metadata and spec) that Argo CD's ApplicationSet controller
// generates from appSet, reading git generators from the checkout in
// repoRoot; notExpanded names the generators that cannot be expanded
// offline, with where they sit in spec.generators. An ApplicationSet that
// Argo CD would fail to render is an error naming it and the generator; so
// is an Application with no name or a name generated before, which the
// controller refuses (creating the others) and reports on the
// ApplicationSet.
func Expand(repoRoot string, appSet map[string]any) (apps []map[string]any, notExpanded []string, err error) {
	return Expander{}.Expand(repoRoot, appSet)
}

// Expand is the package's Expand with the Expander's settings.
func (e Expander) Expand(repoRoot string, appSet map[string]any) (apps []map[string]any, notExpanded []string, err error) {
	// The controller reads the ApplicationSet as JSON into its types: list
	// elements and raw values become float64 numbers, []any and
	// map[string]any. The round trip gives the same shapes.
	set, err := jsonCopy(appSet)
	if err != nil {
		return nil, nil, fmt.Errorf("ApplicationSet: %w", err)
	}
	m, _ := set.(map[string]any)
	md, _ := m["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	label := "ApplicationSet " + name
	if name == "" {
		label = "ApplicationSet (no name)"
	}
	fail := func(format string, args ...any) ([]map[string]any, []string, error) {
		return nil, nil, fmt.Errorf("%s: %s", label, fmt.Sprintf(format, args...))
	}
	if m["apiVersion"] != "argoproj.io/v1alpha1" || m["kind"] != "ApplicationSet" {
		return fail("not an argoproj.io/v1alpha1 ApplicationSet (apiVersion %v, kind %v)", m["apiVersion"], m["kind"])
	}
	spec, err := mapAt(m, "spec")
	if err != nil {
		return fail("%v", err)
	}
	goTemplate, err := boolAt(spec, "goTemplate")
	if err != nil {
		return fail("spec.%v", err)
	}
	options, err := stringsAt(spec, "goTemplateOptions")
	if err != nil {
		return fail("spec.%v", err)
	}
	tmpl, err := mapAt(spec, "template")
	if err != nil {
		return fail("spec.%v", err)
	}
	patch, err := stringAt(spec, "templatePatch")
	if err != nil {
		return fail("spec.%v", err)
	}
	syncPolicy, err := mapAt(spec, "syncPolicy")
	if err != nil {
		return fail("spec.%v", err)
	}
	preserve, err := boolAt(syncPolicy, "preserveResourcesOnDeletion")
	if err != nil {
		return fail("spec.syncPolicy.%v", err)
	}
	gens, ok := spec["generators"].([]any)
	if !ok && spec["generators"] != nil {
		return fail("spec.generators is not a list")
	}
	root, err := confine.New(repoRoot)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: repository root: %w", label, err)
	}
	namespace, _ := md["namespace"].(string)

	r := &run{
		set:      label,
		root:     root,
		render:   renderer{goTemplate: goTemplate, options: options, parsed: map[string]*template.Template{}},
		notes:    e.Notes,
		noted:    map[string]bool{},
		repoURLs: e.RepoURLs,
		budget:   e.Budget,
	}
	names := map[string]bool{}
	for i, g := range gens {
		where := fmt.Sprintf("spec.generators[%d]", i)
		gen, ok := g.(map[string]any)
		if !ok {
			return fail("%s is not a mapping", where)
		}
		results, skipped, err := r.transform(gen, tmpl, nil, where, 0)
		var ne *notExpandedError
		if errors.As(err, &ne) {
			notExpanded = append(notExpanded, ne.what)
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", label, err)
		}
		notExpanded = append(notExpanded, skipped...)
		for _, res := range results {
			for _, p := range res.params {
				app, err := r.application(res.template, p, patch, preserve)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %s: %w", label, where, err)
				}
				meta := app["metadata"].(map[string]any)
				if namespace != "" {
					meta["namespace"] = namespace
				} else {
					delete(meta, "namespace")
				}
				// The controller refuses an Application without a name or
				// with the name of another (applicationset_controller.go,
				// validateGeneratedApplications).
				appName, _ := meta["name"].(string)
				if appName == "" {
					return fail("%s: generates an Application with no name; a name must be set in the template's metadata.name or via a templatePatch", where)
				}
				if names[appName] {
					return fail("%s: generates a second Application named %s", where, appName)
				}
				names[appName] = true
				if len(apps) == MaxParams {
					return fail("%s: generates more than %d Applications", where, MaxParams)
				}
				apps = append(apps, app)
			}
		}
	}
	return apps, notExpanded, nil
}

// run is one expansion.
type run struct {
	set       string // "ApplicationSet NAME", for notes
	root      confine.Root
	render    renderer
	notes     func(string)
	noted     map[string]bool
	repoURLs  []string
	budget    *manifest.Budget
	remotes   []string // read from .git/config once
	remotesOK bool
	tree      *tree
}

func (r *run) note(s string) {
	if r.notes != nil && !r.noted[s] {
		r.noted[s] = true
		r.notes(r.set + ": " + s)
	}
}

// notExpandedError stops the expansion of one top-level generator that
// holds something Expand cannot expand offline.
type notExpandedError struct{ what string }

func (e *notExpandedError) Error() string { return e.what + " cannot be expanded offline" }

// application renders the template with one parameter set as
// GenerateApplications does (template.go): the template's metadata
// (name, namespace, labels, annotations, finalizers) and spec, every
// string rendered (utils.go, RenderTemplateParams), the resources
// finalizer added, then the templatePatch applied.
func (r *run) application(tmpl map[string]any, params map[string]any, patch string, preserve bool) (map[string]any, error) {
	meta := map[string]any{}
	if tm, ok := tmpl["metadata"].(map[string]any); ok {
		for _, k := range []string{"name", "namespace", "labels", "annotations", "finalizers"} {
			if v, ok := tm[k]; ok && v != nil {
				meta[k] = v
			}
		}
	}
	app := map[string]any{"metadata": meta}
	if spec, ok := tmpl["spec"]; ok && spec != nil {
		app["spec"] = spec
	}
	c, err := deepCopy(app)
	if err != nil {
		return nil, err
	}
	app = c.(map[string]any)
	// With no parameters the template is used as it is, without the
	// finalizer (RenderTemplateParams returns early).
	if len(params) != 0 {
		rendered, err := r.render.deep(app, params)
		if err != nil {
			return nil, fmt.Errorf("rendering the template: %w", err)
		}
		app = rendered.(map[string]any)
		meta, _ = app["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			app["metadata"] = meta
		}
		if fin, _ := meta["finalizers"].([]any); len(fin) == 0 && !preserve {
			meta["finalizers"] = []any{resourcesFinalizer}
		}
	}
	if patch != "" {
		text, err := r.render.replace(patch, params)
		if err != nil {
			return nil, fmt.Errorf("rendering templatePatch: %w", err)
		}
		if app, err = applyPatch(app, text); err != nil {
			return nil, err
		}
	}
	if _, ok := app["metadata"].(map[string]any); !ok {
		app["metadata"] = map[string]any{}
	}
	app["apiVersion"] = "argoproj.io/v1alpha1"
	app["kind"] = "Application"
	return app, nil
}

func jsonCopy(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// deepCopy copies maps and lists so that rendering and merging never write
// into the ApplicationSet or into another parameter set.
func deepCopy(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			c, err := deepCopy(val)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			c, err := deepCopy(val)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	default:
		return v, nil
	}
}

func mapAt(m map[string]any, key string) (map[string]any, error) {
	switch v := m[key].(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return v, nil
	default:
		return nil, fmt.Errorf("%s is not a mapping", key)
	}
}

func boolAt(m map[string]any, key string) (bool, error) {
	switch v := m[key].(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	default:
		return false, fmt.Errorf("%s is %v, not a boolean", key, v)
	}
}

func stringAt(m map[string]any, key string) (string, error) {
	switch v := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", fmt.Errorf("%s is %v, not a string", key, v)
	}
}

func stringsAt(m map[string]any, key string) ([]string, error) {
	switch v := m[key].(type) {
	case nil:
		return nil, nil
	case []any:
		out := make([]string, len(v))
		for i, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("%s[%d] is %v, not a string", key, i, item)
			}
			out[i] = s
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%s is not a list of strings", key)
	}
}

// describe shortens a value for an error message.
func describe(v any) string {
	s := fmt.Sprintf("%v", v)
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return strings.TrimSpace(s)
}
