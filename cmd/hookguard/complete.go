package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/report"
)

// Shell completion of flag values (hookguard completion bash|zsh|fish|powershell).

// fixed completes a flag from a fixed list.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// argocdVersions are the releases worth offering: the newest, and every
// release where a behaviour hookguard models changed (internal/hooks),
// newest first.
func argocdVersions() []string {
	vs := []hooks.Version{hooks.Latest, hooks.Oldest}
	for _, s := range hooks.Switches {
		vs = append(vs, s.Since)
		vs = append(vs, s.Backports...)
		vs = append(vs, s.Only...)
		if v, err := hooks.ParseVersion(s.LastWithout); err == nil {
			vs = append(vs, v)
		}
	}
	slices.SortFunc(vs, func(a, b hooks.Version) int {
		switch {
		case a == b:
			return 0
		case a.AtLeast(b.Major, b.Minor, b.Patch):
			return -1
		}
		return 1
	})
	out := []string{}
	for _, v := range slices.Compact(vs) {
		out = append(out, v.Short())
	}
	return out
}

// ruleIDs completes rule ids of the built-in catalog, comma-separated
// lists included (--disable a,b).
func ruleIDs(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	engine, err := lint.NewEngine(cmd.Context(), nil)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	done, last := "", toComplete
	if i := strings.LastIndex(toComplete, ","); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	var out []cobra.Completion
	for _, r := range engine.Rules() {
		if strings.HasPrefix(r.ID, last) {
			out = append(out, cobra.CompletionWithDesc(done+r.ID, r.Title))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

var (
	failOnLevels = []string{"info", "warning", "error", "none"}
	colorModes   = []string{"auto", "always", "never"}
)

func reportFormats() []string {
	out := make([]string, len(report.Formats))
	for i, f := range report.Formats {
		out[i] = string(f)
	}
	return out
}

// yamlFiles completes file names ending in .yaml or .yml.
func yamlFiles(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeFlags registers value completion for the flags cmd has.
func completeFlags(cmd *cobra.Command, byFlag map[string]cobra.CompletionFunc) {
	for name, fn := range byFlag {
		if cmd.Flags().Lookup(name) == nil {
			panic("internal: completion for unknown flag --" + name)
		}
		if err := cmd.RegisterFlagCompletionFunc(name, fn); err != nil {
			panic("internal: " + err.Error())
		}
	}
}
