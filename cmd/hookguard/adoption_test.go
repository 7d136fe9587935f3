package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/lint"
)

// tree writes files below a new temporary directory and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// jsonFindings runs lint -o json and returns rule -> count, with the exit code.
func jsonFindings(t *testing.T, args ...string) (map[string]int, []map[string]any, int, string) {
	t.Helper()
	code, out, errOut := hookguard(t, "", append([]string{"lint", "-o", "json"}, args...)...)
	var rep struct {
		Findings []map[string]any `json:"findings"`
	}
	if code <= exitFindings {
		require.NoError(t, json.Unmarshal([]byte(out), &rep), errOut)
	}
	by := map[string]int{}
	for _, f := range rep.Findings {
		by[f["rule"].(string)]++
	}
	return by, rep.Findings, code, errOut
}

const hookJob = `apiVersion: batch/v1
kind: Job
metadata:
  name: %s
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  activeDeadlineSeconds: 60
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: %s
`

// -f is relative to the working directory, as helm reads it.
func TestValuesRelativeToWorkingDirectory(t *testing.T) {
	dir := tree(t, map[string]string{
		"charts/shop/Chart.yaml":         "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
		"charts/shop/values.yaml":        "image: app:latest\n",
		"charts/shop/templates/job.yaml": fmt.Sprintf(hookJob, "migrate", "{{ .Values.image }}"),
		"charts/shop/templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shop\n",
		"env/prod.yaml":                  "image: app:1.2.3\n",
	})
	t.Chdir(dir)
	by, _, code, errOut := jsonFindings(t, "charts/shop")
	require.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, 1, by["hook-image-unpinned"], "the chart's own values: app:latest")
	by, _, code, errOut = jsonFindings(t, "-f", "env/prod.yaml", "charts/shop")
	require.Equal(t, exitOK, code, errOut)
	assert.Zero(t, by["hook-image-unpinned"], "env/prod.yaml is read from the working directory")
	_, _, code, errOut = jsonFindings(t, "-f", "prod.yaml", "charts/shop")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "values file")
}

// An Argo CD version hookguard does not model is refused, with the range,
// on every command and in the config.
func TestUnsupportedArgoCDVersion(t *testing.T) {
	dir := tree(t, map[string]string{"job.yaml": fmt.Sprintf(hookJob, "a", "app:1"), "cfg/.hookguard.yaml": "argocdVersion: \"9.9\"\n"})
	want := fmt.Sprintf("unsupported Argo CD version 9.9: hookguard checks Argo CD 2.0 to %d.%d.x", hooks.Latest.Major, hooks.Latest.Minor)
	for _, args := range [][]string{
		{"lint", "--argocd-version", "9.9", dir},
		{"plan", "--argocd-version", "9.9", dir},
		{"fix", "--diff", "--argocd-version", "9.9", dir},
		{"lint", "--config", filepath.Join(dir, "cfg", ".hookguard.yaml"), dir},
	} {
		code, _, errOut := hookguard(t, "", args...)
		assert.Equal(t, exitUsage, code, args)
		assert.Contains(t, errOut, want, args)
	}
	code, _, errOut := hookguard(t, "", "lint", "--argocd-version", "2.14", dir)
	assert.Equal(t, exitOK, code, errOut)
}

// fix does not edit Helm templates and says what to do instead.
func TestFixHelmTemplate(t *testing.T) {
	dir := tree(t, map[string]string{
		"shop/Chart.yaml":         "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
		"shop/templates/job.yaml": "{{- if .Values.enabled }}\n" + fmt.Sprintf(hookJob, "m", "{{ .Values.image }}") + "{{- end }}\n",
	})
	tmpl := filepath.Join(dir, "shop", "templates", "job.yaml")
	before, err := os.ReadFile(tmpl)
	require.NoError(t, err)
	code, _, errOut := hookguard(t, "", "fix", filepath.Join(dir, "shop"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, tmpl+": a Helm template: hookguard fix does not edit templates in place")
	assert.Contains(t, errOut, "hookguard lint "+filepath.Join(dir, "shop"))
	assert.NotContains(t, errOut, "invalid YAML")
	after, err := os.ReadFile(tmpl)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

// Remediation text reads the configured thresholds, in findings and in the
// SARIF rule help.
func TestRemediationHonoursSettings(t *testing.T) {
	job := strings.Replace(fmt.Sprintf(hookJob, "m", "app:1"), "backoffLimit: 1", "backoffLimit: 4", 1)
	dir := tree(t, map[string]string{"job.yaml": job, ".hookguard.yaml": "settings:\n  maxBackoffLimit: 1\n"})
	_, fs, code, errOut := jsonFindings(t, dir)
	require.Equal(t, exitFindings, code, errOut)
	require.Len(t, fs, 1)
	assert.Equal(t, "hook-backoff-limit", fs[0]["rule"])
	assert.Equal(t, "Set spec.backoffLimit on the hook Job to a small number (0 to 1).", fs[0]["remediation"])
	_, out, _ := hookguard(t, "", "lint", "-o", "sarif", dir)
	assert.Contains(t, out, "(0 to 1)")
	assert.NotContains(t, out, "(0 to 3)")
	// Without the setting: the declared default.
	require.NoError(t, os.Remove(filepath.Join(dir, ".hookguard.yaml")))
	_, fs, _, _ = jsonFindings(t, dir)
	require.Len(t, fs, 1)
	assert.Contains(t, fs[0]["remediation"], "(0 to 3)")
}

// Every command's help has examples; lint and generate explain their gates.
func TestHelpHasExamples(t *testing.T) {
	root := newRootCmd(streams{})
	assert.NotEmpty(t, root.Example)
	for _, c := range root.Commands() {
		assert.NotEmpty(t, c.Example, "hookguard %s --help has no examples", c.Name())
	}
	code, out, _ := hookguard(t, "", "lint", "--help")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "Examples:")
	assert.Contains(t, out, "lint fails on warnings by default")
	assert.Contains(t, out, "--fail-on error")
	_, out, _ = hookguard(t, "", "generate", "--help")
	assert.Contains(t, out, "The gate defaults to error")
}

// Flag values complete in the shell (cobra's __complete is what the
// generated scripts call).
func TestCompletion(t *testing.T) {
	complete := func(args ...string) []string {
		t.Helper()
		code, out, errOut := hookguard(t, "", append([]string{"__complete"}, args...)...)
		require.Equal(t, exitOK, code, errOut)
		var vals []string
		for _, line := range strings.Split(out, "\n") {
			if line == "" || strings.HasPrefix(line, ":") {
				continue
			}
			v, _, _ := strings.Cut(line, "\t")
			vals = append(vals, v)
		}
		return vals
	}
	assert.Equal(t, []string{"hook-backoff-limit"}, complete("lint", "--disable", "hook-back"))
	assert.Equal(t, []string{"hook-image-unpinned,hook-backoff-limit"}, complete("lint", "--enable", "hook-image-unpinned,hook-back"))
	assert.Equal(t, []string{"info", "warning", "error", "none"}, complete("lint", "--fail-on", ""))
	assert.Equal(t, []string{"text", "json", "sarif", "junit", "github"}, complete("lint", "-o", ""))
	versions := complete("lint", "--argocd-version", "")
	assert.Equal(t, hooks.Latest.Short(), versions[0], "newest first")
	assert.Contains(t, versions, "2.14")
	assert.Contains(t, versions, "3.3.3")
	for _, v := range versions {
		_, err := hooks.ParseVersion(v)
		assert.NoError(t, err, "every offered version is accepted: %s", v)
	}
	assert.Contains(t, complete("plan", "--argocd-version", ""), "2.10")
	assert.Contains(t, complete("fix", "--argocd-version", ""), "3.0")
	assert.Equal(t, []string{"text", "json", "markdown"}, complete("rules", "-o", ""))
}

const customRule = `# METADATA
# title: Hook without an owning team
# description: Every hook must carry the team label.
# custom:
#   id: team-owner-label
#   severity: warning
#   remediation: Add the label team.
package hookguard.rules.custom["team-owner-label"]

import data.hookguard.lib

report contains lib.violation(obj, sprintf("%s has no team label", [obj.ref])) if {
	some obj in input.objects
	lib.is_hook(obj)
	not obj.raw.metadata.labels.team
}
`

// verify runs the custom policies' test_ rules with the built-in library
// importable; a failing test exits 1 and is named with its file and line.
func TestVerify(t *testing.T) {
	tests := `package hookguard.rules.custom["team-owner-label_test"]

import data.hookguard.argocd
import data.hookguard.rules.custom["team-owner-label"] as rule

_hook(labels) := {"index": 0, "ref": "Job a", "argocd": {"role": argocd.roles.hook}, "raw": {"metadata": {"labels": labels}}}

test_fail_no_team if {
	count(rule.report) == 1 with input as {"objects": [_hook({})]}
}

test_success_team if {
	count(rule.report) == 0 with input as {"objects": [_hook({"team": "db"})]}
}
`
	dir := tree(t, map[string]string{"policy/team.rego": customRule, "policy/team_test.rego": tests,
		"conftest/main.rego":      "package main\n\ndeny contains \"no\" if input.kind == \"Pod\"\n",
		"conftest/main_test.rego": "package main\n\ntest_pod_denied if {\n\tdeny[\"no\"] with input as {\"kind\": \"Pod\"}\n}\n"})
	code, out, errOut := hookguard(t, "", "verify", filepath.Join(dir, "policy"), filepath.Join(dir, "conftest"))
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "PASS  "+filepath.Join(dir, "policy", "team_test.rego")+":8  data.hookguard.rules.custom[\"team-owner-label_test\"].test_fail_no_team")
	assert.Contains(t, out, "test_pod_denied")
	assert.Contains(t, out, "3 tests: 3 passed, 0 failed")

	// A broken expectation fails with its name and line; exit 1.
	broken := strings.Replace(tests, `{"team": "db"}`, `{"owner": "db"}`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "policy", "team_test.rego"), []byte(broken), 0o644))
	code, out, _ = hookguard(t, "", "verify", filepath.Join(dir, "policy"))
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "FAIL  "+filepath.Join(dir, "policy", "team_test.rego")+":12  data.hookguard.rules.custom[\"team-owner-label_test\"].test_success_team")
	assert.Contains(t, out, "2 tests: 1 passed, 1 failed")

	code, out, _ = hookguard(t, "", "verify", "-o", "json", filepath.Join(dir, "policy"))
	assert.Equal(t, exitFindings, code)
	var results []lint.TestResult
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	assert.Len(t, results, 2)

	// The worked example in testdata/config: hookguard rules and conftest rules.
	code, out, errOut = hookguard(t, "", "verify", filepath.Join(repoRoot, "testdata", "config", "policy"))
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "5 tests: 5 passed, 0 failed")

	// No tests, or a policy that does not compile: exit 2.
	require.NoError(t, os.Remove(filepath.Join(dir, "policy", "team_test.rego")))
	code, _, errOut = hookguard(t, "", "verify", filepath.Join(dir, "policy"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no Rego unit tests")
	// Without DIR: the policies of .hookguard.yaml in the working directory.
	cfgDir := tree(t, map[string]string{".hookguard.yaml": "policies: [p]\n", "p/main.rego": "package main\n\ndeny contains \"x\" if input.kind == \"Pod\"\n",
		"p/main_test.rego": "package main\n\ntest_pod if {\n\tdeny[\"x\"] with input as {\"kind\": \"Pod\"}\n}\n"})
	t.Chdir(cfgDir)
	code, out, errOut = hookguard(t, "", "verify")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1 tests: 1 passed, 0 failed")
}

// ignore: in the config (relative to the file) and --ignore (relative to the
// working directory) leave files unread, broken ones included.
func TestIgnoreGlobs(t *testing.T) {
	dir := tree(t, map[string]string{
		"apps/a.yaml":             fmt.Sprintf(hookJob, "a", "app:latest"),
		"apps/vendor/b.yaml":      fmt.Sprintf(hookJob, "b", "app:latest"),
		"apps/gen/c.gen.yaml":     fmt.Sprintf(hookJob, "c", "app:latest"),
		"apps/vendor/broken.yaml": "kind: [\n",
	})
	_, _, code, errOut := jsonFindings(t, filepath.Join(dir, "apps"))
	require.Equal(t, exitUsage, code, "the broken vendored file fails the run: %s", errOut)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hookguard.yaml"), []byte("ignore: [vendor]\n"), 0o644))
	by, _, code, errOut := jsonFindings(t, filepath.Join(dir, "apps"))
	require.Equal(t, exitFindings, code, errOut)
	assert.Equal(t, 2, by["hook-image-unpinned"], "a.yaml and c.gen.yaml")
	t.Chdir(dir)
	by, _, _, errOut = jsonFindings(t, "--ignore", "apps/**/*.gen.yaml", "apps")
	assert.Equal(t, 1, by["hook-image-unpinned"], errOut)
	// plan reads the same: the broken vendored file is left out by the config.
	code, _, errOut = hookguard(t, "", "plan", "apps")
	assert.Equal(t, exitOK, code, errOut)
	require.NoError(t, os.Remove(".hookguard.yaml"))
	code, _, _ = hookguard(t, "", "plan", "apps")
	assert.Equal(t, exitUsage, code)
	code, _, errOut = hookguard(t, "", "plan", "--ignore", "apps/vendor", "apps")
	assert.Equal(t, exitOK, code, errOut)
	_, _, code, errOut = jsonFindings(t, "--ignore", "a[b", "apps")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `ignore glob "a[b": unclosed [`)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hookguard.yaml"), []byte("ignore: [\"[x\"]\n"), 0o644))
	_, _, code, errOut = jsonFindings(t, "apps")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, ".hookguard.yaml: ignore: ignore glob")
}

// --enable and --disable pick rules; an unknown id names the close ones.
func TestEnableDisable(t *testing.T) {
	dir := tree(t, map[string]string{"job.yaml": strings.Replace(fmt.Sprintf(hookJob, "a", "app:latest"), "backoffLimit: 1", "backoffLimit: 9", 1)})
	by, _, _, _ := jsonFindings(t, dir)
	assert.Equal(t, map[string]int{"hook-image-unpinned": 1, "hook-backoff-limit": 1}, by)
	by, _, _, _ = jsonFindings(t, "--disable", "hook-image-unpinned,hook-backoff-limit", dir)
	assert.Empty(t, by)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hookguard.yaml"), []byte("rules:\n  hook-backoff-limit: {enabled: false}\n"), 0o644))
	by, _, _, _ = jsonFindings(t, dir)
	assert.Equal(t, map[string]int{"hook-image-unpinned": 1}, by)
	by, _, _, _ = jsonFindings(t, "--enable", "hook-backoff-limit", dir)
	assert.Equal(t, map[string]int{"hook-image-unpinned": 1, "hook-backoff-limit": 1}, by)
	_, _, code, errOut := jsonFindings(t, "--disable", "hook-image-unpined", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `unknown rule "hook-image-unpined"; did you mean hook-image-unpinned?`)
}

// init writes a commented configuration that loads, validates against the
// JSON Schema and changes nothing; it never overwrites.
func TestInit(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := hookguard(t, "", "init", dir)
	require.Equal(t, exitOK, code, errOut)
	path := filepath.Join(dir, config.FileName)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), "# yaml-language-server: $schema="+lint.SchemaURL)
	f, err := config.Parse(path, data)
	require.NoError(t, err)
	got, err := lint.FromConfig(f)
	require.NoError(t, err)
	want := lint.DefaultSettings()
	assert.Equal(t, want.FailOn, got.FailOn)
	assert.Equal(t, want.App, got.App)
	assert.Empty(t, got.Rules.Disabled)
	assert.NoError(t, schemaValidate(t, data))

	require.NoError(t, os.WriteFile(path, []byte("failOn: error\n"), 0o644))
	code, _, errOut = hookguard(t, "", "init", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "already exists")
	data, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "failOn: error\n", string(data))
}

func schemaValidate(t *testing.T, text []byte) error {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "hookguard.schema.json"))
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("hookguard.schema.json", doc))
	sch, err := c.Compile("hookguard.schema.json")
	require.NoError(t, err)
	js, err := sigsyaml.YAMLToJSON(text)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	require.NoError(t, err)
	return sch.Validate(v)
}

// The schema names every built-in rule id and parameter, so editors
// complete them.
func TestSchemaKnowsTheCatalog(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docs", "hookguard.schema.json"))
	require.NoError(t, err)
	var doc struct {
		Properties struct {
			Rules    struct{ Properties map[string]any } `json:"rules"`
			Settings struct {
				Properties map[string]struct {
					Type    string `json:"type"`
					Default any    `json:"default"`
				}
			} `json:"settings"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	e, err := lint.NewEngine(t.Context(), nil)
	require.NoError(t, err)
	var ids, schemaIDs []string
	params := map[string]string{}
	for _, r := range e.Rules() {
		ids = append(ids, r.ID)
		for _, p := range r.Parameters {
			params[p.Name] = p.Type + "=" + fmt.Sprint(p.Default)
		}
	}
	for id := range doc.Properties.Rules.Properties {
		schemaIDs = append(schemaIDs, id)
	}
	slices.Sort(schemaIDs)
	assert.Equal(t, ids, schemaIDs, "docs/hookguard.schema.json rules.properties must list the catalog's ids")
	got := map[string]string{}
	for name, p := range doc.Properties.Settings.Properties {
		got[name] = p.Type + "=" + fmt.Sprint(p.Default)
	}
	assert.Equal(t, params, got, "docs/hookguard.schema.json settings.properties must list the rule parameters")
}

// Every built-in rule links to its generated page, which exists; text and
// SARIF carry the link.
func TestRuleDocLinks(t *testing.T) {
	e, err := lint.NewEngine(t.Context(), []string{filepath.Join(repoRoot, "testdata", "config", "policy")})
	require.NoError(t, err)
	for _, r := range e.Rules() {
		if !r.Builtin {
			assert.Empty(t, r.HelpURI, r.ID)
			continue
		}
		require.True(t, strings.HasPrefix(r.HelpURI, lint.DocsBase), r.ID)
		page := filepath.Join(repoRoot, filepath.FromSlash(strings.TrimPrefix(r.HelpURI, lint.DocsBase)))
		assert.FileExists(t, page, "rule %s links to a page that does not exist", r.ID)
	}
	dir := tree(t, map[string]string{"job.yaml": fmt.Sprintf(hookJob, "a", "app:latest")})
	_, out, _ := hookguard(t, "", "lint", dir)
	assert.Contains(t, out, "see: "+lint.DocsBase+"rules/images/hook-image-unpinned/README.md")
	_, out, _ = hookguard(t, "", "lint", "-o", "sarif", "--policy", filepath.Join(repoRoot, "testdata", "config", "policy"), dir)
	assert.Contains(t, out, `"helpUri": "`+lint.DocsBase+"rules/images/hook-image-unpinned/README.md")
	assert.NotContains(t, out, `"helpUri": ""`)
}
