// Package workspace decides what an app is. Given the paths a user named (or
// the directory argocd-cmp-server runs the plugin in), it finds the
// repository root, the one .hookguard.yaml that applies (a bounded upward
// walk), and the apps: Kustomize roots and Helm charts rendered as Argo CD
// would, plain files read as one set. cmd/ and the CMP call it, as helm's
// cmd/ calls pkg/action.
package workspace

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/pool"
	"github.com/hookguard/hookguard/internal/render"
)

// Workspace is where apps are found and rendered.
type Workspace struct {
	// Root bounds rendering and the config walk: no file outside it is read.
	// Empty means each app's own repository root (see Root).
	Root string
	// Render are the render settings shared by every app (Helm values, ...).
	Render render.Options
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Notes receives skipped documents and other remarks; may be nil.
	Notes func(string)
	// Ignore, when set, leaves out the files and directories it matches
	// (ignore globs), named or found while walking.
	Ignore func(path string) bool
}

// Set is objects that are linted together: one rendered app, or the plain
// files the user named.
type Set struct {
	Objects []manifest.Object
	// Complete says the set is a whole app (rendered Kustomize or Helm).
	Complete bool
}

// Root is the repository a path belongs to: the nearest enclosing directory
// with a .git, else the current directory when the path is inside it, else
// the path itself.
func Root(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	if root := gitRoot(abs); root != "" {
		return root
	}
	if wd, err := os.Getwd(); err == nil && confine.Within(wd, abs) {
		return wd
	}
	return abs
}

// CMPRoot is the copy of the repository argocd-cmp-server unpacked: the app
// directory without its ARGOCD_APP_SOURCE_PATH suffix, or the directory itself.
func CMPRoot(dir, sourcePath string) string {
	sp := filepath.Clean(filepath.FromSlash(strings.Trim(sourcePath, "/")))
	if sp == "." || sp == "" || filepath.IsAbs(sp) {
		return dir
	}
	if strings.HasSuffix(dir, string(filepath.Separator)+sp) {
		return strings.TrimSuffix(dir, string(filepath.Separator)+sp)
	}
	return dir
}

// Config reads explicit, or else the .hookguard.yaml nearest to start: in
// start or a parent, never above stop (when stop is empty, never above
// start's git repository; with none, up to the filesystem root). It returns
// an empty File when there is none, and for standard input.
func Config(explicit, start, stop string) (*config.File, error) {
	if explicit != "" {
		return config.Load(explicit)
	}
	if start == "-" {
		return &config.File{}, nil
	}
	dir, err := filepath.Abs(start)
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	if stop == "" {
		stop = gitRoot(dir)
	} else if stop, err = filepath.Abs(stop); err != nil {
		return nil, err
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, config.FileName)
		if _, err := os.Lstat(p); err == nil {
			bound := stop
			if bound == "" {
				bound = d
			}
			root, err := confine.New(bound)
			if err != nil {
				return nil, err
			}
			data, err := root.ReadFile(p)
			if err != nil {
				return nil, err
			}
			return config.Parse(p, data)
		}
		if d == stop || filepath.Dir(d) == d || (stop != "" && !confine.Within(stop, d)) {
			return &config.File{}, nil
		}
	}
}

// Sets finds the apps of the named paths. Kustomize and Helm directories are
// rendered as Argo CD would and form sets of their own; a file inside a Helm
// chart (a template, as pre-commit passes it) stands for its chart; Helm
// charts met while walking a directory are rendered too, and so are the
// Kustomize roots met that no other one met includes (the overlays, not
// their bases); every other file is read, all of them together, as the
// first set.
//
// A run that finds no object where the user pointed is an error (nothing
// would be checked), except for files named explicitly: an empty file passes.
func (w Workspace) Sets(paths []string) ([]Set, error) {
	sets, err := w.sets(paths)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, s := range sets {
		total += len(s.Objects)
	}
	if total == 0 && !allFiles(paths) {
		return nil, fmt.Errorf("%w in %s: nothing was checked (no .yaml, .yml or .json manifest with apiVersion and kind, or empty standard input)", ErrNoObjects, strings.Join(paths, ", "))
	}
	return sets, nil
}

// ErrNoObjects is returned when the named paths hold no Kubernetes object.
var ErrNoObjects = errors.New("no Kubernetes objects found")

// allFiles reports whether every path names a regular file.
func allFiles(paths []string) bool {
	for _, p := range paths {
		info, err := os.Stat(p)
		if p == "-" || err != nil || !info.Mode().IsRegular() {
			return false
		}
	}
	return true
}

func (w Workspace) sets(paths []string) ([]Set, error) {
	var plain []string
	var sets []Set
	rendered := map[string]bool{}
	for _, p := range paths {
		if p != "-" && w.Ignore != nil && w.Ignore(p) {
			continue
		}
		dir := p
		if p != "-" && render.Detect(p) == render.Plain {
			dir = chartOf(p)
		}
		if dir == "" || dir == "-" || render.Detect(dir) == render.Plain {
			plain = append(plain, p)
			continue
		}
		if key, _ := filepath.Abs(dir); !rendered[key] {
			rendered[key] = true
			r, err := w.RenderApp(dir)
			if err != nil {
				return nil, err
			}
			sets = append(sets, Set{Objects: r.Objects, Complete: true})
		}
	}
	if len(plain) == 0 {
		return sets, nil
	}
	var charts, kroots []string
	skip := func(dir string) bool {
		if w.Ignore != nil && w.Ignore(dir) {
			return true
		}
		switch render.Detect(dir) {
		case render.Helm:
			charts = append(charts, dir)
			return true
		case render.Kustomize:
			kroots = append(kroots, dir)
			return true
		}
		return false
	}
	var objs []manifest.Object
	for _, p := range plain {
		loader := manifest.Loader{Stdin: w.Stdin, Notes: w.Notes, SkipDir: skip, SkipFile: w.Ignore}
		if p != "-" {
			// Links may point anywhere inside the repository, never out of it.
			root, err := w.root(p)
			if err != nil {
				return nil, err
			}
			loader.Root = &root
		}
		more, err := loader.Load([]string{p})
		if err != nil {
			return nil, err
		}
		objs = append(objs, more...)
	}
	sets = append([]Set{{Objects: objs}}, sets...)
	// The apps met while walking render on every processor; their order,
	// and the error reported (the first app's), do not depend on it.
	apps := append(charts, TopKustomizations(kroots)...)
	walked := make([]Set, len(apps))
	errs := make([]error, len(apps))
	pool.Each(len(apps), func(i int) {
		r, err := w.RenderApp(apps[i])
		if err != nil {
			errs[i] = err
			return
		}
		walked[i] = Set{Objects: r.Objects, Complete: true}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return append(sets, walked...), nil
}

// root is the confinement root of a path: the workspace's, or its repository's.
func (w Workspace) root(path string) (confine.Root, error) {
	dir := w.Root
	if dir == "" {
		dir = Root(path)
	}
	return confine.New(dir)
}

// RenderApp renders one app directory within the workspace's root.
func (w Workspace) RenderApp(dir string) (*render.Result, error) {
	opts := w.Render
	opts.RepoRoot = w.Root
	if opts.RepoRoot == "" {
		opts.RepoRoot = Root(dir)
	}
	if opts.Notes == nil {
		opts.Notes = w.Notes
	}
	r, err := render.Render(dir, opts)
	if err != nil {
		return nil, err
	}
	return r, nil
}

// chartOf returns the Helm chart directory a path lies in (not above its
// git repository), or "".
func chartOf(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	stop := gitRoot(filepath.Dir(abs))
	for d := filepath.Dir(abs); filepath.Dir(d) != d; d = filepath.Dir(d) {
		if render.Detect(d) == render.Helm {
			if wd, err := os.Getwd(); err == nil {
				if rel, err := filepath.Rel(wd, d); err == nil {
					return rel
				}
			}
			return d
		}
		if d == stop {
			return ""
		}
	}
	return ""
}

// gitRoot is the nearest directory at or above dir (absolute) holding a .git, or "".
func gitRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
