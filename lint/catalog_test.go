package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

func engine(t *testing.T) *Engine {
	t.Helper()
	e, err := NewEngine(context.Background(), nil)
	require.NoError(t, err)
	return e
}

// The catalog itself: every rule complete, with its tests and a bad example.
func TestCatalog(t *testing.T) {
	e := engine(t)
	require.Len(t, e.Rules(), 26)
	for _, r := range e.Rules() {
		assert.True(t, r.Builtin, r.ID)
		assert.NotEmpty(t, r.Title, r.ID)
		assert.NotEmpty(t, r.Description, r.ID)
		assert.True(t, strings.HasSuffix(r.Remediation, "."), "%s: remediation must end with a period", r.ID)
		assert.FileExists(t, filepath.Join("..", strings.Replace(r.File, ".rego", "_test.rego", 1)))
		assert.FileExists(t, filepath.Join("testdata", "bad", r.ID+".yaml"), "%s has no bad example", r.ID)
	}
}

// Each bad example, run through the real loader, semantics and engine,
// fires its rule. This joins the Go facts to the Rego rules end to end.
func TestBadExamplesFire(t *testing.T) {
	e := engine(t)
	opts := DefaultOptions()
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			objs, err := manifest.Loader{}.Load([]string{filepath.Join("testdata", "bad", r.ID+".yaml")})
			require.NoError(t, err)
			o := opts
			o.WholeApp = r.ID == "hooks-only-app"
			if r.ID == "hook-ttl-after-finished" {
				o.Version = hooks.Version{Major: 2, Minor: 14}
			}
			res, err := e.Run(context.Background(), objs, o)
			require.NoError(t, err)
			var got []string
			for _, f := range res.Findings {
				if f.Rule == r.ID {
					got = append(got, f.Message)
					assert.Positive(t, f.Line)
					assert.Equal(t, r.Remediation, f.Remediation)
				}
			}
			assert.NotEmpty(t, got, "rule did not fire; findings: %+v", res.Findings)
		})
	}
}

// The clean example app produces no finding at all, even as a whole app.
func TestGoodExampleIsSilent(t *testing.T) {
	e := engine(t)
	objs, err := manifest.Loader{}.Load([]string{"../testdata/examples/shop/app.yaml", "../testdata/examples/shop/good-migration.yaml"})
	require.NoError(t, err)
	o := DefaultOptions()
	o.WholeApp = true
	res, err := e.Run(context.Background(), objs, o)
	require.NoError(t, err)
	// The app's Deployment reads Secret shop-db, which this subset does not
	// define: no rule may guess about objects outside the set.
	assert.Empty(t, res.Findings)
}

func TestRunRejectsUnknownRuleInOptions(t *testing.T) {
	e := engine(t)
	o := DefaultOptions()
	o.Disabled = map[string]bool{"hook-typo": true}
	_, err := e.Run(context.Background(), nil, o)
	assert.ErrorContains(t, err, `unknown rule "hook-typo"; known rules: annotation-value-not-string`)
}

func TestCustomPolicyErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		d := filepath.Join(dir, strings.TrimSuffix(name, ".rego"))
		require.NoError(t, os.MkdirAll(d, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(d, name), []byte(src), 0o644))
		return d
	}
	noMeta := write("nometa.rego", "package hookguard.rules.custom[\"x-rule\"]\n\nreport contains {\"object\": 0, \"msg\": \"m\"} if false\n")
	_, err := NewEngine(context.Background(), []string{noMeta})
	assert.ErrorContains(t, err, "nometa.rego:1: rule package has no METADATA block")

	dup := write("dup.rego", "# METADATA\n# title: t\n# custom:\n#   id: hook-type-unknown\n#   severity: error\n#   remediation: r.\npackage hookguard.rules.custom[\"hook-type-unknown\"]\n\nreport contains {\"object\": 0, \"msg\": \"m\"} if false\n")
	_, err = NewEngine(context.Background(), []string{dup})
	assert.ErrorContains(t, err, `rule id "hook-type-unknown" is already defined`)

	bad := write("badresult.rego", "# METADATA\n# title: t\n# custom:\n#   id: bad-result\n#   severity: error\n#   remediation: r.\npackage hookguard.rules.custom[\"bad-result\"]\n\nreport contains \"just a string\" if true\n")
	e, err := NewEngine(context.Background(), []string{bad})
	require.NoError(t, err)
	objs, err := manifest.Loader{}.Parse("x.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"))
	require.NoError(t, err)
	_, err = e.Run(context.Background(), objs, DefaultOptions())
	assert.ErrorContains(t, err, "rule bad-result: a result must be an object")

	_, err = NewEngine(context.Background(), []string{filepath.Join(dir, "missing")})
	assert.Error(t, err)
}

// The version switch reaches the rules: hook-ttl-after-finished applies up to
// 2.14 only, and PostDelete is unknown before 2.10.
func TestVersionDependentRules(t *testing.T) {
	e := engine(t)
	fires := func(file, rule string, v hooks.Version) bool {
		objs, err := manifest.Loader{}.Load([]string{filepath.Join("testdata", "bad", file)})
		require.NoError(t, err)
		o := DefaultOptions()
		o.Version = v
		res, err := e.Run(context.Background(), objs, o)
		require.NoError(t, err)
		for _, f := range res.Findings {
			if f.Rule == rule {
				return true
			}
		}
		return false
	}
	assert.True(t, fires("hook-ttl-after-finished.yaml", "hook-ttl-after-finished", hooks.Version{Major: 2, Minor: 14, Patch: 9}))
	assert.False(t, fires("hook-ttl-after-finished.yaml", "hook-ttl-after-finished", hooks.Version{Major: 3}))
	assert.True(t, fires("post-delete-hook-lingers.yaml", "hook-type-unknown", hooks.Version{Major: 2, Minor: 9}))
	assert.False(t, fires("post-delete-hook-lingers.yaml", "post-delete-hook-lingers", hooks.Version{Major: 2, Minor: 9}))
	assert.True(t, fires("post-delete-hook-lingers.yaml", "post-delete-hook-lingers", hooks.Version{Major: 2, Minor: 10}))
}
