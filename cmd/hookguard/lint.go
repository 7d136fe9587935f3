package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/lint/report"
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
	cfg, err := loadConfig(f.configPath, args[0])
	if err != nil {
		return usageError("%v", err)
	}
	opts, err := cfg.Options()
	if err != nil {
		return usageError("%v", err)
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
	if f.argocdVersion != "" {
		if opts.Version, err = hooks.ParseVersion(f.argocdVersion); err != nil {
			return usageError("--argocd-version: %v", err)
		}
	}
	if f.wholeApp {
		opts.WholeApp = true
	}
	engine, err := lint.NewEngine(cmd.Context(), append(cfg.Policies, f.policies...))
	if err != nil {
		return usageError("%v", err)
	}
	loader := manifest.Loader{Stdin: s.in}
	if f.debug {
		loader.Notes = func(n string) { fmt.Fprintln(s.err, "debug:", n) }
	}
	objs, err := loader.Load(args)
	if err != nil {
		return usageError("%v", err)
	}
	res, err := engine.Run(cmd.Context(), objs, opts)
	if err != nil {
		return usageError("%v", err)
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
