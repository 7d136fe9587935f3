package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/workspace"
	"github.com/hookguard/hookguard/lint"
)

func newVerifyCmd(s streams) *cobra.Command {
	var output, configPath string
	cmd := &cobra.Command{
		Use:   "verify [DIR...]",
		Short: "Run the Rego unit tests (test_ rules) of custom policies, as conftest verify does",
		Long: `Run the unit tests of custom Rego policies: every test_ rule in the .rego
files below each DIR (default: the policies of .hookguard.yaml). The policies
are compiled as lint loads them (strict, METADATA checked), and tests can
import the built-in catalog: data.hookguard.lib (is_hook, violation_at, ...),
data.hookguard.argocd and the built-in rules.

Exit codes: 0 every test passed, 1 a test failed or erred, 2 the policies do
not load or hold no test.`,
		Example: `  hookguard verify policies/
  hookguard verify                 # the policies: of .hookguard.yaml
  hookguard verify -o json policies/ | jq '.[] | select(.passed | not)'`,
		RunE: func(cmd *cobra.Command, dirs []string) error {
			if output != "text" && output != "json" {
				return usageError("invalid output format %q: want text or json", output)
			}
			if len(dirs) == 0 {
				cfg, err := workspace.Config(configPath, ".", "")
				if err != nil {
					return usageError("%v", err)
				}
				if dirs = cfg.Policies; len(dirs) == 0 {
					return usageError("no policy directory: name one (hookguard verify policies/) or list it under policies: in %s", configName(cfg.Path))
				}
			}
			results, err := lint.Verify(cmd.Context(), dirs)
			if err != nil {
				if errors.Is(err, lint.ErrNoTests) {
					return usageError("%v in %s", err, strings.Join(dirs, ", "))
				}
				return usageError("%v", err)
			}
			failed := 0
			for _, r := range results {
				if !r.Passed {
					failed++
				}
			}
			if output == "json" {
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(results); err != nil {
					return err
				}
			} else {
				writeVerifyText(s, results, failed)
			}
			if failed > 0 {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json")
	cmd.Flags().StringVar(&configPath, "config", "", "configuration file whose policies: are tested when no DIR is given")
	completeFlags(cmd, map[string]cobra.CompletionFunc{"output": fixed("text", "json"), "config": yamlFiles})
	return cmd
}

func writeVerifyText(s streams, results []lint.TestResult, failed int) {
	var b strings.Builder
	for _, r := range results {
		status := "PASS"
		if !r.Passed {
			status = "FAIL"
		}
		fmt.Fprintf(&b, "%s  %s:%d  %s\n", status, r.File, r.Line, r.Name)
		if !r.Passed {
			if r.Error != "" {
				fmt.Fprintf(&b, "      error: %s\n", r.Error)
			}
			for _, line := range strings.Split(strings.TrimRight(r.Output, "\n"), "\n") {
				if line != "" {
					fmt.Fprintf(&b, "      %s\n", line)
				}
			}
		}
	}
	fmt.Fprintf(&b, "%d tests: %d passed, %d failed\n", len(results), len(results)-failed, failed)
	fmt.Fprint(s.out, b.String())
}

func configName(path string) string {
	if path == "" {
		return ".hookguard.yaml (none found)"
	}
	return path
}
