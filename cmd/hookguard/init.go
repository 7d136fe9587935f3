package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/lint"
)

func newInitCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented .hookguard.yaml with every key at its default",
		Long: `Write DIR/.hookguard.yaml (default: the current directory): every key
hookguard reads, at its default, with a comment saying what it does, and
every rule parameter of the catalog. An existing file is never overwritten.
Editors that speak the YAML language server complete and check the file
against its JSON Schema (docs/hookguard.schema.json).`,
		Example: `  hookguard init
  hookguard init k8s/`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			engine, err := lint.NewEngine(cmd.Context(), nil)
			if err != nil {
				return err
			}
			path := filepath.Join(dir, config.FileName)
			// O_EXCL: refuse an existing file, or a link, without a race.
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageError("%s already exists; hookguard init does not overwrite it (move it away to start again)", path)
			}
			if err != nil {
				return usageError("%v", err)
			}
			if _, err := f.WriteString(initConfig(engine)); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(s.err, "wrote %s\n", path)
			return nil
		},
	}
	return cmd
}

// initConfig is the commented configuration init writes: every key at its
// default, so uncommenting nothing changes nothing.
func initConfig(e *lint.Engine) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", lint.SchemaURL)
	b.WriteString(`# hookguard configuration. Found upward from the linted path, never above the
# git repository. Every key is optional; the values shown are the defaults.

# Argo CD version whose hook behaviour is checked (quote it). Unset, the
`)
	fmt.Fprintf(&b, "# newest hookguard models (%s); set it to the Argo CD you run.\n# argocdVersion: %q\n\n", hooks.Latest.Short(), hooks.Latest.Short())
	b.WriteString(`# Lowest severity that fails "hookguard lint": info, warning or error.
# The CMP's sync gate is its own "gate" parameter (default error); use
# failOn: error for a CI step that fails exactly when a sync would be blocked.
failOn: warning

# true: the linted files are a whole application (enables hooks-only-app).
wholeApp: false

# Rule parameters (each rule's page lists its own).
settings:
`)
	seen := map[string]bool{}
	for _, r := range e.Rules() {
		for _, p := range r.Parameters {
			if seen[p.Name] {
				continue
			}
			seen[p.Name] = true
			fmt.Fprintf(&b, "  # %s: %s\n  %s: %v\n", r.ID, p.Description, p.Name, p.Default)
		}
	}
	b.WriteString(`
# Per rule: enabled: false switches it off, severity: info|warning|error
# re-grades it ("hookguard rules" lists the ids).
rules: {}
#  hook-image-unpinned:
#    enabled: false
#  hook-backoff-limit:
#    severity: error

# Directories of custom Rego rules, relative to this file; "hookguard verify"
# runs their tests.
policies: []

# Files and directories not to read, relative to this file: * and ? within a
# path element, ** across elements; a glob without / matches a name anywhere.
ignore: []
#  - vendor/**
#  - "**/*.generated.yaml"
`)
	return b.String()
}
