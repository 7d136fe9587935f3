package argoapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/internal/workspace"
)

// ExpandFunc expands one ApplicationSet (its decoded object) into the
// Applications Argo CD would create from the checkout at repoRoot, and names
// the generators it could not expand.
type ExpandFunc func(repoRoot string, appSet map[string]any) (apps []map[string]any, notExpanded []string, err error)

// Options configure Load.
type Options struct {
	// RepoRoot is the checkout (default: the directory's repository).
	RepoRoot string
	// RepoURL selects the sources of this repository by repoURL; empty:
	// every source whose path exists in the checkout.
	RepoURL string
	// Revision keeps only sources whose targetRevision (HEAD when empty)
	// is this one; empty: any.
	Revision string
	// Shard and Shards split the Applications: this run lints those whose
	// name hashes to Shard (0-based) of Shards. Shards 0 or 1: all.
	Shard, Shards int
	// Workers render in parallel (default GOMAXPROCS).
	Workers int
	// Render is the base render settings (Kubernetes version, API
	// versions, remote bases, budget).
	Render render.Options
	// ExpandAppSet expands ApplicationSets; nil: they are reported as not
	// expanded.
	ExpandAppSet ExpandFunc
	// Notes receives remarks (skipped sources, duplicates); may be nil.
	Notes func(string)
}

// App is one Application and what hookguard rendered of it.
type App struct {
	Name string
	// Namespace is the Application's own metadata.namespace (may be empty).
	Namespace string
	// File and Line are where the Application is defined; From says how it
	// was found: "" (a file), "ApplicationSet <name>", "Application <name>"
	// (an app of apps rendered it).
	File string
	Line int
	From string
	// DestNamespace is spec.destination.namespace.
	DestNamespace string
	// SyncOptions are spec.syncPolicy.syncOptions.
	SyncOptions []string
	// Objects are the rendered objects of every source, in source order.
	Objects []manifest.Object
	// Skipped names the sources not rendered and why.
	Skipped []string
	// Err is the render error, if any source failed.
	Err error

	spec     application
	requests []request
	owned    bool
}

// ID is the Application's identity: "namespace/name", or "name".
func (a *App) ID() string {
	if a.Namespace != "" {
		return a.Namespace + "/" + a.Name
	}
	return a.Name
}

// Result is what Load found.
type Result struct {
	// Apps are this shard's Applications with a source in the checkout,
	// sorted by ID.
	Apps []*App
	// Ignored are Applications not rendered at all, with why.
	Ignored []string
	// NotExpanded names the ApplicationSet generators not expanded.
	NotExpanded []string
	// Found counts every Application and ApplicationSet seen.
	Found int
}

// ErrNoApps is returned when the directory holds no Application or
// ApplicationSet.
var ErrNoApps = errors.New("no Argo CD Application or ApplicationSet found")

// Load finds the Applications under dir and renders those of this checkout.
func Load(ctx context.Context, dir string, opts Options) (*Result, error) {
	root := opts.RepoRoot
	if root == "" {
		root = workspace.Root(dir)
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	l := &loader{opts: opts, root: root, byID: map[string]*App{}, res: &Result{}}
	if l.opts.Workers <= 0 {
		l.opts.Workers = runtime.GOMAXPROCS(0)
	}
	objs, err := l.discover(dir)
	if err != nil {
		return nil, err
	}
	l.collect(objs, "")
	if l.res.Found == 0 {
		return nil, fmt.Errorf("%w under %s: hookguard --apps reads %s Application and ApplicationSet manifests (plain files, Kustomize and Helm apps of apps)", ErrNoApps, dir, APIVersion)
	}
	// Render round by round: an app of apps renders more Applications.
	pending := l.pending
	for len(pending) > 0 {
		l.pending = nil
		l.renderAll(ctx, pending)
		for _, a := range pending {
			l.collect(a.Objects, "Application "+a.ID())
		}
		pending = l.pending
	}
	for _, a := range l.order {
		if a.owned && len(a.requests) > 0 {
			l.res.Apps = append(l.res.Apps, a)
		}
	}
	sort.Slice(l.res.Apps, func(i, j int) bool { return l.res.Apps[i].ID() < l.res.Apps[j].ID() })
	rel := !filepath.IsAbs(dir)
	for _, a := range l.res.Apps {
		a.File = display(a.File, rel)
		for i := range a.Objects {
			a.Objects[i].File = display(a.Objects[i].File, rel)
		}
	}
	sort.Strings(l.res.Ignored)
	return l.res, nil
}

type loader struct {
	opts    Options
	root    string
	byID    map[string]*App
	order   []*App
	pending []*App
	res     *Result
}

func (l *loader) note(format string, args ...any) {
	if l.opts.Notes != nil {
		l.opts.Notes(fmt.Sprintf(format, args...))
	}
}

// discover reads the files under dir that may hold Argo CD objects, and
// renders the Kustomize and Helm apps of apps among them: the Kustomize
// roots no other includes and the Helm charts whose files name argoproj.io.
func (l *loader) discover(dir string) ([]manifest.Object, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	croot, err := confine.New(l.root)
	if err != nil {
		return nil, err
	}
	var charts, kroots []string
	skip := func(d string) bool {
		switch render.Detect(d) {
		case render.Helm:
			charts = append(charts, d)
			return true
		case render.Kustomize:
			kroots = append(kroots, d)
		}
		return false
	}
	if k := render.Detect(dir); k != render.Plain {
		skip(dir)
	}
	files, err := manifest.FilesSkipping(dir, skip)
	if err != nil {
		return nil, err
	}
	var objs []manifest.Object
	for _, f := range files {
		data, err := croot.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(data, []byte("argoproj.io/")) {
			continue
		}
		more, err := manifest.Loader{Notes: l.opts.Notes, Budget: l.opts.Render.Budget}.Parse(f, data)
		if err != nil {
			return nil, err
		}
		objs = append(objs, more...)
	}
	// Rendered apps of apps come first: they are what Argo CD applies, so
	// they win over the raw files they are built from.
	var rendered []manifest.Object
	from := map[string]bool{} // files the rendered Applications come from
	ws := workspace.Workspace{Root: l.root, Render: l.opts.Render, Notes: l.opts.Notes}
	for _, d := range append(charts, workspace.TopKustomizations(kroots)...) {
		if !mentionsArgo(d) {
			continue
		}
		r, err := ws.RenderApp(d)
		if err != nil {
			l.note("%s: not rendered while looking for Applications: %v", d, err)
			continue
		}
		for _, o := range r.Objects {
			if isKind(o, KindApplication) || isKind(o, KindApplicationSet) {
				rendered = append(rendered, o)
				from[o.File] = true
			}
		}
	}
	for _, o := range objs {
		if !from[o.File] {
			rendered = append(rendered, o)
		}
	}
	return rendered, nil
}

// mentionsArgo reports whether a file under dir names argoproj.io, the
// cheap test for an app of apps.
func mentionsArgo(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if info, err := d.Info(); err != nil || !info.Mode().IsRegular() || info.Size() > confine.MaxFileBytes {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil && bytes.Contains(data, []byte("argoproj.io/")) {
			found = true
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// collect adds the Applications among objs, and those the ApplicationSets
// among them expand to; from names what rendered them.
func (l *loader) collect(objs []manifest.Object, from string) {
	for _, o := range objs {
		switch {
		case isKind(o, KindApplication):
			l.add(o.Value(), o.File, o.Line, from)
		case isKind(o, KindApplicationSet):
			l.res.Found++
			name := o.Ref().Name
			if l.opts.ExpandAppSet == nil {
				l.res.NotExpanded = append(l.res.NotExpanded, fmt.Sprintf("ApplicationSet %s (%s): ApplicationSet expansion is not available in this build", name, o.File))
				continue
			}
			apps, not, err := l.opts.ExpandAppSet(l.root, o.Value())
			for _, g := range not {
				l.res.NotExpanded = append(l.res.NotExpanded, fmt.Sprintf("ApplicationSet %s: %s", name, g))
			}
			if err != nil {
				l.res.Ignored = append(l.res.Ignored, fmt.Sprintf("ApplicationSet %s (%s:%d): %v", name, o.File, o.Line, err))
				continue
			}
			for _, a := range apps {
				l.add(a, o.File, o.Line, "ApplicationSet "+name)
			}
		}
	}
}

// add records one Application (the first of an ID wins) and plans its
// render when it has sources in the checkout.
func (l *loader) add(v map[string]any, file string, line int, from string) {
	if from == "" || !strings.HasPrefix(from, "ApplicationSet") {
		l.res.Found++
	}
	spec, err := parseApplication(v)
	where := fmt.Sprintf("%s:%d", file, line)
	if err != nil {
		l.res.Ignored = append(l.res.Ignored, fmt.Sprintf("%s: %v", where, err))
		return
	}
	a := &App{Name: spec.Metadata.Name, Namespace: spec.Metadata.Namespace, File: file, Line: line, From: from,
		DestNamespace: spec.Spec.Destination.Namespace, spec: spec}
	if spec.Spec.SyncPolicy != nil {
		a.SyncOptions = spec.Spec.SyncPolicy.SyncOptions
	}
	if prev, ok := l.byID[a.ID()]; ok {
		if prev.File != file || prev.Line != line {
			l.note("Application %s is defined again at %s; the one at %s:%d is used", a.ID(), where, prev.File, prev.Line)
		}
		return
	}
	l.byID[a.ID()] = a
	l.order = append(l.order, a)
	a.owned = l.owns(a.ID())
	if reason := l.plan(a); reason != "" {
		if a.owned {
			l.res.Ignored = append(l.res.Ignored, fmt.Sprintf("Application %s (%s): %s", a.ID(), where, reason))
		}
		return
	}
	// Another shard's app is rendered here only when it may be an app of
	// apps, so every shard finds the same Applications.
	if a.owned || l.mayHoldApps(a) {
		l.pending = append(l.pending, a)
	}
}

// owns reports whether this shard lints the Application.
func (l *loader) owns(id string) bool {
	if l.opts.Shards <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32()%uint32(l.opts.Shards)) == l.opts.Shard
}

func (l *loader) mayHoldApps(a *App) bool {
	for _, q := range a.requests {
		if d, err := q.dir(); err == nil && mentionsArgo(d) {
			return true
		}
	}
	return false
}

// plan selects the Application's sources in this checkout and returns why
// none is, or "".
func (l *loader) plan(a *App) string {
	srcs := a.spec.sources()
	if len(srcs) == 0 {
		return "it has no source"
	}
	local := make([]bool, len(srcs))
	why := make([]string, len(srcs))
	for i, s := range srcs {
		local[i], why[i] = l.isLocal(s, srcs)
	}
	refs, remote := map[string]string{}, map[string]string{}
	for i, s := range srcs {
		if s.Ref == "" {
			continue
		}
		if local[i] {
			refs["$"+s.Ref] = l.root
		} else {
			remote["$"+s.Ref] = s.RepoURL
		}
	}
	for i, s := range srcs {
		// A source that is only a ref is not rendered (the controller
		// skips it: it only lends its files to $ref value files).
		if s.Ref != "" && s.Path == "" && s.Chart == "" {
			continue
		}
		if !local[i] {
			a.Skipped = append(a.Skipped, fmt.Sprintf("source %s: %s", sourceName(s, i), why[i]))
			continue
		}
		rev := s.TargetRevision
		if l.opts.Revision != "" {
			rev = l.opts.Revision
		}
		if rev == "" {
			rev = "HEAD"
		}
		a.requests = append(a.requests, request{app: a, src: s, root: l.root, refs: refs, remoteRefs: remote, revision: rev})
	}
	if len(a.requests) == 0 {
		if len(a.Skipped) > 0 {
			return strings.Join(a.Skipped, "; ")
		}
		return "no source to render"
	}
	return ""
}

// isLocal reports whether a source is this checkout: by repoURL when one
// was given, else by a path that exists in it (a ref-only source by the
// repoURL of such a source of the same app), and at the chosen revision.
func (l *loader) isLocal(s source, all []source) (bool, string) {
	if s.Chart != "" {
		return false, fmt.Sprintf("chart %s comes from the Helm repository %s", s.Chart, s.RepoURL)
	}
	switch {
	case l.opts.RepoURL != "":
		if !SameRepo(s.RepoURL, l.opts.RepoURL) {
			return false, fmt.Sprintf("repoURL %s is not --repo-url", s.RepoURL)
		}
	case s.Path != "":
		if !l.pathExists(s.Path) {
			return false, fmt.Sprintf("path %s is not in the checkout (repoURL %s)", s.Path, s.RepoURL)
		}
	default:
		found := false
		for _, o := range all {
			if o.Path != "" && o.Chart == "" && SameRepo(o.RepoURL, s.RepoURL) && l.pathExists(o.Path) {
				found = true
			}
		}
		if !found && s.Ref == "" {
			return false, fmt.Sprintf("it has no path (the repository root of %s): name the repository with --repo-url to read it", s.RepoURL)
		}
		if !found {
			return false, fmt.Sprintf("ref %s: repoURL %s is not this checkout", s.Ref, s.RepoURL)
		}
	}
	if l.opts.Revision != "" {
		rev := s.TargetRevision
		if rev == "" {
			rev = "HEAD"
		}
		if rev != l.opts.Revision {
			return false, fmt.Sprintf("targetRevision %s is not --revision %s", rev, l.opts.Revision)
		}
	}
	return true, ""
}

func (l *loader) pathExists(p string) bool {
	d := filepath.Join(l.root, filepath.FromSlash(p))
	if !confine.Within(l.root, d) {
		return false
	}
	info, err := os.Stat(d)
	return err == nil && info.IsDir()
}

// renderAll renders apps on the workers; results land in each App, so
// the order of completion never shows.
func (l *loader) renderAll(ctx context.Context, apps []*App) {
	work := make(chan *App)
	var wg sync.WaitGroup
	for range min(l.opts.Workers, len(apps)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				l.renderApp(ctx, a)
			}
		}()
	}
	for _, a := range apps {
		work <- a
	}
	close(work)
	wg.Wait()
}

func (l *loader) renderApp(ctx context.Context, a *App) {
	for i, q := range a.requests {
		if err := ctx.Err(); err != nil {
			a.Err = err
			return
		}
		objs, err := renderSource(ctx, q, l.opts.Render)
		if errors.Is(err, ErrNotRendered) {
			a.Skipped = append(a.Skipped, fmt.Sprintf("source %s: %v", sourceName(q.src, i), err))
			continue
		}
		if err != nil {
			a.Err = fmt.Errorf("application %s (%s:%d), source %s: %w", a.ID(), a.File, a.Line, sourceName(q.src, i), err)
			return
		}
		a.Objects = append(a.Objects, objs...)
	}
}

func sourceName(s source, i int) string {
	if s.Name != "" {
		return s.Name
	}
	if s.Path != "" {
		return s.Path
	}
	return fmt.Sprint(i + 1)
}

// SameRepo compares repository URLs as Argo CD's git.NormalizeGitURL does
// for matching: case, a trailing slash or .git, and the scheme or SSH
// user do not matter.
func SameRepo(a, b string) bool { return normalizeURL(a) == normalizeURL(b) }

func normalizeURL(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	for _, p := range []string{"https://", "http://", "ssh://", "git://", "git+ssh://"} {
		u = strings.TrimPrefix(u, p)
	}
	if at := strings.Index(u, "@"); at >= 0 && at < strings.IndexAny(u+"/", "/:") {
		u = u[at+1:]
	}
	// scp-like git@host:org/repo, and host:port/org/repo.
	if host, rest, ok := strings.Cut(u, ":"); ok && !strings.Contains(host, "/") {
		if i := strings.Index(rest, "/"); i > 0 && isDigits(rest[:i]) {
			rest = rest[i+1:]
		}
		u = host + "/" + rest
	}
	u = strings.TrimSuffix(strings.TrimSuffix(u, "/"), ".git")
	return u
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// display shows a path as the user named the directory: relative to the
// working directory when the directory was relative, else as it is.
func display(p string, relative bool) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(p) || !relative {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil {
		return rel
	}
	return p
}
