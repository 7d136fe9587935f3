package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/appset"
	"github.com/hookguard/hookguard/internal/argoapp"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/pool"
	"github.com/hookguard/hookguard/internal/render"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/plan"
	"github.com/hookguard/hookguard/report"
)

// appsFlags select and split the Argo CD Applications of `--apps`.
type appsFlags struct {
	on       bool
	repoURL  string
	revision string
	shard    string
}

func (a *appsFlags) bind(fl *pflag.FlagSet) {
	fl.BoolVar(&a.on, "apps", false, "read the directory as Argo CD does: find its Applications (and ApplicationSets) and lint each one's rendered sources as one app")
	fl.StringVar(&a.repoURL, "repo-url", "", "with --apps: the sources of this repository, by repoURL (default: every source whose path exists in the checkout)")
	fl.StringVar(&a.revision, "revision", "", "with --apps: only sources whose targetRevision is this (HEAD when unset)")
	fl.StringVar(&a.shard, "shard", "", "with --apps: lint shard I of N (I/N, 1-based): Applications split deterministically by name, for a CI matrix")
}

// options turns the flags into argoapp options.
func (a *appsFlags) options(r renderFlags, notes func(string)) (argoapp.Options, error) {
	// ApplicationSets expand from the checkout as Argo CD's controller would.
	expander := &appset.Expander{Notes: notes}
	if a.repoURL != "" {
		expander.RepoURLs = []string{a.repoURL}
	}
	opts := argoapp.Options{RepoRoot: r.repoRoot, RepoURL: a.repoURL, Revision: a.revision, ExpandAppSet: expander.Expand, Notes: notes,
		Render: render.Options{AllowRemote: r.allowRemote, KubeVersion: r.kubeVersion, Notes: notes}}
	if !a.on {
		if a.repoURL != "" || a.revision != "" || a.shard != "" {
			return opts, usageError("--repo-url, --revision and --shard need --apps")
		}
		return opts, nil
	}
	if r.releaseName != "" || r.namespace != "" || len(r.values) > 0 || len(r.set) > 0 {
		return opts, usageError("--release-name, --namespace, --values and --set do not apply with --apps: each Application sets its own")
	}
	if a.shard != "" {
		i, n, ok := strings.Cut(a.shard, "/")
		si, err1 := strconv.Atoi(i)
		sn, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || sn < 1 || si < 1 || si > sn {
			return opts, usageError("--shard %q: want I/N with 1 <= I <= N, e.g. 2/8", a.shard)
		}
		opts.Shard, opts.Shards = si-1, sn
	}
	return opts, nil
}

// loadApps finds and renders the Applications under the one directory named.
func loadApps(ctx context.Context, s streams, a appsFlags, r renderFlags, args []string, notes func(string)) (*argoapp.Result, error) {
	if len(args) > 1 {
		return nil, usageError("--apps takes one directory, got %d paths", len(args))
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	opts, err := a.options(r, notes)
	if err != nil {
		return nil, err
	}
	stop := progress(s.err, "rendering Argo CD Applications under "+dir)
	res, err := argoapp.Load(ctx, dir, opts)
	stop()
	if err != nil {
		return nil, usageError("%v", err)
	}
	for _, n := range res.NotExpanded {
		fmt.Fprintln(s.err, "note: not expanded:", n)
	}
	for _, n := range res.Ignored {
		fmt.Fprintln(s.err, "note: not rendered:", n)
	}
	if len(res.Apps) == 0 {
		if opts.Shards > 1 {
			fmt.Fprintf(s.err, "note: shard %s has no Application of this checkout\n", a.shard)
			return res, nil
		}
		return nil, usageError("%s: %d Argo CD Applications and ApplicationSets found, none with a source in this checkout (see the notes above; --repo-url and --revision choose the sources)", dir, res.Found)
	}
	return res, nil
}

// progress shows a line on a terminal while a long step runs.
func progress(w io.Writer, what string) (stop func()) {
	f, ok := w.(*os.File)
	if !ok {
		return func() {}
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	fmt.Fprintf(f, "%s...\r", what)
	return func() { fmt.Fprintf(f, "\r%s\r", strings.Repeat(" ", len(what)+3)) }
}

// appRun is the lint of one Application.
type appRun struct {
	findings []finding.Finding
	notes    []string
	row      report.AppSummary
	err      error
}

// lintApps lints every app, each as a whole app under its own sync
// options, on all cores; results keep the apps' order.
func lintApps(ctx context.Context, engine *lint.Engine, settings lint.Settings, apps []*argoapp.App) []appRun {
	runs := make([]appRun, len(apps))
	pool.Each(len(apps), func(i int) { runs[i] = lintApp(ctx, engine, settings, apps[i]) })
	return runs
}

func lintApp(ctx context.Context, engine *lint.Engine, settings lint.Settings, a *argoapp.App) appRun {
	run := appRun{row: report.AppSummary{App: a.ID(), Status: "ok"}}
	for _, sk := range a.Skipped {
		run.notes = append(run.notes, fmt.Sprintf("Application %s: %s", a.ID(), sk))
	}
	if a.Err != nil {
		run.err = a.Err
		run.row.Status = "error: render failed"
		return run
	}
	if len(a.Objects) == 0 {
		run.row.Status = "not rendered"
		return run
	}
	as := settings.App
	as.Complete, as.SyncOptions = true, a.SyncOptions
	built := app.Build(a.Objects, as)
	res, err := engine.Run(ctx, built, settings.Rules)
	if err != nil {
		run.err = fmt.Errorf("application %s: %w", a.ID(), err)
		run.row.Status = "error: lint failed"
		return run
	}
	for _, o := range built.Objects {
		if o.Facts.IsHook {
			run.row.Hooks++
		}
	}
	run.row.Objects = res.Objects
	run.notes = append(run.notes, res.Notes...)
	for _, f := range res.Findings {
		f.App = a.ID()
		run.findings = append(run.findings, f)
	}
	if finding.Failed(run.findings, finding.SeverityInfo) {
		run.row.Status = "findings"
	}
	return run
}

// runLintApps is `hookguard lint --apps`.
func runLintApps(cmd *cobra.Command, s streams, f lintFlags, args []string, outputs []report.Output, reportOnly bool, settings lint.Settings, engine *lint.Engine, notes func(string)) error {
	res, err := loadApps(cmd.Context(), s, f.apps, f.render, args, notes)
	if err != nil {
		return err
	}
	rep := report.Report{Findings: []finding.Finding{}, Rules: engine.RulesWith(settings.Rules), FailOn: settings.FailOn, Version: version}
	var failed []error
	for _, run := range lintApps(cmd.Context(), engine, settings, res.Apps) {
		for _, n := range run.notes {
			fmt.Fprintln(s.err, "note:", n)
		}
		if run.err != nil {
			failed = append(failed, run.err)
		}
		rep.Findings = append(rep.Findings, run.findings...)
		rep.Objects += run.row.Objects
		rep.Apps = append(rep.Apps, run.row)
	}
	report.CountFindings(rep.Apps, rep.Findings)
	if err := report.WriteOutputs(s.out, outputs, rep, report.Options{Color: report.UseColor(f.color, s.out)}); err != nil {
		return err
	}
	if len(failed) > 0 {
		return usageError("%d of %d Applications did not render:\n%w", len(failed), len(res.Apps), errors.Join(failed...))
	}
	if finding.Failed(rep.Findings, settings.FailOn) && !reportOnly {
		return errFindings
	}
	return nil
}

// runPlanApps is `hookguard plan --apps`: one plan per Application.
func runPlanApps(cmd *cobra.Command, s streams, a appsFlags, r renderFlags, args []string, output string, settings lint.Settings, engine *lint.Engine) error {
	res, err := loadApps(cmd.Context(), s, a, r, args, nil)
	if err != nil {
		return err
	}
	delay := hooks.WaveDelaySeconds(func(key string) string { return envValue(s.env, key) })
	var failed []error
	for i, ar := range res.Apps {
		if ar.Err != nil {
			failed = append(failed, ar.Err)
			continue
		}
		as := settings.App
		as.Complete, as.SyncOptions = true, ar.SyncOptions
		built := app.Build(ar.Objects, as)
		lr, err := engine.Run(cmd.Context(), built, settings.Rules)
		if err != nil {
			return usageError("Application %s: %v", ar.ID(), err)
		}
		p := plan.Build(built, plan.Options{WaveDelaySeconds: delay, Findings: lr.Findings})
		if err := writeAppHeader(s.out, output, ar.ID(), i); err != nil {
			return err
		}
		if err := plan.Write(s.out, output, p); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return usageError("%d of %d Applications did not render:\n%w", len(failed), len(res.Apps), errors.Join(failed...))
	}
	return nil
}

// writeAppHeader names the Application before its plan, in the syntax of
// the output format (a comment where the format has one).
func writeAppHeader(w io.Writer, output, id string, i int) error {
	var err error
	switch output {
	case "mermaid":
		_, err = fmt.Fprintf(w, "%%%% Application %s\n", id)
	case "dot":
		_, err = fmt.Fprintf(w, "// Application %s\n", id)
	case "json":
		// A stream of JSON documents, one plan per app in order.
	default:
		if i > 0 {
			fmt.Fprintln(w)
		}
		_, err = fmt.Fprintf(w, "Application %s\n\n", id)
	}
	return err
}
