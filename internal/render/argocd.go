package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/gobwas/glob"
	"sigs.k8s.io/kustomize/api/pkg/util"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
)

// DirectoryOptions are an Application's spec.source.directory settings,
// read as Argo CD's repo-server reads them (reposerver/repository/
// repository.go, getPotentiallyValidManifests).
type DirectoryOptions struct {
	// Set says the options apply: the directory is walked Argo CD's way
	// (top level only unless Recurse, include/exclude globs) instead of
	// hookguard's plain walk.
	Set     bool
	Recurse bool
	// Include and Exclude are globs matched against the path relative to
	// the app directory, as argo-cd util/glob.Match does it (gobwas/glob,
	// no separators: "*" crosses "/", {a,b} alternatives).
	Include, Exclude string
}

// argoManifestFile is repository.go's manifestFile: the extensions Argo CD
// reads in a directory app (jsonnet is noted, not evaluated).
var argoManifestFile = regexp.MustCompile(`^.*\.(yaml|yml|json|jsonnet)$`)

// skipFileRenderingMarker leaves a file out (repository.go skipFileRenderingMarker).
const skipFileRenderingMarker = "+argocd:skip-file-rendering"

// GlobMatch is argo-cd util/glob.Match: a pattern that does not compile
// matches nothing.
func GlobMatch(pattern, text string) bool {
	g, err := glob.Compile(pattern)
	if err != nil {
		return false
	}
	return g.Match(text)
}

// DirectoryFiles lists the files Argo CD reads for a directory app, in its
// walk order (filepath.Walk: lexical).
func DirectoryFiles(dir string, d DirectoryOptions, notes func(string)) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if path != dir && !d.Recurse {
				return filepath.SkipDir
			}
			return nil
		}
		if !argoManifestFile.MatchString(e.Name()) {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.Exclude != "" && GlobMatch(d.Exclude, rel) {
			return nil
		}
		if d.Include != "" && !GlobMatch(d.Include, rel) {
			return nil
		}
		if strings.HasSuffix(e.Name(), ".jsonnet") {
			if notes != nil {
				notes(path + ": jsonnet is not evaluated by hookguard; the file is left out")
			}
			return nil
		}
		out = append(out, path)
		return nil
	})
	return out, err
}

// loadDirectory reads a directory app as Argo CD does.
func loadDirectory(dir string, opts Options) ([]manifest.Object, error) {
	root, err := confine.New(opts.RepoRoot)
	if err != nil {
		return nil, err
	}
	files, err := DirectoryFiles(dir, opts.Directory, opts.Notes)
	if err != nil {
		return nil, err
	}
	var objs []manifest.Object
	for _, f := range files {
		data, err := root.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(data, []byte(skipFileRenderingMarker)) {
			continue
		}
		more, err := manifest.Loader{Notes: opts.Notes, Budget: opts.Budget}.Parse(f, data)
		if err != nil {
			return nil, err
		}
		objs = append(objs, more...)
	}
	return objs, nil
}

// KustomizeEdits are an Application's spec.source.kustomize settings. Argo
// CD applies them with `kustomize edit` in the app directory before
// `kustomize build` (argo-cd util/kustomize/kustomize.go Build); hookguard
// applies the same edits to the app's kustomization as it is read.
type KustomizeEdits struct {
	NamePrefix, NameSuffix string
	// Images are `kustomize edit set image` arguments: name[=newName][:tag|@digest].
	Images []string
	// Replicas are `kustomize edit set replicas` arguments: name=count.
	Replicas []Replica
	// CommonLabels and CommonAnnotations are `kustomize edit add label/annotation`.
	CommonLabels, CommonAnnotations map[string]string
	ForceCommonLabels               bool
	ForceCommonAnnotations          bool
	LabelWithoutSelector            bool
	LabelIncludeTemplates           bool
	Namespace                       string
	// Patches are appended to the kustomization's patches, as Argo CD writes them.
	Patches []any
	// Components are `kustomize edit add component` arguments.
	Components []string
}

// Replica is one `kustomize edit set replicas` argument.
type Replica struct {
	Name  string
	Count int64
}

// Empty reports whether there is nothing to edit.
func (k KustomizeEdits) Empty() bool {
	return k.NamePrefix == "" && k.NameSuffix == "" && len(k.Images) == 0 && len(k.Replicas) == 0 &&
		len(k.CommonLabels) == 0 && len(k.CommonAnnotations) == 0 && k.Namespace == "" &&
		len(k.Patches) == 0 && len(k.Components) == 0
}

// apply edits a kustomization (its parsed map) in the order Argo CD runs
// the edit commands.
func (k KustomizeEdits) apply(m map[string]any) error {
	if k.NamePrefix != "" {
		m["namePrefix"] = k.NamePrefix
	}
	if k.NameSuffix != "" {
		m["nameSuffix"] = k.NameSuffix
	}
	for _, arg := range k.Images {
		if err := setImage(m, arg); err != nil {
			return err
		}
	}
	for _, r := range k.Replicas {
		list, _ := m["replicas"].([]any)
		replaced := false
		for _, item := range list {
			if e, ok := item.(map[string]any); ok && e["name"] == r.Name {
				e["count"], replaced = r.Count, true
			}
		}
		if !replaced {
			list = append(list, map[string]any{"name": r.Name, "count": r.Count})
		}
		m["replicas"] = list
	}
	if len(k.CommonLabels) > 0 {
		if k.LabelWithoutSelector {
			if err := addLabelsWithoutSelector(m, k.CommonLabels, k.LabelIncludeTemplates, k.ForceCommonLabels); err != nil {
				return err
			}
		} else if err := addPairs(m, "commonLabels", k.CommonLabels, k.ForceCommonLabels, "label"); err != nil {
			return err
		}
	}
	if len(k.CommonAnnotations) > 0 {
		if err := addPairs(m, "commonAnnotations", k.CommonAnnotations, k.ForceCommonAnnotations, "annotation"); err != nil {
			return err
		}
	}
	if k.Namespace != "" {
		m["namespace"] = k.Namespace
	}
	if len(k.Patches) > 0 {
		list, ok := m["patches"].([]any)
		if _, present := m["patches"]; present && !ok {
			return fmt.Errorf("expected 'patches' field in kustomization.yaml to be a list")
		}
		m["patches"] = append(list, k.Patches...)
	}
	if len(k.Components) > 0 {
		list, _ := m["components"].([]any)
		for _, c := range k.Components {
			if !slices.Contains(list, any(c)) {
				list = append(list, c)
			}
		}
		m["components"] = list
	}
	return nil
}

// addPairs is `kustomize edit add label|annotation`: without --force an
// existing key is an error.
func addPairs(m map[string]any, field string, pairs map[string]string, force bool, what string) error {
	cur, _ := m[field].(map[string]any)
	if cur == nil {
		cur = map[string]any{}
	}
	for k, v := range pairs {
		if _, ok := cur[k]; ok && !force {
			return fmt.Errorf("kustomize edit add %s: %s %s already in kustomization file (Argo CD: set forceCommon%ss)", what, what, k, strings.ToUpper(what[:1])+what[1:])
		}
		cur[k] = v
	}
	m[field] = cur
	return nil
}

// setImage is `kustomize edit set image ARG` (kustomize v5
// commands/edit/set/setimage.go): ARG is [name=]image[:tag][@digest]; the
// entry of that name is replaced whole ("*" keeps the old field), and the
// list is sorted by name.
func setImage(m map[string]any, arg string) error {
	key, value, hasKey := strings.Cut(arg, "=")
	if !hasKey {
		key, value = "", arg
	}
	name, tag, digest := util.SplitImageName(value)
	if name == arg {
		return fmt.Errorf("kustomize edit set image %q: invalid format of image, use one of the following options: <image>=<newimage>:<newtag> <image>=<newimage>@<digest> <image>=<newimage> <image>:<newtag> <image>@<digest>", arg)
	}
	img := map[string]any{"name": name}
	if key != "" {
		img["name"], img["newName"] = key, name
	}
	if tag != "" {
		img["newTag"] = tag
	}
	if digest != "" {
		img["digest"] = digest
	}
	list, _ := m["images"].([]any)
	out := make([]any, 0, len(list)+1)
	for _, item := range list {
		if e, ok := item.(map[string]any); ok && e["name"] == img["name"] {
			for _, f := range []string{"newName", "newTag", "digest"} {
				if img[f] == "*" {
					img[f] = e[f]
				}
			}
			continue
		}
		out = append(out, item)
	}
	for _, f := range []string{"newName", "newTag", "digest"} {
		if v, ok := img[f]; ok && (v == "*" || v == nil) {
			delete(img, f)
		}
	}
	out = append(out, img)
	sort.SliceStable(out, func(i, j int) bool { return imageName(out[i]) < imageName(out[j]) })
	m["images"] = out
	return nil
}

func imageName(item any) string {
	if e, ok := item.(map[string]any); ok {
		s, _ := e["name"].(string)
		return s
	}
	return ""
}

// addLabelsWithoutSelector is `kustomize edit add label --without-selector`:
// the pairs go into the labels entry with the same settings, else a new one.
func addLabelsWithoutSelector(m map[string]any, pairs map[string]string, templates, force bool) error {
	list, _ := m["labels"].([]any)
	var target map[string]any
	for _, item := range list {
		e, ok := item.(map[string]any)
		if ok && e["includeSelectors"] != true && (e["includeTemplates"] == true) == templates {
			target = e
			break
		}
	}
	if target == nil {
		target = map[string]any{"pairs": map[string]any{}}
		if templates {
			target["includeTemplates"] = true
		}
		list = append(list, target)
	}
	if err := addPairs(target, "pairs", pairs, force, "label"); err != nil {
		return err
	}
	m["labels"] = list
	return nil
}

// editKustomization applies the edits to the app's own kustomization text.
func editKustomization(path string, data []byte, k KustomizeEdits) ([]byte, error) {
	for _, c := range k.Components {
		// `kustomize edit add component` globs each path; no match is an error.
		if _, err := os.Stat(filepath.Join(filepath.Dir(path), c)); err != nil {
			return nil, fmt.Errorf("%s: component %s: %w (Argo CD: set ignoreMissingComponents to leave it out)", path, c, err)
		}
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m == nil {
		m = map[string]any{}
	}
	if err := k.apply(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return yaml.Marshal(m)
}

// mergeValues is Helm's values merge (pkg/cli/values mergeMaps): maps merge
// key by key, anything else replaces.
func mergeValues(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if vm, ok := v.(map[string]any); ok {
			if bv, ok := out[k].(map[string]any); ok {
				out[k] = mergeValues(bv, vm)
				continue
			}
		}
		out[k] = v
	}
	return out
}
