package lint

import (
	"context"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRegoUnitTests runs every *_test.rego of the catalog through OPA's
// tester, compiled in strict mode. It fails on any failing or erroring test,
// and when a rule has no test that fires and none that stays silent.
func TestRegoUnitTests(t *testing.T) {
	mods, err := builtinModules(true)
	require.NoError(t, err)
	parsed := map[string]*ast.Module{}
	for _, m := range mods {
		parsed[m.file] = m.mod
	}
	compiler := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)
	compiler.Compile(parsed)
	require.False(t, compiler.Failed(), "strict compile: %v", compiler.Errors)

	ch, err := tester.NewRunner().SetCompiler(compiler).SetModules(parsed).CapturePrintOutput(true).RunTests(context.Background(), nil)
	require.NoError(t, err)
	fails, passes := map[string]int{}, map[string]int{}
	total := 0
	for r := range ch {
		total++
		if r.Error != nil {
			t.Errorf("%s.%s: error: %v", r.Package, r.Name, r.Error)
			continue
		}
		if r.Fail {
			t.Errorf("%s.%s: FAIL (%s)\n%s", r.Package, r.Name, r.Location, r.Output)
			continue
		}
		pkg := strings.TrimSuffix(r.Package, `_test"]`)
		switch {
		case strings.HasPrefix(r.Name, "test_fail"):
			fails[pkg]++
		case strings.HasPrefix(r.Name, "test_success"):
			passes[pkg]++
		default:
			t.Errorf("%s.%s: test names start with test_fail_ or test_success_", r.Package, r.Name)
		}
	}
	require.Positive(t, total, "no Rego tests found")

	cat, err := catalog(mods)
	require.NoError(t, err)
	for _, r := range cat {
		key := strings.TrimSuffix(r.ref, `"]`)
		assert.Positive(t, fails[key], "rule %s has no passing test_fail_ case", r.ID)
		assert.Positive(t, passes[key], "rule %s has no passing test_success_ case", r.ID)
	}
	t.Logf("%d Rego tests over %d rules", total, len(cat))
}
