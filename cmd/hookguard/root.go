package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/hookguard/hookguard/internal/buildinfo"

	"github.com/spf13/cobra"
)

// version is this build's version (internal/buildinfo: ldflags, else the
// module version, else the VCS revision).
var version = buildinfo.Read().Version

// Exit codes, documented in the README.
const (
	exitOK       = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on (or a blocked sync)
	exitUsage    = 2 // usage, configuration, policy or input errors
)

// exitError carries an exit code to main; only run maps errors to codes.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// findingsError reports findings at or above the threshold; its message is
// already printed, so run prints nothing more.
var errFindings = errors.New("findings at or above the fail-on severity")

// streams are the command's standard streams, injected for tests.
type streams struct {
	in       io.Reader
	out, err io.Writer
	env      []string // the process environment ("KEY=value")
}

func newRootCmd(s streams) *cobra.Command {
	root := &cobra.Command{
		Use:           "hookguard",
		Short:         "Make Argo CD sync hooks safe: lint them, and gate every sync as a Config Management Plugin",
		Version:       buildinfo.Read().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Example: `  hookguard init                      # write a commented .hookguard.yaml
  hookguard lint k8s/                 # lint manifests, Kustomize apps and Helm charts
  hookguard plan apps/shop            # the sync Argo CD will run
  hookguard fix --diff k8s/           # normalize hook annotations in place
  hookguard verify policies/          # run the Rego unit tests of custom policies
  source <(hookguard completion bash) # complete flags and their values`,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: exitUsage, err: err}
	})
	root.SetVersionTemplate("hookguard {{.Version}}\n")
	root.AddCommand(newLintCmd(s), newRulesCmd(s), newGenerateCmd(s), newFixCmd(s), newPlanCmd(s), newVersionCmd(s), newVerifyCmd(s), newInitCmd(s))
	return root
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, args, env []string, in io.Reader, out, errOut io.Writer) int {
	root := newRootCmd(streams{in: in, out: out, err: errOut, env: env})
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errFindings) {
		return exitFindings
	}
	fmt.Fprintf(errOut, "hookguard: %v\n", err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage
}

func usageError(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}
