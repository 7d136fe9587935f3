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
		kopts.PluginConfig.HelmConfig.Command = "helm"
	}
	fs := repoFS{FileSystem: filesys.MakeFsOnDisk(), root: opts.RepoRoot, allowRemote: opts.AllowRemote, refused: new(error)}
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
	objs, err := manifest.Loader{Notes: opts.Notes}.Parse(filepath.Join(dir, "kustomization.yaml"), data)
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
	kind, name := o.Node.GetKind(), o.Node.GetName()
	for _, src := range files[file] {
		srcName := src.Node.GetName()
		if src.Node.GetKind() == kind && srcName != "" && strings.Contains(name, srcName) {
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
	if !within(root, abs) {
		return f.refuse(fmt.Errorf("%s is %w %s: hookguard reads no file outside the repository being rendered", path, ErrOutsideRepo, f.root))
	}
	return nil
}

func (f repoFS) ReadFile(path string) ([]byte, error) {
	if err := f.check(path); err != nil {
		return nil, err
	}
	data, err := f.FileSystem.ReadFile(path)
	if err != nil || !isKustomization(path) {
		return data, err
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

// remoteRef matches what kustomize would fetch: URLs, git SSH addresses,
// and host/path forms like github.com/org/repo//dir?ref=v1.
var remoteRef = regexp.MustCompile(`^([a-z][a-z0-9+.-]*://|git@|[a-z0-9-]+(\.[a-z0-9-]+)+/)`)

// prepareKustomization refuses remote references unless allowed, and adds
// buildMetadata: [originAnnotations] so objects keep their source file.
func (f repoFS) prepareKustomization(path string, data []byte) ([]byte, error) {
	node, err := yaml.Parse(string(data))
	if err != nil {
		return data, nil // kustomize reports the syntax error with its own context
	}
	if !f.allowRemote {
		for _, field := range []string{"resources", "bases", "components"} {
			list, _ := node.Pipe(yaml.Lookup(field))
			if list == nil {
				continue
			}
			for _, n := range list.YNode().Content {
				item := n.Value
				if remoteRef.MatchString(item) && !f.Exists(filepath.Join(filepath.Dir(path), item)) {
					return nil, f.refuse(fmt.Errorf("%s: %s entry %q is remote; remote bases are off by default (no network): vendor it into the repository, or allow them with the allow-remote-bases parameter (lint: --allow-remote)", path, field, item))
				}
			}
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
