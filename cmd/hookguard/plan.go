package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/plan"
)

func newPlanCmd(s streams) *cobra.Command {
	var output, argocdVersion, configPath string
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
rendered first, as Argo CD would.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			if !slices.Contains(plan.Formats, output) {
				return usageError("invalid output format %q: want one of %s", output, strings.Join(plan.Formats, ", "))
			}
			cfg, settings, err := resolveSettings(configPath, args[0], argocdVersion)
			if err != nil {
				return err
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
			sets, err := rf.workspace(s, nil).Sets(args)
			if err != nil {
				return usageError("%v", err)
			}
			// The plan is of one sync: every set together.
			var objs []manifest.Object
			for _, set := range sets {
				objs = append(objs, set.Objects...)
				settings.App.Complete = settings.App.Complete || set.Complete
			}
			engine, err := lint.NewEngine(cmd.Context(), cfg.Policies)
			if err != nil {
				return usageError("%v", err)
			}
			a := app.Build(objs, settings.App)
			res, err := engine.Run(cmd.Context(), a, settings.Rules)
			if err != nil {
				return usageError("%v", err)
			}
			delay := hooks.WaveDelaySeconds(func(key string) string { return envValue(s.env, key) })
			p := plan.Build(a, plan.Options{WaveDelaySeconds: delay, Findings: res.Findings})
			return plan.Write(s.out, output, p)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "text", "output format: "+strings.Join(plan.Formats, ", "))
	fl.StringVar(&argocdVersion, "argocd-version", "", "Argo CD version whose behaviour is shown (default: the newest, "+hooks.Latest.String()+")")
	fl.StringVar(&configPath, "config", "", "configuration file (default: .hookguard.yaml found upward from the first PATH)")
	rf.bind(fl)
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
