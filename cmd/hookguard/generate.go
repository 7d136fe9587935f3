package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookguard/hookguard/plugin"
)

func newGenerateCmd(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "generate [DIR]",
		Short: "Argo CD CMP command: render, normalize and lint the app, then print it or block the sync",
		Long: `Run by argocd-cmp-server in the app directory (see plugin.yaml). Renders the
app (Kustomize, Helm or plain YAML), normalizes its hook annotations, lints it,
and then either prints the objects on standard output or, when findings reach
the gate, prints nothing there and exits 1 with the report on standard error
(Argo CD shows it as the app's ComparisonError). Any render error exits 2 with
nothing on standard output. Parameters come from ARGOCD_APP_PARAMETERS.

The gate defaults to error (the gate parameter), where lint's --fail-on
defaults to warning: a blocked sync stops a deploy, a failed review step
does not.`,
		Example: `  # as argocd-cmp-server runs it (plugin.yaml), in the app directory:
  hookguard generate
  # try it locally on an app, as the sidecar would see it:
  ARGOCD_APP_PARAMETERS='[{"name":"gate","string":"warning"}]' hookguard generate apps/shop`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			res, err := plugin.Generate(cmd.Context(), plugin.Request{Dir: dir, Env: plugin.EnvFromList(s.env), Version: version})
			// The report comes first: Argo CD shows all of stderr as the
			// app's ComparisonError, and the reason must lead.
			if res.Blocked {
				fmt.Fprint(s.err, res.Report)
			}
			fmt.Fprint(s.err, res.Warnings)
			for _, line := range res.Log {
				fmt.Fprintln(s.err, "hookguard:", line)
			}
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			if res.Blocked {
				return errFindings
			}
			_, err = s.out.Write(res.Output)
			return err
		},
	}
}
