package render

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"
	"helm.sh/helm/v3/pkg/strvals"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
)

// DefaultKubeVersion is used when neither KUBE_VERSION nor an option sets one.
// Helm's SDK alone would assume v1.20.0, which many charts refuse.
const DefaultKubeVersion = "v1.34.0"

// renderHelm renders a chart as `helm template --include-crds` does (as Argo
// CD runs it): manifests, then hooks, each document headed by its template.
// Vendored charts/ dependencies work; missing ones are never fetched: an
// error when the values enable them, left out when they disable them.
func renderHelm(dir, abs string, opts Options) ([]manifest.Object, error) {
	root, err := confine.New(opts.RepoRoot)
	if err != nil {
		return nil, err
	}
	// Helm's loader follows symbolic links in templates/, charts/ and
	// files .Files.Get reads: refuse the chart before it reads any.
	if err := root.CheckTree(abs); err != nil {
		return nil, fmt.Errorf("helm: chart %s: %w", dir, err)
	}
	// No network while Helm renders: a values.schema.json with a remote
	// $ref would otherwise be fetched during validation.
	defer offline()()
	chrt, err := loader.Load(abs)
	if err != nil {
		return nil, fmt.Errorf("helm: loading chart %s: %w", dir, err)
	}
	vals, err := helmValues(root, abs, opts)
	if err != nil {
		return nil, err
	}
	if err := checkDependencies(dir, abs, chrt, vals, opts.Notes); err != nil {
		return nil, err
	}
	releaseName := opts.ReleaseName
	if releaseName == "" {
		releaseName = "release-name"
	}
	namespace := opts.Namespace
	if namespace == "" {
		namespace = "default"
	}
	kv, err := ParseKubeVersion(opts.KubeVersion)
	if err != nil {
		return nil, err
	}
	docs, err := helmTemplate(chrt, vals, releaseName, namespace, kv, opts.APIVersions, !opts.SkipCRDs)
	if err != nil {
		return nil, fmt.Errorf("helm template %s: %w", dir, err)
	}
	parsed := make([][]manifest.Object, len(docs))
	for i, doc := range docs {
		file := templateFile(dir, chrt, doc.source)
		if parsed[i], err = (manifest.Loader{Notes: opts.Notes, Budget: opts.Budget}).Parse(file, []byte(doc.body)); err != nil {
			return nil, fmt.Errorf("helm template %s: %s renders invalid YAML: %w", dir, doc.source, err)
		}
	}
	placeHelm(chrt, docs, parsed)
	var objs []manifest.Object
	for i, doc := range docs {
		for _, o := range parsed[i] {
			o.Source = "helm template " + doc.source
			o.Rendered = true
			objs = append(objs, o)
		}
	}
	return objs, nil
}

// helmValues merges values files (inside the repository only) and --set values.
func helmValues(root confine.Root, abs string, opts Options) (map[string]any, error) {
	var files []string
	for _, f := range opts.ValuesFiles {
		p := f
		if !filepath.IsAbs(p) {
			p = filepath.Join(abs, f)
		}
		p = filepath.Clean(p)
		if !confine.Within(opts.RepoRoot, p) {
			return nil, fmt.Errorf("helm: values file %s is %w (%s); URLs and outside files are not read", f, ErrOutsideRepo, opts.RepoRoot)
		}
		real, info, err := root.Resolve(p)
		if err != nil {
			return nil, fmt.Errorf("helm: values file %s: %w", f, err)
		}
		if info.IsDir() || info.Size() > confine.MaxFileBytes {
			return nil, fmt.Errorf("helm: values file %s is a directory or larger than %d bytes", f, confine.MaxFileBytes)
		}
		files = append(files, real)
	}
	var setFiles []string
	for _, sf := range opts.SetFile {
		name, p, _ := strings.Cut(sf, "=")
		if !filepath.IsAbs(p) {
			p = filepath.Join(abs, p)
		}
		real, info, err := root.Resolve(filepath.Clean(p))
		if err != nil {
			return nil, fmt.Errorf("helm: file parameter %s: %w", name, err)
		}
		if info.IsDir() || info.Size() > confine.MaxFileBytes {
			return nil, fmt.Errorf("helm: file parameter %s: %s is a directory or larger than %d bytes", name, p, confine.MaxFileBytes)
		}
		setFiles = append(setFiles, name+"="+real)
	}
	// Helm merges -f files in order, then --set, --set-string, --set-file.
	// Argo CD passes the inline values as the last -f file
	// (reposerver/repository/repository.go helmTemplate, ExtraValues), so
	// they are merged after the files and before every --set.
	// As helm's values.Options.MergeValues reads -f files (v3.15.4
	// pkg/cli/values/options.go), without its getters: these are local files.
	vals := map[string]any{}
	for _, f := range files {
		data, err := root.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("helm: values: %w", err)
		}
		current := map[string]any{}
		if err := yaml.Unmarshal(data, &current); err != nil {
			return nil, fmt.Errorf("helm: values: failed to parse %s: %w", f, err)
		}
		vals = mergeValues(vals, current)
	}
	if len(opts.ValuesYAML) > 0 {
		inline, err := chartutil.ReadValues(opts.ValuesYAML)
		if err != nil {
			return nil, fmt.Errorf("helm: the Application's inline values: %w", err)
		}
		vals = mergeValues(vals, inline)
	}
	for _, s := range opts.Set {
		if err := strvals.ParseInto(s, vals); err != nil {
			return nil, fmt.Errorf("helm: --set %s: %w", s, err)
		}
	}
	for _, s := range opts.SetString {
		if err := strvals.ParseIntoString(s, vals); err != nil {
			return nil, fmt.Errorf("helm: --set-string %s: %w", s, err)
		}
	}
	for _, s := range setFiles {
		reader := func(rs []rune) (any, error) {
			data, err := root.ReadFile(string(rs))
			return string(data), err
		}
		if err := strvals.ParseIntoFile(s, vals, reader); err != nil {
			return nil, fmt.Errorf("helm: --set-file %s: %w", s, err)
		}
	}
	return vals, nil
}

// helmTemplate is what `helm template` does with a loaded chart (helm
// v3.15.4 pkg/action install.go RunWithContext and action.go
// renderResources, client-only, as a dry run): the release's manifest (CRDs
// from crds/ when includeCRDs, then the resources in install order), then
// its hooks. It calls Helm's own engine, values and sorting; only the
// plumbing around them (a release, a fake Kubernetes client) is left out,
// and with it Helm's Kubernetes client packages.
func helmTemplate(chrt *chart.Chart, vals map[string]any, name, namespace string, kv *chartutil.KubeVersion, apiVersions []string, includeCRDs bool) ([]manifestDoc, error) {
	if err := chartutil.ValidateReleaseName(name); err != nil {
		return nil, fmt.Errorf("release name %q: %w", name, err)
	}
	if err := chartutil.ProcessDependenciesWithMerge(chrt, vals); err != nil {
		return nil, err
	}
	caps := chartutil.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	caps.APIVersions = append(caps.APIVersions, apiVersions...)
	values, err := chartutil.ToRenderValues(chrt, vals, chartutil.ReleaseOptions{Name: name, Namespace: namespace, Revision: 1, IsInstall: true}, caps)
	if err != nil {
		return nil, err
	}
	if chrt.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(chrt.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", chrt.Metadata.KubeVersion, caps.KubeVersion.String())
	}
	files, err := (&engine.Engine{}).Render(chrt, values)
	if err != nil {
		return nil, err
	}
	for f := range files {
		if strings.HasSuffix(f, "NOTES.txt") {
			delete(files, f)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, caps.APIVersions, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if includeCRDs {
		for _, crd := range chrt.CRDObjects() {
			fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", crd.Filename, crd.File.Data)
		}
	}
	for _, m := range manifests {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	docs := splitManifest(b.String())
	for _, h := range hooks {
		docs = append(docs, manifestDoc{source: h.Path, body: h.Manifest})
	}
	return docs, nil
}

type manifestDoc struct{ source, body string }

var (
	sourceLine   = regexp.MustCompile(`(?m)^# Source: (.+)$`)
	docSeparator = regexp.MustCompile(`(?m)^---\s*$`)
)

// splitManifest cuts a release manifest into its "# Source:" documents.
func splitManifest(m string) []manifestDoc {
	var out []manifestDoc
	src := ""
	for _, part := range docSeparator.Split(m, -1) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		// A file with several documents (a CRD file) has one Source header.
		if s := sourceLine.FindStringSubmatch(part); s != nil {
			src = strings.TrimSpace(s[1])
		}
		out = append(out, manifestDoc{source: src, body: part})
	}
	return out
}

// templateFile maps "<chart>/templates/x.yaml" (or a subchart's
// "<chart>/charts/<sub>/templates/x.yaml") to the file under dir.
func templateFile(dir string, chrt *chart.Chart, source string) string {
	if source == "" {
		return dir
	}
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(source, chrt.Name()+"/")))
}

// ParseKubeVersion reads KUBE_VERSION leniently: "1.29" (Argo CD up to 3.3.2),
// "1.29.3" (3.3.3/3.4+), "v1.29.3", "1.29+", "1.29.3-gke.100". Empty is
// DefaultKubeVersion.
func ParseKubeVersion(s string) (*chartutil.KubeVersion, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = DefaultKubeVersion
	}
	v := strings.TrimPrefix(s, "v")
	v = strings.ReplaceAll(v, "+", "")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) == 2 {
		v += ".0"
	}
	kv, err := chartutil.ParseKubeVersion("v" + v)
	if err != nil {
		return nil, fmt.Errorf("invalid Kubernetes version %q (KUBE_VERSION): want MAJOR.MINOR[.PATCH]", s)
	}
	return kv, nil
}

// ParseAPIVersions splits KUBE_API_VERSIONS ("v1,apps/v1,apps/v1/Deployment"),
// dropping empty items, sorted and deduplicated.
func ParseAPIVersions(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item != "" && !seen[item] {
			seen[item] = true
			out = append(out, item)
		}
	}
	sort.Strings(out)
	return out
}

// EscapeSetValue makes v one --set value as Argo CD passes it to helm
// (util/helm/cmd.go cleanSetParameters): a comma would start a second
// assignment, so it is escaped, unless the value is a {list}.
func EscapeSetValue(v string) string {
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == ',' && (i == 0 || v[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
