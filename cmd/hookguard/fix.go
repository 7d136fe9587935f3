package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/fix"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/normalize"
)

type fixFlags struct {
	diff               bool
	translateHelm      bool
	beforeHookCreation bool
	backoffLimit       int
	activeDeadline     int
	selectors          []string
	argocdVersion      string
}

func newFixCmd(s streams) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix PATH...",
		Short: "Rewrite hook annotations in source YAML files in place, keeping comments and formatting",
		Long: `Apply hookguard's normalization to YAML files: hook types, delete policies and
waves in Argo CD's exact spelling (always), and on request Helm hooks
translated to Argo CD annotations, explicit BeforeHookCreation on named hooks,
default backoffLimit and activeDeadlineSeconds, and hooks declared by label.

Files are edited only where a value changes; everything else (comments,
order, quoting, indentation, line endings, YAML anchors) stays byte for
byte. With --diff nothing is written: the changes are printed as a unified
diff and the exit code is 1 when there are any.

A file that cannot be fixed safely in place (for example a value whose
anchor is also read elsewhere, a symbolic link, or not a regular file) is
left unchanged and reported with its line, to edit by hand; the other files
are still fixed, and the exit code is 2. Helm templates are not fixed in
place (they are template source, not YAML): lint the chart and edit them by
hand; the CMP normalizes the rendered chart at sync time.`,
		Example: `  hookguard fix --diff k8s/
  hookguard fix k8s/jobs/migrate.yaml
  hookguard fix --translate-helm --explicit-before-hook-creation --backoff-limit 2 k8s/
  hookguard fix --hook-selector 'app.kubernetes.io/component=migration:PreSync,wave=-1' k8s/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := hooks.ParseVersion(f.argocdVersion)
			if err != nil {
				return usageError("--argocd-version: %v", err)
			}
			opts := normalize.Options{
				Spelling: true, TranslateHelm: f.translateHelm, BeforeHookCreation: f.beforeHookCreation,
				BackoffLimit: f.backoffLimit, ActiveDeadlineSeconds: f.activeDeadline, Version: v,
			}
			for _, sel := range f.selectors {
				selector, spec, ok := strings.Cut(sel, ":")
				if !ok {
					return usageError("--hook-selector %q: want SELECTOR:SPEC, e.g. app.kubernetes.io/component=migration:PreSync,wave=-1", sel)
				}
				h, err := normalize.ParseSelectorHook(strings.TrimSpace(selector), strings.TrimSpace(spec))
				if err != nil {
					return usageError("%v", err)
				}
				opts.Selectors = append(opts.Selectors, h)
			}
			// Files that cannot be fixed are reported; the others are still fixed.
			fixes, problems := fix.Fix(args, opts)
			written := 0
			for _, fx := range fixes {
				if !f.diff {
					if err := fix.Write(fx); err != nil {
						problems = errors.Join(problems, err)
						continue
					}
					written++
				}
				for _, c := range fx.Changes {
					fmt.Fprintf(s.err, "%s: %s\n", fx.File, c)
				}
				if f.diff {
					text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
						A: difflib.SplitLines(string(fx.Before)), B: difflib.SplitLines(string(fx.After)),
						FromFile: diffName("a", fx.File), ToFile: diffName("b", fx.File), Context: 3,
					})
					if err != nil {
						return err
					}
					fmt.Fprint(s.out, text)
				}
			}
			if !f.diff {
				fmt.Fprintf(s.err, "fixed %d file(s)\n", written)
			}
			if problems != nil {
				return &exitError{code: exitUsage, err: problems}
			}
			if f.diff && len(fixes) > 0 {
				return errFindings
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.diff, "diff", false, "print a unified diff instead of writing; exit 1 when something would change")
	fl.BoolVar(&f.translateHelm, "translate-helm", false, "write helm.sh/hook annotations as the equivalent Argo CD annotations")
	fl.BoolVar(&f.beforeHookCreation, "explicit-before-hook-creation", false, "write hook-delete-policy BeforeHookCreation on named hooks without one")
	fl.IntVar(&f.backoffLimit, "backoff-limit", 0, "inject this backoffLimit into hook Jobs without one (0: off)")
	fl.IntVar(&f.activeDeadline, "active-deadline-seconds", 0, "inject this activeDeadlineSeconds into hook Jobs and Pods without one (0: off)")
	fl.StringArrayVar(&f.selectors, "hook-selector", nil, "SELECTOR:SPEC marks matching objects as hooks, e.g. app.kubernetes.io/component=migration:PreSync,wave=-1 (repeatable)")
	fl.StringVar(&f.argocdVersion, "argocd-version", "", "Argo CD version whose semantics are kept (default: the newest)")
	completeFlags(cmd, map[string]cobra.CompletionFunc{"argocd-version": fixed(argocdVersions()...)})
	return cmd
}

// diffName is git's a/ b/ naming for relative paths, the path itself otherwise.
func diffName(side, file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return side + "/" + filepath.ToSlash(file)
}
