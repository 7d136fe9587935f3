package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
)

// originAnnotation is where kustomize records the file an object came from
// (buildMetadata: [originAnnotations]).
const originAnnotation = "config.kubernetes.io/origin"

// renderKustomize runs krusty in process: files only from inside the
// repository, no exec or Go plugins, Helm inflation only when asked, remote
// bases only when allowed.
func renderKustomize(dir, abs string, opts Options) ([]manifest.Object, error) {
	kopts := krusty.MakeDefaultOptions()
	kopts.LoadRestrictions = types.LoadRestrictionsRootOnly
	kopts.PluginConfig = types.DisabledPluginConfig()
	if opts.KustomizeHelm {
		kopts.PluginConfig.HelmConfig.Enabled = true
		kopts.PluginConfig.HelmConfig.Command = lookPath("helm")
	}
	fs := repoFS{FileSystem: filesys.MakeFsOnDisk(), root: opts.RepoRoot, allowRemote: opts.AllowRemote, refused: new(error), budget: opts.Budget}
	if !opts.Kustomize.Empty() {
		fs.edits, fs.appDir = &opts.Kustomize, abs
	}
	if !opts.AllowRemote {
		defer offline()()
	} else {
		defer online()()
	}
	resMap, err := krusty.MakeKustomizer(kopts).Run(fs, abs)
	if err != nil {
		// kustomize reads a refused kustomization as "not found"; say why.
		if *fs.refused != nil {
			return nil, fmt.Errorf("kustomize build %s: %w", dir, *fs.refused)
		}
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	data, err := resMap.AsYaml()
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	objs, err := manifest.Loader{Notes: opts.Notes, Budget: opts.Budget}.Parse(filepath.Join(dir, "kustomization.yaml"), data)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: output: %w", dir, err)
	}
	files := map[string][]manifest.Object{}
	for i := range objs {
		locateOrigin(&objs[i], dir, files)
	}
	return objs, nil
}

// locateOrigin moves kustomize's origin annotation into the object's File and
// Line (the document in the source file with the same kind and name), so
// findings point at the file a person edits.
func locateOrigin(o *manifest.Object, dir string, files map[string][]manifest.Object) {
	o.Source = "kustomize build " + dir
	o.Rendered = true
	ann := o.Node.GetAnnotations()
	origin, ok := ann[originAnnotation]
	if !ok {
		return
	}
	delete(ann, originAnnotation)
	if len(ann) == 0 {
		_ = o.Node.PipeE(yaml.Lookup("metadata"), yaml.Clear("annotations"))
	} else {
		_ = o.Node.SetAnnotations(ann)
	}
	var meta struct {
		Path string `yaml:"path"`
		Repo string `yaml:"repo"`
	}
	if yaml.Unmarshal([]byte(origin), &meta) != nil || meta.Path == "" || meta.Repo != "" {
		return
	}
	file := filepath.Join(dir, meta.Path)
	o.File = file
	o.Line, o.Column = 0, 0
	if _, seen := files[file]; !seen {
		data, err := os.ReadFile(file)
		if err == nil {
			files[file], _ = manifest.Loader{}.Parse(file, data)
		}
	}
	ref := o.Ref()
	for _, src := range files[file] {
		srcRef := src.Ref()
		if srcRef.Kind == ref.Kind && srcRef.Name != "" && strings.Contains(ref.Name, srcRef.Name) {
			o.Line, o.Column = src.Line, src.Column
			return
		}
	}
}

// repoFS is the disk seen through the repository boundary: reading outside
// the root is an error, and every kustomization read gets origin annotations
// turned on and its remote references checked.
type repoFS struct {
	filesys.FileSystem
	root        string
	allowRemote bool
	// refused keeps the first refusal: kustomize may swallow the error.
	refused *error
	// budget is charged for every file kustomize reads, which is checked for
	// alias bombs before kustomize expands it.
	budget *manifest.Budget
	// edits are applied to appDir's own kustomization (an Application's
	// kustomize settings); nil: none.
	edits  *KustomizeEdits
	appDir string
}

func (f repoFS) refuse(err error) error {
	if *f.refused == nil {
		*f.refused = err
	}
	return err
}

func (f repoFS) check(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	root := f.root
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	if !confine.Within(root, abs) {
		return f.refuse(fmt.Errorf("%s is %w %s: hookguard reads no file outside the repository being rendered", path, ErrOutsideRepo, f.root))
	}
	if info, err := os.Stat(abs); err == nil && !info.Mode().IsRegular() && !info.IsDir() {
		return f.refuse(fmt.Errorf("%s is not a regular file (%s): hookguard reads only regular files", path, info.Mode().Type()))
	}
	return nil
}

func (f repoFS) ReadFile(path string) ([]byte, error) {
	if err := f.check(path); err != nil {
		return nil, err
	}
	data, err := f.FileSystem.ReadFile(path)
	if err != nil {
		return data, err
	}
	if len(data) > confine.MaxFileBytes {
		return nil, f.refuse(fmt.Errorf("%s is %w: %d bytes, the limit is %d", path, confine.ErrTooLarge, len(data), confine.MaxFileBytes))
	}
	if err := (manifest.Loader{Budget: f.budget}).Scan(path, data); err != nil {
		return nil, f.refuse(err)
	}
	if !isKustomization(path) {
		return data, nil
	}
	if f.edits != nil && filepath.Dir(path) == f.appDir {
		if data, err = editKustomization(path, data, *f.edits); err != nil {
			return nil, f.refuse(err)
		}
	}
	return f.prepareKustomization(path, data)
}

func (f repoFS) Open(path string) (filesys.File, error) {
	if err := f.check(path); err != nil {
		return nil, err
	}
	return f.FileSystem.Open(path)
}

func (f repoFS) ReadDir(path string) ([]string, error) {
	if err := f.check(path); err != nil {
		return nil, err
	}
	return f.FileSystem.ReadDir(path)
}

func isKustomization(path string) bool {
	base := filepath.Base(path)
	for _, name := range kustomizationFiles {
		if base == name {
			return true
		}
	}
	return false
}

// remoteRef matches what kustomize would fetch, in any case: URLs of any
// scheme, go-getter forms (git::, s3::), git SSH addresses, and host/path
// forms like github.com/org/repo//dir?ref=v1.
var remoteRef = regexp.MustCompile(`(?i)^([a-z][a-z0-9+.-]*::|[a-z][a-z0-9+.-]*://|[a-z0-9_.-]+@[a-z0-9.-]+:|ssh:|[a-z0-9-]+(\.[a-z0-9-]+)+/)`)

// loadedFields are the kustomization fields whose strings kustomize loads
// as files, directories or URLs. Each path ends in a string or a list of
// strings; "[]" steps into every item of a list.
var loadedFields = [][]string{
	{"resources"}, {"bases"}, {"components"}, {"crds"}, {"configurations"},
	{"generators"}, {"transformers"}, {"validators"}, {"patchesStrategicMerge"},
	{"openapi", "path"}, {"patches", "[]", "path"}, {"patchesJson6902", "[]", "path"},
	{"replacements", "[]", "path"},
	{"configMapGenerator", "[]", "files"}, {"configMapGenerator", "[]", "envs"}, {"configMapGenerator", "[]", "env"},
	{"secretGenerator", "[]", "files"}, {"secretGenerator", "[]", "envs"}, {"secretGenerator", "[]", "env"},
	{"helmGlobals", "chartHome"}, {"helmCharts", "[]", "valuesFile"}, {"helmCharts", "[]", "additionalValuesFiles"},
}

// stringsAt collects the strings at a field path of a kustomization.
func stringsAt(n *yaml.Node, path []string) []*yaml.Node {
	if n == nil {
		return nil
	}
	if len(path) == 0 {
		switch n.Kind {
		case yaml.ScalarNode:
			return []*yaml.Node{n}
		case yaml.SequenceNode:
			var out []*yaml.Node
			for _, c := range n.Content {
				if c.Kind == yaml.ScalarNode {
					out = append(out, c)
				}
			}
			return out
		}
		return nil
	}
	var out []*yaml.Node
	switch {
	case path[0] == "[]" && n.Kind == yaml.SequenceNode:
		for _, c := range n.Content {
			out = append(out, stringsAt(c, path[1:])...)
		}
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == path[0] {
				out = append(out, stringsAt(n.Content[i+1], path[1:])...)
			}
		}
	}
	return out
}

// remoteReference returns the first string of a kustomization that kustomize
// would fetch over the network, with its field, or "".
func (f repoFS) remoteReference(path string, node *yaml.RNode) (field, ref string) {
	for _, fp := range loadedFields {
		for _, n := range stringsAt(node.YNode(), fp) {
			item := strings.TrimSpace(n.Value)
			if strings.Contains(item, "\n") {
				continue // an inline patch or generator, not a reference
			}
			if _, value, ok := strings.Cut(item, "="); ok && fp[len(fp)-1] == "files" {
				item = value // key=path
			}
			if remoteRef.MatchString(item) && !f.Exists(filepath.Join(filepath.Dir(path), item)) {
				return strings.ReplaceAll(strings.Join(fp, "."), ".[]", "[]"), item
			}
		}
	}
	for _, n := range stringsAt(node.YNode(), []string{"helmCharts", "[]", "repo"}) {
		if strings.TrimSpace(n.Value) != "" {
			return "helmCharts[].repo", n.Value
		}
	}
	return "", ""
}

// prepareKustomization refuses remote references unless allowed, and adds
// buildMetadata: [originAnnotations] so objects keep their source file.
func (f repoFS) prepareKustomization(path string, data []byte) ([]byte, error) {
	node, err := yaml.Parse(string(data))
	if err != nil {
		return data, nil // kustomize reports the syntax error with its own context
	}
	if !f.allowRemote {
		if field, ref := f.remoteReference(path, node); field != "" {
			return nil, f.refuse(fmt.Errorf("%s: %s entry %q is remote; remote bases are off by default (no network): vendor it into the repository, or allow them with the allow-remote-bases parameter (lint: --allow-remote)", path, field, ref))
		}
	}
	meta, err := node.Pipe(yaml.LookupCreate(yaml.SequenceNode, "buildMetadata"))
	if err != nil {
		return data, nil
	}
	for _, n := range meta.YNode().Content {
		if n.Value == types.OriginAnnotations {
			return data, nil
		}
	}
	meta.YNode().Content = append(meta.YNode().Content, yaml.NewStringRNode(types.OriginAnnotations).YNode())
	out, err := node.String()
	if err != nil {
		return data, nil
	}
	return []byte(out), nil
}
