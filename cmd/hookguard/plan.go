package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/workspace"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/plan"
)

func newPlanCmd(s streams) *cobra.Command {
	var output, argocdVersion, configPath, base string
	var rf renderFlags
	var af appsFlags
	cmd := &cobra.Command{
		Use:   "plan [PATH...]",
		Short: "Show the sync Argo CD will run: phases, waves, order, deletions and what is dropped",
		Long: `Lay out what Argo CD will do with an app in a sync, before it syncs: the
phases (PreSync, Sync, PostSync; SyncFail on failure; PreDelete and
PostDelete when the Application is deleted), the waves inside each phase, the
objects in Argo CD's order, what each delete policy removes and when, what is
dropped or skipped and why, and the pause between waves. Lint findings are
shown beside the objects they concern. Kustomize and Helm directories are
rendered first, as Argo CD would.

-o markdown writes a pull-request comment: a summary, the Mermaid diagram
(numbered in Argo CD's order, coloured by each object's worst finding) and
the findings. --base REF plans the same paths as they are in the git ref REF
too (read from the repository with git archive, never from the network) and
shows what the change does to the sync: hooks and resources added or
removed, objects that move phase or wave, new drops, new and fixed findings.
Both sides are linted with the current configuration.`,
		Example: `  hookguard plan apps/shop
  hookguard plan --argocd-version 2.14 -o json apps/shop
  hookguard plan -o dot charts/shop | dot -Tsvg > sync.svg
  hookguard plan --base origin/main -o markdown apps/shop`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			formats := plan.Formats
			if base != "" {
				formats = plan.DiffFormats
			}
			if !slices.Contains(formats, output) {
				return usageError("invalid output format %q: want one of %s", output, strings.Join(formats, ", "))
			}
			if base != "" && slices.Contains(args, "-") {
				return usageError("--base: standard input has no base; name files or directories")
			}
			cfg, settings, err := resolveSettings(configPath, args[0], argocdVersion)
			if err != nil {
				return err
			}
			rf.cfgIgnore = settings.Ignore
			if af.on && base != "" {
				return usageError("--base and --apps: plan one app against a ref, or every app without --base")
			}
			if _, err := af.options(rf, nil); err != nil {
				return err
			}
			if af.on {
				engine, err := lint.NewEngine(cmd.Context(), cfg.Policies)
				if err != nil {
					return usageError("%v", err)
				}
				return runPlanApps(cmd, s, af, rf, args, output, settings, engine)
			}
			engine, err := lint.NewEngine(cmd.Context(), cfg.Policies)
			if err != nil {
				return usageError("%v", err)
			}
			delay := hooks.WaveDelaySeconds(func(key string) string { return envValue(s.env, key) })
			// build plans one sync: every set of paths together.
			build := func(ws workspace.Workspace, paths []string) (plan.Plan, error) {
				var objs []manifest.Object
				appSettings := settings.App
				if len(paths) > 0 {
					sets, err := ws.Sets(paths)
					if err != nil {
						return plan.Plan{}, usageError("%w", err)
					}
					for _, set := range sets {
						objs = append(objs, set.Objects...)
						appSettings.Complete = appSettings.Complete || set.Complete
					}
				}
				a := app.Build(objs, appSettings)
				res, err := engine.Run(cmd.Context(), a, settings.Rules)
				if err != nil {
					return plan.Plan{}, usageError("%v", err)
				}
				return plan.Build(a, plan.Options{WaveDelaySeconds: delay, Findings: res.Findings}), nil
			}
			p, err := build(rf.workspace(s, nil), args)
			if err != nil {
				return err
			}
			md := plan.MarkdownOptions{Title: strings.Join(args, " ")}
			if base == "" {
				if output == "markdown" {
					_, err := io.WriteString(s.out, plan.Markdown(p, md))
					return err
				}
				return plan.Write(s.out, output, p)
			}
			before, err := basePlan(cmd.Context(), base, args, rf, s, build)
			if err != nil {
				return err
			}
			return plan.WriteDiff(s.out, output, plan.Compare(base, before, p), md)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "text", "output format: "+strings.Join(plan.Formats, ", "))
	fl.StringVar(&argocdVersion, "argocd-version", "", "Argo CD version whose behaviour is shown (default: the newest, "+hooks.Latest.String()+")")
	fl.StringVar(&base, "base", "", "git ref (branch, tag, commit) to compare with: shows how the change alters the sync (-o text, json or markdown)")
	fl.StringVar(&configPath, "config", "", "configuration file (default: .hookguard.yaml found upward from the first PATH)")
	rf.bind(fl)
	completeFlags(cmd, map[string]cobra.CompletionFunc{
		"output": fixed(plan.Formats...), "argocd-version": fixed(argocdVersions()...), "config": yamlFiles, "values": yamlFiles,
	})
	af.bind(fl)
	return cmd
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// basePlan plans the same paths as they are in the git ref base (see
// workspace.AtRef), with its paths turned back into the ones the user
// named. A path that did not exist at base plans as empty.
func basePlan(ctx context.Context, base string, args []string, rf renderFlags, s streams, build func(workspace.Workspace, []string) (plan.Plan, error)) (plan.Plan, error) {
	snap, err := workspace.AtRef(ctx, base, args, func(name, why string) {
		fmt.Fprintf(s.err, "hookguard: --base %s: %s skipped: %s\n", base, name, why)
	})
	var refErr *workspace.RefError
	if errors.As(err, &refErr) {
		return plan.Plan{}, usageError("--base: %v", err)
	}
	if err != nil {
		return plan.Plan{}, err
	}
	defer snap.Close()
	ws := rf.workspace(s, nil)
	ws.Root = snap.Dir
	before, err := build(ws, snap.Paths)
	if errors.Is(err, workspace.ErrNoObjects) {
		before, err = build(ws, nil)
	}
	if err != nil {
		return plan.Plan{}, fmt.Errorf("at %s: %w", base, err)
	}
	before.Relocate(snap.UserPath, snap.UserText)
	return before, nil
}
