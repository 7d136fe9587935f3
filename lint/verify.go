package lint

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego unit test (a test_ rule).
type TestResult struct {
	Name     string        `json:"name"` // data.<package>.<rule>
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Passed   bool          `json:"passed"`
	Error    string        `json:"error,omitempty"`
	Output   string        `json:"output,omitempty"` // print() output
	Duration time.Duration `json:"duration"`
}

// ErrNoTests is returned when the policies hold no test_ rule.
var ErrNoTests = errors.New("no Rego unit tests (test_ rules) found")

// Verify runs the Rego unit tests of the custom policies below dirs, as
// `conftest verify` and `opa test` do. The policies are checked and
// compiled as lint loads them (strict, METADATA checked), and the built-in
// catalog is there to import: data.hookguard.lib, data.hookguard.argocd
// and the rules themselves. Only the custom tests run.
func Verify(ctx context.Context, dirs []string) ([]TestResult, error) {
	mods, err := builtinModules(false)
	if err != nil {
		return nil, err
	}
	custom, err := policyModules(dirs, true)
	if err != nil {
		return nil, err
	}
	mods = append(mods, custom...)
	if _, err := catalog(mods); err != nil {
		return nil, err
	}
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		parsed[m.file] = m.mod
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities()).WithEnablePrintStatements(true)
	if compiler.Compile(parsed); compiler.Failed() {
		return nil, explainBlocked(compiler.Errors)
	}
	ch, err := tester.NewRunner().SetCompiler(compiler).SetModules(parsed).CapturePrintOutput(true).RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("running tests: %w", err)
	}
	var out []TestResult
	for r := range ch {
		if r.Skip {
			continue // todo_ tests, as opa test skips them
		}
		res := TestResult{Name: r.Package + "." + r.Name, Passed: !r.Fail && r.Error == nil, Output: string(r.Output), Duration: r.Duration}
		if r.Location != nil {
			res.File, res.Line = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			res.Error = r.Error.Error()
		}
		out = append(out, res)
	}
	if len(out) == 0 {
		return nil, ErrNoTests
	}
	// The runner runs tests in parallel; report them in source order.
	slices.SortFunc(out, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}
