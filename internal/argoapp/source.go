package argoapp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/plugin"
)

// ErrNotRendered marks a source hookguard does not render (another plugin,
// a chart from a Helm repository, another repository).
var ErrNotRendered = errors.New("not rendered")

// request is one source of one Application, ready to render.
type request struct {
	app  *App
	src  source
	root string // the checkout
	// refs maps "$name" to the checkout directory of a ref source.
	refs map[string]string
	// remoteRefs maps "$name" of ref sources in other repositories to their URL.
	remoteRefs map[string]string
	revision   string
}

// env is the build environment Argo CD gives a source (reposerver/
// repository/repository.go newEnv, and getPluginEnvs for plugins).
func (q request) env(base render.Options) map[string]string {
	a := q.app
	project := a.spec.Spec.Project
	short := func(n int) string {
		if len(q.revision) > n {
			return q.revision[:n]
		}
		return q.revision
	}
	return map[string]string{
		"ARGOCD_APP_NAME":                   a.Name,
		"ARGOCD_APP_NAMESPACE":              a.DestNamespace,
		"ARGOCD_APP_PROJECT_NAME":           project,
		"ARGOCD_APP_REVISION":               q.revision,
		"ARGOCD_APP_REVISION_SHORT":         short(7),
		"ARGOCD_APP_REVISION_SHORT_8":       short(8),
		"ARGOCD_APP_SOURCE_REPO_URL":        q.src.RepoURL,
		"ARGOCD_APP_SOURCE_PATH":            q.src.Path,
		"ARGOCD_APP_SOURCE_TARGET_REVISION": q.src.TargetRevision,
		"KUBE_VERSION":                      base.KubeVersion,
		"KUBE_API_VERSIONS":                 strings.Join(base.APIVersions, ","),
	}
}

// dir is the source's directory in the checkout.
func (q request) dir() (string, error) {
	dir := filepath.Join(q.root, filepath.FromSlash(q.src.Path))
	if !confine.Within(q.root, dir) {
		return "", fmt.Errorf("source path %q is outside the repository", q.src.Path)
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return "", fmt.Errorf("source path %q is not a directory of the checkout", q.src.Path)
	}
	return dir, nil
}

// sourceType is the source's type as Argo CD decides it: the explicit block,
// else what the directory holds (util/app/discovery: a kustomization wins
// over a Chart.yaml; otherwise a directory app).
func sourceType(src source, dir string) (string, error) {
	t, err := src.explicitType()
	if err != nil || t != "" {
		return t, err
	}
	switch render.Detect(dir) {
	case render.Kustomize:
		return "Kustomize", nil
	case render.Helm:
		return "Helm", nil
	}
	return "Directory", nil
}

// renderSource renders one source as the repo-server would.
func renderSource(ctx context.Context, q request, base render.Options) ([]manifest.Object, error) {
	dir, err := q.dir()
	if err != nil {
		return nil, err
	}
	typ, err := sourceType(q.src, dir)
	if err != nil {
		return nil, err
	}
	env := q.env(base)
	opts := base
	opts.RepoRoot = q.root
	switch typ {
	case "Directory":
		opts.Kind = render.Plain
		opts.Directory = render.DirectoryOptions{Set: true}
		if d := q.src.Directory; d != nil {
			opts.Directory.Recurse, opts.Directory.Include, opts.Directory.Exclude = d.Recurse, d.Include, d.Exclude
		}
	case "Kustomize":
		opts.Kind = render.Kustomize
		if k := q.src.Kustomize; k != nil {
			if opts.Kustomize, err = kustomizeEdits(*k, env, dir, q.root); err != nil {
				return nil, err
			}
		}
	case "Helm":
		opts.Kind = render.Helm
		if err := q.helmOptions(&opts, env, dir); err != nil {
			return nil, err
		}
	case "Plugin":
		return q.renderPlugin(ctx, env, dir)
	}
	r, err := render.Render(dir, opts)
	if err != nil {
		return nil, err
	}
	return r.Objects, nil
}

// kustomizeEdits maps spec.source.kustomize to the edits Argo CD runs
// (util/kustomize/kustomize.go Build): images and label values are
// env-substituted, annotation values only with commonAnnotationsEnvsubst,
// and missing components are left out only with ignoreMissingComponents.
func kustomizeEdits(k sourceKustomize, env map[string]string, dir, root string) (render.KustomizeEdits, error) {
	e := render.KustomizeEdits{
		NamePrefix: k.NamePrefix, NameSuffix: k.NameSuffix, Namespace: k.Namespace,
		ForceCommonLabels: k.ForceCommonLabels, ForceCommonAnnotations: k.ForceCommonAnnotations,
		LabelWithoutSelector: k.LabelWithoutSelector, LabelIncludeTemplates: k.LabelIncludeTemplates,
		Patches: k.Patches,
	}
	for _, img := range k.Images {
		e.Images = append(e.Images, envsubst(env, img))
	}
	for _, r := range k.Replicas {
		n, err := replicaCount(r.Count)
		if err != nil {
			return e, fmt.Errorf("kustomize.replicas %s: %w", r.Name, err)
		}
		e.Replicas = append(e.Replicas, render.Replica{Name: r.Name, Count: n})
	}
	if len(k.CommonLabels) > 0 {
		e.CommonLabels = map[string]string{}
		for n, v := range k.CommonLabels {
			e.CommonLabels[n] = envsubst(env, v)
		}
	}
	if len(k.CommonAnnotations) > 0 {
		e.CommonAnnotations = map[string]string{}
		for n, v := range k.CommonAnnotations {
			if k.CommonAnnotationsEnvsubst {
				v = envsubst(env, v)
			}
			e.CommonAnnotations[n] = v
		}
	}
	for _, c := range k.Components {
		if k.IgnoreMissingComponents && !hasKustomization(filepath.Join(dir, c), root) {
			continue
		}
		e.Components = append(e.Components, c)
	}
	return e, nil
}

// replicaCount reads an intstr count as ApplicationSourceKustomize's
// GetIntCount does: a number, or a string holding one.
func replicaCount(raw json.RawMessage) (int64, error) {
	var n int64
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("count %s is not a number", raw)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("expected integer value for count. Received: %s", s)
	}
	return n, nil
}

func hasKustomization(dir, root string) bool {
	if !confine.Within(root, dir) {
		return false
	}
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// helmOptions maps spec.source.helm as helmTemplate does
// (reposerver/repository/repository.go): the release is the Application's
// name unless releaseName, the namespace the destination's unless
// helm.namespace, value files resolved against the app path, the
// repository root (absolute paths) or a $ref source, inline values after
// the files, parameters and file parameters env-substituted.
func (q request) helmOptions(opts *render.Options, env map[string]string, dir string) error {
	opts.ReleaseName = q.app.Name
	opts.Namespace = q.app.DestNamespace
	opts.ValuesFiles, opts.Set = nil, nil
	h := q.src.Helm
	if h == nil {
		return nil
	}
	if h.ReleaseName != "" {
		opts.ReleaseName = h.ReleaseName
	}
	if h.Namespace != "" {
		opts.Namespace = h.Namespace
	}
	if h.KubeVersion != "" {
		opts.KubeVersion = h.KubeVersion
	}
	if len(h.APIVersions) > 0 {
		opts.APIVersions = h.APIVersions
	}
	files, err := q.valueFiles(h, env, dir)
	if err != nil {
		return err
	}
	opts.ValuesFiles = files
	opts.ValuesYAML = []byte(h.Values)
	if len(h.ValuesObject) > 0 && string(h.ValuesObject) != "null" {
		// valuesObject wins over values (ApplicationSourceHelm.ValuesYAML).
		var v any
		if err := json.Unmarshal(h.ValuesObject, &v); err != nil {
			return fmt.Errorf("helm.valuesObject: %w", err)
		}
		if opts.ValuesYAML, err = yaml.Marshal(v); err != nil {
			return fmt.Errorf("helm.valuesObject: %w", err)
		}
	}
	for _, p := range h.Parameters {
		set := p.Name + "=" + render.EscapeSetValue(envsubst(env, p.Value))
		if p.ForceString {
			opts.SetString = append(opts.SetString, set)
		} else {
			opts.Set = append(opts.Set, set)
		}
	}
	for _, p := range h.FileParameters {
		path, err := q.resolveValueFile(p.Path, env, dir)
		if err != nil {
			return fmt.Errorf("helm.fileParameters %s: %w", p.Name, err)
		}
		opts.SetFile = append(opts.SetFile, p.Name+"="+path)
	}
	opts.SkipCRDs = h.SkipCrds
	return nil
}

// valueFiles resolves helm.valueFiles as getResolvedValueFiles does: globs
// expand in lexical order (an explicitly listed file keeps its own place),
// duplicates are dropped, missing files are left out only with
// ignoreMissingValueFiles.
func (q request) valueFiles(h *sourceHelm, env map[string]string, dir string) ([]string, error) {
	explicit := map[string]bool{}
	for _, raw := range h.ValueFiles {
		if p, err := q.resolveValueFile(raw, env, dir); err == nil && !isGlob(p) {
			explicit[p] = true
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, raw := range h.ValueFiles {
		p, err := q.resolveValueFile(raw, env, dir)
		if err != nil {
			return nil, fmt.Errorf("helm.valueFiles %s: %w", raw, err)
		}
		if isGlob(p) {
			// doublestar, as Argo CD expands value file globs ("**" too).
			matches, err := doublestar.FilepathGlob(p)
			if err != nil {
				return nil, fmt.Errorf("helm.valueFiles %s: %w", raw, err)
			}
			if len(matches) == 0 {
				if h.IgnoreMissingValueFiles {
					continue
				}
				return nil, fmt.Errorf("values file glob %q matched no files", raw)
			}
			for _, m := range matches {
				if !explicit[m] {
					add(m)
				}
			}
			continue
		}
		if _, err := os.Stat(p); os.IsNotExist(err) && h.IgnoreMissingValueFiles {
			continue
		}
		add(p)
	}
	return out, nil
}

// resolveValueFile is pathutil.ResolveValueFilePathOrUrl, with $ref paths
// resolved in the ref source's checkout first (getResolvedRefValueFile).
// URLs are refused: hookguard reads no network.
func (q request) resolveValueFile(raw string, env map[string]string, dir string) (string, error) {
	base, root, rest := dir, q.root, raw
	if strings.HasPrefix(raw, "$") {
		name, after, _ := strings.Cut(raw, "/")
		if refRoot, ok := q.refs[name]; ok {
			base, root, rest = refRoot, refRoot, "/"+after
		} else if u, ok := q.remoteRefs[name]; ok {
			return "", fmt.Errorf("%w: it comes from source ref %s in another repository (%s); hookguard reads only this checkout", ErrNotRendered, strings.TrimPrefix(name, "$"), u)
		}
	}
	rest = envsubst(env, rest)
	if u, err := url.Parse(rest); err == nil && u.Scheme != "" {
		return "", fmt.Errorf("%w: remote values file %s (hookguard reads no network)", ErrNotRendered, rest)
	}
	var p string
	if filepath.IsAbs(rest) {
		p = filepath.Join(root, rest)
	} else {
		p = filepath.Join(base, rest)
	}
	if !confine.Within(root, p) {
		return "", fmt.Errorf("%s is outside the repository", raw)
	}
	return p, nil
}

func isGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// IsHookguardPlugin reports whether a plugin source names hookguard's CMP
// (plugin.yaml name "hookguard", with or without its version suffix).
func IsHookguardPlugin(name string) bool {
	return name == "hookguard" || strings.HasPrefix(name, "hookguard-")
}

// renderPlugin renders a hookguard plugin source as the sidecar would:
// the environment argocd-cmp-server gives it (getPluginEnvs: the build
// environment, ARGOCD_ENV_ for plugin env, the parameters as JSON).
func (q request) renderPlugin(ctx context.Context, env map[string]string, dir string) ([]manifest.Object, error) {
	p := q.src.Plugin
	if !IsHookguardPlugin(p.Name) {
		name := p.Name
		if name == "" {
			name = "(found by discovery)"
		}
		return nil, fmt.Errorf("%w: plugin %s is not hookguard's; hookguard renders only its own plugin", ErrNotRendered, name)
	}
	penv := plugin.Env{}
	for k, v := range env {
		penv[k] = v
	}
	for _, e := range p.Env {
		penv["ARGOCD_ENV_"+e.Name] = envsubst(env, e.Value)
	}
	if len(p.Parameters) > 0 {
		data, err := json.Marshal(p.Parameters)
		if err != nil {
			return nil, err
		}
		penv["ARGOCD_APP_PARAMETERS"] = string(data)
	}
	objs, _, err := plugin.Objects(ctx, plugin.Request{Dir: dir, Env: penv})
	return objs, err
}
