// Package render turns an app directory into Kubernetes objects the way Argo
// CD's own source types would: Kustomize (in process, krusty), Helm (in
// process, as `helm template`), or plain YAML files. The same renderer serves
// `hookguard generate`, `lint` and `fix`.
package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
)

// Kind is the source type of an app directory.
type Kind string

const (
	Kustomize Kind = "kustomize"
	Helm      Kind = "helm"
	Plain     Kind = "plain"
)

// kustomizationFiles are the names kustomize looks for, in its order.
var kustomizationFiles = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Detect chooses the renderer by what dir holds: a kustomization file, a
// Chart.yaml, or else plain files. A file (not a directory) is plain.
func Detect(dir string) Kind {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return Plain
	}
	for _, name := range kustomizationFiles {
		if fileExists(filepath.Join(dir, name)) {
			return Kustomize
		}
	}
	if fileExists(filepath.Join(dir, "Chart.yaml")) {
		return Helm
	}
	return Plain
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

// Options configure rendering. The zero value renders offline with defaults.
type Options struct {
	// RepoRoot bounds what may be read: no file outside it is opened. Empty
	// means the app directory itself.
	RepoRoot string

	// AllowRemote lets Kustomize fetch remote bases (off: a clear error).
	AllowRemote bool
	// KustomizeHelm enables Kustomize's helmCharts inflation (needs helm on PATH).
	KustomizeHelm bool

	// Helm: release name (default "release-name"), namespace (default
	// "default"), values files (relative to the chart), --set values,
	// Kubernetes version and extra API versions.
	ReleaseName string
	Namespace   string
	ValuesFiles []string
	Set         []string
	KubeVersion string
	APIVersions []string

	// Kind forces the source type, as an Application's explicit
	// directory, kustomize or helm block does; empty: Detect.
	Kind Kind
	// Directory are the Application's directory settings (Set: Argo CD's walk).
	Directory DirectoryOptions
	// Kustomize are the Application's kustomize settings, applied to the
	// app's kustomization as Argo CD's `kustomize edit` commands would.
	Kustomize KustomizeEdits
	// Helm settings of an Application beyond the ones above: inline values
	// (YAML) merged after ValuesFiles (spec.source.helm.values/valuesObject),
	// --set-string and --set-file values (name=path, path inside the
	// repository), and skipCrds (Argo CD passes --include-crds otherwise).
	ValuesYAML []byte
	SetString  []string
	SetFile    []string
	SkipCRDs   bool

	// Notes receives skipped documents and other remarks; may be nil.
	Notes func(string)
	// Budget is the run's input budget (nil: unlimited).
	Budget *manifest.Budget
}

// Result is what a renderer produced.
type Result struct {
	Kind    Kind
	Objects []manifest.Object
}

// Render renders dir with the renderer Detect picks.
func Render(dir string, opts Options) (*Result, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root := opts.RepoRoot
	if root == "" {
		root = abs
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, err
	}
	if !confine.Within(root, abs) {
		return nil, fmt.Errorf("%s is outside the repository root %s", dir, root)
	}
	opts.RepoRoot = root
	kind := Detect(dir)
	if opts.Kind != "" {
		kind = opts.Kind
	}
	var objs []manifest.Object
	switch kind {
	case Kustomize:
		objs, err = renderKustomize(dir, abs, opts)
	case Helm:
		objs, err = renderHelm(dir, abs, opts)
	case Plain:
		if opts.Directory.Set {
			objs, err = loadDirectory(dir, opts)
			break
		}
		var root confine.Root
		if root, err = confine.New(opts.RepoRoot); err == nil {
			objs, err = manifest.Loader{Notes: opts.Notes, Root: &root, Budget: opts.Budget}.Load([]string{dir})
		}
	}
	if err != nil {
		return nil, err
	}
	return &Result{Kind: kind, Objects: objs}, nil
}

// ErrOutsideRepo is returned when rendering would read outside RepoRoot.
var ErrOutsideRepo = errors.New("outside the repository")
