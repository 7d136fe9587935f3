package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/pathglob"
	"github.com/hookguard/hookguard/internal/pool"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/internal/workspace"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/report"
)

// lintFlags binds the flags of `hookguard lint`.
type lintFlags struct {
	output        []string
	failOn        string
	configPath    string
	policies      []string
	argocdVersion string
	wholeApp      bool
	debug         bool
	color         string
	enable        []string
	disable       []string
	render        renderFlags
	apps          appsFlags
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
	ignore      globsValue
	// cfgIgnore are the configuration's ignore globs (relative to its file).
	cfgIgnore *pathglob.Set
}

func (r *renderFlags) bind(fl *pflag.FlagSet) {
	fl.StringVar(&r.repoRoot, "repo-root", "", "no file outside this directory is read when rendering (default: the enclosing git repository, else the current directory)")
	fl.BoolVar(&r.allowRemote, "allow-remote", false, "let Kustomize fetch remote bases (network)")
	fl.StringVar(&r.releaseName, "release-name", "", "Helm release name (default release-name)")
	fl.StringVar(&r.namespace, "namespace", "", "Helm release namespace (default default)")
	fl.StringArrayVarP(&r.values, "values", "f", nil, "Helm values file, relative to the current directory as with helm (repeatable)")
	fl.StringArrayVar(&r.set, "set", nil, "Helm value key=value (repeatable)")
	fl.StringVar(&r.kubeVersion, "kube-version", "", "Kubernetes version for Helm charts (default "+render.DefaultKubeVersion+")")
	fl.Var(&r.ignore, "ignore", "GLOB of files or directories not to read, relative to the current directory; ** spans directories (repeatable; adds to ignore: in the config)")
}

// globsValue is a repeatable --ignore, each glob checked when it is given.
type globsValue []string

func (g *globsValue) String() string { return strings.Join(*g, ",") }
func (g *globsValue) Type() string   { return "GLOB" }
func (g *globsValue) Set(v string) error {
	if _, err := pathglob.New(".", []string{v}); err != nil {
		return err
	}
	*g = append(*g, v)
	return nil
}

// workspace is where the named paths are found and rendered.
func (r *renderFlags) workspace(s streams, notes func(string)) workspace.Workspace {
	// -f is relative to the working directory, as helm reads it (the CMP's
	// values-files parameter stays relative to the chart, as Argo CD's).
	values := make([]string, len(r.values))
	for i, v := range r.values {
		values[i] = v
		if abs, err := filepath.Abs(v); err == nil {
			values[i] = abs
		}
	}
	flagIgnore, _ := pathglob.New(".", r.ignore) // each glob was checked by Set
	ignore := func(p string) bool { return r.cfgIgnore.Match(p) || flagIgnore.Match(p) }
	return workspace.Workspace{Root: r.repoRoot, Stdin: s.in, Notes: notes, Ignore: ignore, Render: render.Options{
		AllowRemote: r.allowRemote, ReleaseName: r.releaseName, Namespace: r.namespace,
		ValuesFiles: values, Set: r.set, KubeVersion: r.kubeVersion,
	}}
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
configuration, policy or parse errors.

The gate differs on purpose: lint fails on warnings by default, because in
review a warning costs a comment before merge; the CMP (generate) blocks a
sync only on errors by default (its gate parameter), because a blocked sync
stops a deploy. Use --fail-on error (or failOn: error in .hookguard.yaml) for
a CI step that fails exactly when the sync would be blocked.`,
		Example: `  hookguard lint k8s/
  hookguard lint -o sarif --fail-on error apps/shop
  helm template my-chart | hookguard lint -
  hookguard lint -f values-prod.yaml charts/shop          # values relative to the current directory
  hookguard lint --disable hook-image-unpinned --ignore 'vendor/**' .
  hookguard lint --argocd-version 2.14 --policy policies/ k8s/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLint(cmd, s, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVarP(&f.output, "output", "o", []string{"text"}, "output FORMAT or FORMAT=FILE, repeatable, at most one to standard output; formats: "+report.FormatNames())
	fl.StringVar(&f.failOn, "fail-on", "", "lowest severity that fails the run: info, warning, error, or none for a report-only step (default warning, or failOn in the config)")
	fl.StringVar(&f.configPath, "config", "", "configuration file (default: .hookguard.yaml found upward from the first PATH, not above its git repository)")
	fl.StringArrayVar(&f.policies, "policy", nil, "directory of custom Rego rules (repeatable)")
	fl.StringVar(&f.argocdVersion, "argocd-version", "", "Argo CD version whose behaviour is checked (default: the newest, "+hooks.Latest.String()+")")
	fl.BoolVar(&f.wholeApp, "whole-app", false, "the paths are a whole application (enables hooks-only-app)")
	fl.BoolVar(&f.debug, "debug", false, "print skipped documents and other notes to standard error")
	fl.StringVar(&f.color, "color", "auto", "colour text output: auto, always, never")
	fl.StringSliceVar(&f.enable, "enable", nil, "rule ids to run even when the config disables them (comma-separated or repeated)")
	fl.StringSliceVar(&f.disable, "disable", nil, "rule ids not to run (comma-separated or repeated)")
	f.render.bind(fl)
	completeFlags(cmd, map[string]cobra.CompletionFunc{
		"output": fixed(reportFormats()...), "fail-on": fixed(failOnLevels...), "color": fixed(colorModes...),
		"argocd-version": fixed(argocdVersions()...), "enable": ruleIDs, "disable": ruleIDs,
		"config": yamlFiles, "values": yamlFiles,
	})
	f.apps.bind(fl)
	return cmd
}

func runLint(cmd *cobra.Command, s streams, f lintFlags, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	outputs, err := report.ParseOutputs(f.output)
	if err != nil {
		return usageError("%v", err)
	}
	if f.color != "auto" && f.color != "always" && f.color != "never" {
		return usageError("--color %q: want auto, always or never", f.color)
	}
	if _, err := f.apps.options(f.render, nil); err != nil {
		return err
	}
	cfg, settings, err := resolveSettings(f.configPath, args[0], f.argocdVersion)
	if err != nil {
		return err
	}
	reportOnly := f.failOn == "none"
	if f.failOn != "" && !reportOnly {
		if settings.FailOn, err = finding.ParseSeverity(f.failOn); err != nil {
			return usageError("--fail-on: %v", err)
		}
	}
	settings.App.Complete = settings.App.Complete || f.wholeApp
	engine, err := lint.NewEngine(cmd.Context(), append(cfg.Policies, f.policies...))
	if err != nil {
		return usageError("%v", err)
	}
	if err := engine.Select(&settings.Rules, f.enable, f.disable); err != nil {
		return usageError("%v", err)
	}
	f.render.cfgIgnore = settings.Ignore
	var notes func(string)
	if f.debug {
		notes = func(n string) { fmt.Fprintln(s.err, "debug:", n) }
	}
	if f.apps.on {
		return runLintApps(cmd, s, f, args, outputs, reportOnly, settings, engine, notes)
	}
	sets, err := f.render.workspace(s, notes).Sets(args)
	if err != nil {
		return usageError("%v", err)
	}
	// Nothing reads the objects after their lint but its findings: the
	// engine drops their YAML trees once converted.
	opts := settings.Rules
	opts.DropTrees = true
	results, err := lintSets(cmd.Context(), engine, sets, settings.App, opts)
	if err != nil {
		return usageError("%v", err)
	}
	res := &lint.Result{Findings: []finding.Finding{}}
	for _, r := range results {
		res.Findings = append(res.Findings, r.Findings...)
		res.Objects += r.Objects
		res.Notes = append(res.Notes, r.Notes...)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(s.err, "warning:", n)
	}
	rep := report.Report{Findings: res.Findings, Rules: engine.RulesWith(settings.Rules), Objects: res.Objects, FailOn: settings.FailOn, Version: version}
	if err := report.WriteOutputs(s.out, outputs, rep, report.Options{Color: report.UseColor(f.color, s.out)}); err != nil {
		return err
	}
	if res.Failed(settings.FailOn) && !reportOnly {
		return errFindings
	}
	return nil
}

// lintSets lints the sets on every processor (each lint uses them too, but
// a run of many small apps would leave them idle), their results in the
// sets' order; the error is the first set's.
func lintSets(ctx context.Context, engine *lint.Engine, sets []workspace.Set, as app.Settings, opts lint.Options) ([]*lint.Result, error) {
	results := make([]*lint.Result, len(sets))
	errs := make([]error, len(sets))
	pool.Each(len(sets), func(i int) {
		set := sets[i]
		sets[i].Objects = nil // the app holds them now
		s := as
		s.Complete = s.Complete || set.Complete
		results[i], errs[i] = engine.Run(ctx, app.Build(set.Objects, s), opts)
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

// resolveSettings reads the configuration for the first path (or --config)
// and applies --argocd-version over it; errors are usage errors.
func resolveSettings(configPath, firstPath, argocdVersion string) (*config.File, lint.Settings, error) {
	cfg, err := workspace.Config(configPath, firstPath, "")
	if err != nil {
		return nil, lint.Settings{}, usageError("%v", err)
	}
	settings, err := lint.FromConfig(cfg)
	if err != nil {
		return nil, lint.Settings{}, usageError("%v", err)
	}
	if argocdVersion != "" {
		if settings.App.Version, err = hooks.ParseVersion(argocdVersion); err != nil {
			return nil, lint.Settings{}, usageError("--argocd-version: %v", err)
		}
	}
	return cfg, settings, nil
}
