package lint

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

func engine(t *testing.T) *Engine {
	t.Helper()
	e, err := NewEngine(context.Background(), nil)
	require.NoError(t, err)
	return e
}

// The catalog itself: every rule is one folder with its Rego, its tests, a
// bad example that fires it and a good one that does not.
func TestCatalog(t *testing.T) {
	e := engine(t)
	require.NotEmpty(t, e.Rules())
	for _, r := range e.Rules() {
		assert.True(t, r.Builtin, r.ID)
		assert.NotEmpty(t, r.Title, r.ID)
		assert.NotEmpty(t, r.Description, r.ID)
		assert.True(t, strings.HasSuffix(r.Remediation, "."), "%s: remediation must end with a period", r.ID)
		assert.Equal(t, r.ID, filepath.Base(filepath.Dir(r.File)), "%s: a rule's folder is named by its id", r.ID)
		assert.FileExists(t, filepath.Join("..", strings.Replace(r.File, ".rego", "_test.rego", 1)))
		for _, example := range []string{"bad.yaml", "good.yaml"} {
			assert.FileExists(t, filepath.Join("..", filepath.Dir(r.File), example), "%s has no %s", r.ID, example)
		}
		for _, text := range []string{r.Title, r.Description, r.Remediation} {
			assert.NotContains(t, text, "{since.", "%s: unknown version placeholder", r.ID)
			assert.NotContains(t, text, "{lastWithout.", "%s: unknown version placeholder", r.ID)
		}
	}
}

// runExample lints a rule's example file as its own app, with the settings
// its "# hookguard-example: key=value" header lines ask for.
func runExample(t *testing.T, e *Engine, r finding.Rule, name string) []finding.Finding {
	t.Helper()
	path := filepath.Join("..", filepath.Dir(r.File), name)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	settings := DefaultSettings()
	settings.App.Complete = r.Scope == finding.ScopeApp
	for _, line := range strings.Split(string(data), "\n") {
		spec, ok := strings.CutPrefix(line, "# hookguard-example: ")
		if !ok {
			continue
		}
		key, value, _ := strings.Cut(spec, "=")
		switch key {
		case "argocdVersion":
			settings.App.Version, err = hooks.ParseVersion(value)
			require.NoError(t, err)
		default:
			t.Fatalf("%s: unknown example setting %q", path, key)
		}
	}
	objs, err := manifest.Loader{}.Parse(path, data)
	require.NoError(t, err)
	require.NotEmpty(t, objs, "%s has no object", path)
	res, err := e.Run(context.Background(), app.Build(objs, settings.App), settings.Rules)
	require.NoError(t, err)
	var out []finding.Finding
	for _, f := range res.Findings {
		if f.Rule == r.ID {
			out = append(out, f)
		}
	}
	return out
}

// Each bad example, run through the real loader, semantics and engine,
// fires its rule; each good example does not. This joins the Go facts to
// the Rego rules end to end.
func TestExamples(t *testing.T) {
	e := engine(t)
	for _, r := range e.Rules() {
		t.Run(r.ID, func(t *testing.T) {
			bad := runExample(t, e, r, "bad.yaml")
			assert.NotEmpty(t, bad, "the bad example does not fire the rule")
			for _, f := range bad {
				assert.Positive(t, f.Line)
				assert.Equal(t, r.Remediation, f.Remediation)
				assert.Equal(t, r.Scope, f.Scope)
			}
			assert.Empty(t, runExample(t, e, r, "good.yaml"), "the good example fires the rule")
		})
	}
}

// The clean example app produces no finding at all, even as a whole app.
func TestGoodExampleIsSilent(t *testing.T) {
	e := engine(t)
	objs, err := manifest.Loader{}.Load([]string{"../testdata/examples/shop/app.yaml", "../testdata/examples/shop/good-migration.yaml"})
	require.NoError(t, err)
	s := DefaultSettings()
	s.App.Complete = true
	res, err := e.Run(context.Background(), app.Build(objs, s.App), s.Rules)
	require.NoError(t, err)
	// The app's Deployment reads Secret shop-db, which this subset does not
	// define: no rule may guess about objects outside the set.
	assert.Empty(t, res.Findings)
}

func TestRunRejectsUnknownRuleInOptions(t *testing.T) {
	e := engine(t)
	_, err := e.Run(context.Background(), app.Build(nil, DefaultSettings().App), Options{Disabled: map[string]bool{"hook-typo": true}})
	assert.ErrorContains(t, err, `unknown rule "hook-typo"; known rules: `)
	assert.ErrorContains(t, err, "annotation-value-not-string")
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
	_, err = e.Run(context.Background(), app.Build(objs, DefaultSettings().App), Options{})
	assert.ErrorContains(t, err, "rule bad-result: a result must be an object")

	_, err = NewEngine(context.Background(), []string{filepath.Join(dir, "missing")})
	assert.Error(t, err)
}

// The version switch reaches the rules: hook-ttl-after-finished applies up to
// 2.14 only, and PostDelete is unknown before 2.10.
func TestVersionDependentRules(t *testing.T) {
	e := engine(t)
	fires := func(file, rule string, v hooks.Version) bool {
		objs, err := manifest.Loader{}.Load([]string{filepath.Join("..", "rules", file)})
		require.NoError(t, err)
		res, err := e.Run(context.Background(), app.Build(objs, app.Settings{Version: v}), Options{})
		require.NoError(t, err)
		for _, f := range res.Findings {
			if f.Rule == rule {
				return true
			}
		}
		return false
	}
	assert.True(t, fires("lifecycle/hook-ttl-after-finished/bad.yaml", "hook-ttl-after-finished", hooks.Version{Major: 2, Minor: 14, Patch: 9}))
	assert.False(t, fires("lifecycle/hook-ttl-after-finished/bad.yaml", "hook-ttl-after-finished", hooks.Version{Major: 3}))
	assert.True(t, fires("lifecycle/post-delete-hook-lingers/bad.yaml", "hook-type-unknown", hooks.Version{Major: 2, Minor: 9}))
	assert.False(t, fires("lifecycle/post-delete-hook-lingers/bad.yaml", "post-delete-hook-lingers", hooks.Version{Major: 2, Minor: 9}))
	assert.True(t, fires("lifecycle/post-delete-hook-lingers/bad.yaml", "post-delete-hook-lingers", hooks.Version{Major: 2, Minor: 10}))
}

// Policies compile without built-ins that reach the network or the process:
// the error names the built-in.
func TestPoliciesHaveNoNetwork(t *testing.T) {
	for builtin, call := range map[string]string{
		"http.send":          `http.send({"method": "GET", "url": "http://127.0.0.1:1/"})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("example.com")`,
		"opa.runtime":        `opa.runtime()`,
	} {
		dir := t.TempDir()
		src := "package custom\n\ndeny contains msg if {\n\tx := " + call + "\n\tmsg := sprintf(\"%v\", [x])\n}\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "p.rego"), []byte(src), 0o644))
		_, err := NewEngine(context.Background(), []string{dir})
		require.Error(t, err, builtin)
		assert.Contains(t, err.Error(), "built-in "+builtin+" is not allowed", builtin)
		assert.Contains(t, err.Error(), "p.rego:4", builtin)
	}
}

// A policy that does not parse is named by file and line, and its content is
// not echoed (it may hold anything).
func TestPolicyParseErrorDoesNotEchoContent(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.rego"), []byte("package custom\n\nTOKEN-MARKER-abc123 := = 1\n"), 0o644))
	_, err := NewEngine(context.Background(), []string{dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "p.rego:3")
	assert.NotContains(t, err.Error(), "MARKER")
}
