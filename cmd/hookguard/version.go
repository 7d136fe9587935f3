package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/buildinfo"
)

func newVersionCmd(s streams) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print hookguard's version, VCS revision and build time",
		Example: `  hookguard version
  hookguard version -o json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			info := buildinfo.Read()
			switch output {
			case "text":
				_, err := fmt.Fprintf(s.out, "hookguard %s\n", info)
				return err
			case "json":
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			return usageError("invalid output format %q: want text or json", output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text, json")
	completeFlags(cmd, map[string]cobra.CompletionFunc{"output": fixed("text", "json")})
	return cmd
}
