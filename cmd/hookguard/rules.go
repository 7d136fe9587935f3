package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/lint"
)

func newRulesCmd(s streams) *cobra.Command {
	var output string
	var policies []string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalog (text, json, or markdown for the README)",
		Example: `  hookguard rules
  hookguard rules -o json | jq '.rules[] | select(.severity == "error") | .id'
  hookguard rules --policy policies/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			engine, err := lint.NewEngine(cmd.Context(), policies)
			if err != nil {
				return usageError("%v", err)
			}
			switch output {
			case "text":
				return writeRulesText(s.out, engine.Rules())
			case "json":
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"rules": engine.Rules()})
			case "markdown":
				_, err := io.WriteString(s.out, lint.RulesTable(engine.Rules()))
				return err
			}
			return usageError("invalid output format %q: want one of text, json, markdown", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json, markdown")
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "directory of custom Rego rules to list too (repeatable)")
	completeFlags(cmd, map[string]cobra.CompletionFunc{"output": fixed("text", "json", "markdown")})
	return cmd
}

func writeRulesText(w io.Writer, rules []finding.Rule) error {
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%-42s %-8s %s\n", r.ID, r.Severity, r.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
