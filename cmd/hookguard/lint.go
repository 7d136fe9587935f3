package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/report"
)

// lintFlags binds the flags of `hookguard lint`.
type lintFlags struct {
	output        string
	failOn        string
	configPath    string
	policies      []string
	argocdVersion string
	wholeApp      bool
	debug         bool
	color         string
	render        renderFlags
}

// renderFlags configure how Kustomize and Helm directories are rendered.
type renderFlags struct {
	repoRoot    string
	allowRemote bool
	releaseName string
	namespace   string
	values      []string
	set         []string
	kubeVersion string
}

func (r *renderFlags) bind(fl *pflag.FlagSet) {
	fl.StringVar(&r.repoRoot, "repo-root", "", "no file outside this directory is read when rendering (default: the enclosing git repository, else the current directory)")
	fl.BoolVar(&r.allowRemote, "allow-remote", false, "let Kustomize fetch remote bases (network)")
	fl.StringVar(&r.releaseName, "release-name", "", "Helm release name (default release-name)")
	fl.StringVar(&r.namespace, "namespace", "", "Helm release namespace (default default)")
	fl.StringArrayVarP(&r.values, "values", "f", nil, "Helm values file, relative to the chart (repeatable)")
	fl.StringArrayVar(&r.set, "set", nil, "Helm value key=value (repeatable)")
	fl.StringVar(&r.kubeVersion, "kube-version", "", "Kubernetes version for Helm charts (default "+render.DefaultKubeVersion+")")
}

// options returns render options for an app directory.
func (r *renderFlags) options(dir string, notes func(string)) render.Options {
	root := r.repoRoot
	if root == "" {
		root = defaultRepoRoot(dir)
	}
	return render.Options{RepoRoot: root, AllowRemote: r.allowRemote, ReleaseName: r.releaseName, Namespace: r.namespace,
		ValuesFiles: r.values, Set: r.set, KubeVersion: r.kubeVersion, Notes: notes}
}

// defaultRepoRoot is the nearest enclosing directory with a .git, else the
// current directory when dir is inside it, else dir.
func defaultRepoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if root := gitRoot(abs); root != "" {
		return root
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return wd
		}
	}
	return abs
}

func newLintCmd(s streams) *cobra.Command {
	var f lintFlags
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Lint Argo CD sync hooks in files, directories or standard input (-)",
		Long: `Lint Kubernetes manifests for Argo CD sync-hook hazards.

PATH is a file, a directory (read recursively: .yaml, .yml, .json) or - for
standard input; the default is the current directory. All paths are linted as
one set, so rules that compare objects (image drift, sync order) see them all.

Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage,
configuration, policy or parse errors.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(cmd, s, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "text", "output format: text, json, sarif, junit, github")
	fl.StringVar(&f.failOn, "fail-on", "", "lowest severity that fails the run: info, warning, error (default warning, or failOn in the config)")
	fl.StringVar(&f.configPath, "config", "", "configuration file (default: .hookguard.yaml found upward from the first PATH)")
	fl.StringArrayVar(&f.policies, "policy", nil, "directory of custom Rego rules (repeatable)")
	fl.StringVar(&f.argocdVersion, "argocd-version", "", "Argo CD version whose behaviour is checked (default: the newest, "+hooks.Latest.String()+")")
	fl.BoolVar(&f.wholeApp, "whole-app", false, "the paths are a whole application (enables hooks-only-app)")
	fl.BoolVar(&f.debug, "debug", false, "print skipped documents and other notes to standard error")
	fl.StringVar(&f.color, "color", "auto", "colour text output: auto, always, never")
	f.render.bind(fl)
	return cmd
}

func runLint(cmd *cobra.Command, s streams, f lintFlags, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	format, err := report.ParseFormat(f.output)
	if err != nil {
		return usageError("%v", err)
	}
	cfg, opts, err := resolveOptions(f.configPath, args[0], f.argocdVersion)
	if err != nil {
		return err
	}
	failOn, err := cfg.FailOnSeverity()
	if err != nil {
		return usageError("%v", err)
	}
	if f.failOn != "" {
		if failOn, err = lint.ParseSeverity(f.failOn); err != nil {
			return usageError("--fail-on: %v", err)
		}
	}
	if f.wholeApp {
		opts.WholeApp = true
	}
	engine, err := lint.NewEngine(cmd.Context(), append(cfg.Policies, f.policies...))
	if err != nil {
		return usageError("%v", err)
	}
	var notes func(string)
	if f.debug {
		notes = func(n string) { fmt.Fprintln(s.err, "debug:", n) }
	}
	// Kustomize and Helm directories are rendered as Argo CD would and
	// linted as whole apps; everything else is read as files, as one set.
	sets, err := loadSets(args, s, f.render, notes)
	if err != nil {
		return usageError("%v", err)
	}
	res := &lint.Result{Findings: []lint.Finding{}}
	for _, set := range sets {
		o := opts
		o.WholeApp = opts.WholeApp || set.wholeApp
		r, err := engine.Run(cmd.Context(), set.objects, o)
		if err != nil {
			return usageError("%v", err)
		}
		res.Findings = append(res.Findings, r.Findings...)
		res.Objects += r.Objects
		res.Notes = append(res.Notes, r.Notes...)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(s.err, "warning:", n)
	}
	rep := report.Report{Findings: res.Findings, Rules: engine.Rules(), Objects: res.Objects, FailOn: failOn, Version: version}
	if err := report.Write(s.out, format, rep, report.Options{Color: useColor(f.color, s.out)}); err != nil {
		return err
	}
	if res.Failed(failOn) {
		return errFindings
	}
	return nil
}

// objectSet is objects linted together.
type objectSet struct {
	objects  []manifest.Object
	wholeApp bool
}

func loadSets(args []string, s streams, rf renderFlags, notes func(string)) ([]objectSet, error) {
	var plain []string
	var sets []objectSet
	rendered := map[string]bool{}
	for _, a := range args {
		app := a
		if a != "-" && render.Detect(a) == render.Plain {
			// A file inside a Helm chart (a template, as pre-commit passes
			// it) stands for its chart: templates are not YAML until rendered.
			app = chartOf(a)
		}
		if app == "" || app == "-" || render.Detect(app) == render.Plain {
			plain = append(plain, a)
			continue
		}
		if key, _ := filepath.Abs(app); !rendered[key] {
			rendered[key] = true
			r, err := render.Render(app, rf.options(app, notes))
			if err != nil {
				return nil, err
			}
			sets = append(sets, objectSet{objects: r.Objects, wholeApp: true})
		}
	}
	if len(plain) > 0 {
		// Helm charts met while walking a directory are rendered as apps of
		// their own: their templates are not YAML until rendered.
		var charts []string
		skip := func(dir string) bool {
			if render.Detect(dir) == render.Helm {
				charts = append(charts, dir)
				return true
			}
			return false
		}
		objs, err := manifest.Loader{Stdin: s.in, Notes: notes, SkipDir: skip}.Load(plain)
		if err != nil {
			return nil, err
		}
		sets = append([]objectSet{{objects: objs}}, sets...)
		for _, c := range charts {
			r, err := render.Render(c, rf.options(c, notes))
			if err != nil {
				return nil, err
			}
			sets = append(sets, objectSet{objects: r.Objects, wholeApp: true})
		}
	}
	return sets, nil
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
			if rel, err := filepath.Rel(mustGetwd(), d); err == nil {
				return rel
			}
			return d
		}
		if d == stop {
			return ""
		}
	}
	return ""
}

func mustGetwd() string {
	wd, err := os.Getwd()
	if err != nil {
		return "/"
	}
	return wd
}

// resolveOptions reads the configuration for the first path (or --config)
// and applies --argocd-version over it; errors are usage errors.
func resolveOptions(configPath, firstPath, argocdVersion string) (*config.File, lint.Options, error) {
	cfg, err := loadConfig(configPath, firstPath)
	if err != nil {
		return nil, lint.Options{}, usageError("%v", err)
	}
	opts, err := cfg.Options()
	if err != nil {
		return nil, lint.Options{}, usageError("%v", err)
	}
	if argocdVersion != "" {
		if opts.Version, err = hooks.ParseVersion(argocdVersion); err != nil {
			return nil, lint.Options{}, usageError("--argocd-version: %v", err)
		}
	}
	return cfg, opts, nil
}

// loadConfig reads --config, or .hookguard.yaml found upward from path.
func loadConfig(explicit, path string) (*config.File, error) {
	p := explicit
	if p == "" && path != "-" {
		found, err := config.Find(path)
		if err != nil {
			return nil, err
		}
		p = found
	}
	if p == "" {
		return &config.File{}, nil
	}
	return config.Load(p)
}

// useColor: "auto" colours only a terminal, and never when NO_COLOR is set.
func useColor(mode string, w any) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	file, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := file.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
