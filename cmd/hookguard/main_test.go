package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/lint"
	"github.com/hookguard/hookguard/plugin"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	repoRoot = "../.."
	shared   = "../../../shared"
)

// hookguard runs the real command tree with buffers.
func hookguard(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, nil, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(repoRoot, "testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./cmd/hookguard -update")
	assert.Equal(t, string(want), got, "output differs from %s (go test ./cmd/hookguard -update rewrites it)", path)
}

func needShared(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(shared, dir)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not here (it ships beside the repository in CI, not in a user's clone): %v", p, err)
	}
	return p
}

// The design brief's four examples: what a careful reviewer reports.
func TestLintBrief(t *testing.T) {
	dir := needShared(t, "brief")
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", "lint", dir, "-o", format)
			assert.Equal(t, exitFindings, code, errOut)
			golden(t, "brief."+format, out)
		})
	}
	_, out, _ := hookguard(t, "", "lint", dir, "-o", "json")
	var rep struct {
		Findings []struct{ Rule, Message string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	byRule := map[string]int{}
	for _, f := range rep.Findings {
		byRule[f.Rule]++
	}
	// latest config-validator image; two Jobs without backoffLimit; five
	// without a deadline; the named smoke test deleted only on success;
	// migrate without --noinput. Nothing more.
	assert.Equal(t, map[string]int{
		"hook-image-unpinned":                     1,
		"hook-backoff-limit":                      2,
		"hook-deadline-missing":                   5,
		"hook-named-without-before-hook-creation": 1,
		"migration-not-idempotent":                1,
	}, byRule)
}

// The examples shipped in testdata/ in every format.
func TestLintExamplesFormats(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	ext := map[string]string{"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "github.txt"}
	t.Setenv("SOURCE_DATE_EPOCH", "0") // JUnit's timestamp and host, fixed
	for format, e := range ext {
		t.Run(format, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", "lint", dir, "-o", format)
			assert.Equal(t, exitFindings, code, errOut)
			golden(t, "examples."+e, out)
		})
	}
}

// Every real file of the corpus loads and lints; the count per rule is
// reviewed and pinned.
func TestLintCorpusPlain(t *testing.T) {
	dir := needShared(t, "corpus/plain")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	require.NoError(t, err)
	require.Len(t, files, 62)
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "json")
	require.Equal(t, exitFindings, code, errOut)
	var rep struct {
		Summary struct {
			Objects int            `json:"objects"`
			ByRule  map[string]int `json:"byRule"`
		} `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	got, err := json.MarshalIndent(rep.Summary, "", "  ")
	require.NoError(t, err)
	golden(t, "corpus-plain-summary.json", string(got)+"\n")
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
		return p
	}
	clean := write("clean/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
	broken := write("broken/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: [\n")
	badCfg := write("badcfg/.hookguard.yaml", "argocdVersion: 3.6\nrulez: {}\n")
	write("badcfg/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
	badPolicy := write("badpolicy/p.rego", "package custom\n\ndeny contains msg if {\n  msg := \n}\n")

	t.Run("clean", func(t *testing.T) {
		code, out, _ := hookguard(t, "", "lint", clean)
		assert.Equal(t, exitOK, code)
		assert.Contains(t, out, "0 errors, 0 warnings, 0 info in 1 object")
	})
	t.Run("parse error names file and line", func(t *testing.T) {
		code, out, errOut := hookguard(t, "", "lint", broken)
		assert.Equal(t, exitUsage, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, broken+":")
		assert.Regexp(t, `bad\.yaml:\d+: invalid YAML`, errOut)
	})
	t.Run("unknown output format lists the valid ones", func(t *testing.T) {
		code, _, errOut := hookguard(t, "", "lint", clean, "-o", "xml")
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "text, json, sarif, junit, github")
	})
	t.Run("unknown flag", func(t *testing.T) {
		code, _, _ := hookguard(t, "", "lint", "--nope")
		assert.Equal(t, exitUsage, code)
	})
	t.Run("bad config names file and line", func(t *testing.T) {
		code, _, errOut := hookguard(t, "", "lint", filepath.Dir(badCfg))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, badCfg+`:2: unknown key "rulez" at the top level (valid keys: argocdVersion, failOn, wholeApp, settings, rules, policies, ignore); did you mean rules?`)
	})
	t.Run("policy that does not compile", func(t *testing.T) {
		code, _, errOut := hookguard(t, "", "lint", clean, "--policy", filepath.Dir(badPolicy))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "p.rego:")
	})
	t.Run("missing path", func(t *testing.T) {
		code, _, errOut := hookguard(t, "", "lint", filepath.Join(dir, "nothing-here"))
		assert.Equal(t, exitUsage, code)
		assert.Contains(t, errOut, "nothing-here")
	})
	t.Run("fail-on error lets warnings pass", func(t *testing.T) {
		code, _, _ := hookguard(t, "", "lint", filepath.Join(needShared(t, "brief"), "presync-migrate.yaml"), "--fail-on", "error")
		assert.Equal(t, exitOK, code)
	})
}

func TestStdinAndSuppression(t *testing.T) {
	const doc = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    hookguard.io/ignore: "hook-deadline-missing,hook-backoff-limit: the migration tool enforces its own timeout"
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          image: app:1.0
`
	code, out, errOut := hookguard(t, doc, "lint", "-", "-o", "json")
	assert.Equal(t, exitOK, code, errOut)
	var rep struct {
		Findings []struct {
			Rule        string
			File        string
			Suppression *struct{ Kind, Reason string }
		} `json:"findings"`
		Summary struct{ Suppressed int } `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Findings, 2)
	for _, f := range rep.Findings {
		assert.Equal(t, "<stdin>", f.File)
		require.NotNil(t, f.Suppression, f.Rule)
		assert.Equal(t, "the migration tool enforces its own timeout", f.Suppression.Reason)
	}
	assert.Equal(t, 2, rep.Summary.Suppressed)

	_, sarif, _ := hookguard(t, doc, "lint", "-", "-o", "sarif")
	assert.Contains(t, sarif, `"justification": "the migration tool enforces its own timeout"`)
}

func TestConfigAndCustomPolicies(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "config")
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "json")
	assert.Equal(t, exitFindings, code, errOut)
	var rep struct {
		Findings []struct{ Rule, Severity, Message string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Rule] = f.Severity
	}
	assert.Equal(t, map[string]string{
		"hook-backoff-limit":         "error",   // re-graded in .hookguard.yaml, above maxBackoffLimit 1
		"hook-ttl-after-finished":    "warning", // argocdVersion 2.14 in .hookguard.yaml
		"team-owner-label":           "warning", // custom hookguard-style rule
		"custom.deny":                "error",   // conftest-style deny
		"custom.warn_image_registry": "warning",
	}, got)
	// hook-deadline-missing is disabled in the config.
	assert.NotContains(t, got, "hook-deadline-missing")

	code, out, _ = hookguard(t, "", "rules", "--policy", filepath.Join(dir, "policy"))
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "team-owner-label")
	assert.Contains(t, out, "custom.deny")
}

func TestRulesCommand(t *testing.T) {
	code, out, _ := hookguard(t, "", "rules", "-o", "json")
	require.Equal(t, exitOK, code)
	var cat struct {
		Rules []struct{ ID, Severity, Remediation string } `json:"rules"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &cat))
	folders, err := filepath.Glob(filepath.Join(repoRoot, "rules", "*", "*", "*.rego"))
	require.NoError(t, err)
	ruleFiles := 0
	for _, f := range folders {
		if !strings.HasSuffix(f, "_test.rego") && !strings.Contains(f, string(filepath.Separator)+"lib"+string(filepath.Separator)) {
			ruleFiles++
		}
	}
	assert.Len(t, cat.Rules, ruleFiles, "one rule per rule folder")

	// The README's rule table is generated from the catalog.
	_, md, _ := hookguard(t, "", "rules", "-o", "markdown")
	readmeSection(t, "rules", md)
	readmeSection(t, "params", plugin.ParametersMarkdown())
}

// Each rule's page (rules/<category>/<id>/README.md) is generated from its
// METADATA and examples.
func TestRuleDocs(t *testing.T) {
	engine, err := lint.NewEngine(context.Background(), nil)
	require.NoError(t, err)
	for _, r := range engine.Rules() {
		dir := filepath.Join(repoRoot, filepath.Dir(r.File))
		bad, err := os.ReadFile(filepath.Join(dir, "bad.yaml"))
		require.NoError(t, err)
		good, err := os.ReadFile(filepath.Join(dir, "good.yaml"))
		require.NoError(t, err, "%s has no good.yaml", r.ID)
		want := lint.RuleDoc(r, bad, good)
		path := filepath.Join(dir, "README.md")
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "go test ./cmd/hookguard -update writes %s", path)
		assert.Equal(t, want, string(got), "%s is stale: go test ./cmd/hookguard -update", path)
	}
}

// readmeSection checks (or with -update rewrites) a generated README part.
func readmeSection(t *testing.T, name, want string) {
	t.Helper()
	path := filepath.Join(repoRoot, "README.md")
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	start, end := "<!-- "+name+":start -->\n", "<!-- "+name+":end -->"
	s := string(readme)
	i, j := strings.Index(s, start), strings.Index(s, end)
	require.True(t, i >= 0 && j > i, "README has no %s markers", name)
	if *update {
		s = s[:i+len(start)] + want + s[j:]
		require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
		i, j = strings.Index(s, start), strings.Index(s, end)
	}
	assert.Equal(t, want, s[i+len(start):j], "README %s section is stale: go test ./cmd/hookguard -update", name)
}

// A Kustomize directory is rendered before linting, as Argo CD would see it;
// findings point at the source file and line the object came from.
func TestLintRendersKustomize(t *testing.T) {
	dir := needShared(t, "corpus/kustomize/ArthurVardevanyan__HomeLab__kubernetes__lvm-operator__base")
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "json")
	assert.Equal(t, exitFindings, code, errOut)
	var rep struct {
		Findings []struct {
			Rule, File, Source string
			Line               int
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.NotEmpty(t, rep.Findings)
	for _, f := range rep.Findings {
		assert.Equal(t, filepath.Join(dir, "installplan-approver.yaml"), f.File, f.Rule)
		assert.Positive(t, f.Line)
		assert.Equal(t, "kustomize build "+dir, f.Source)
	}
}

func TestFixCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "job.yaml")
	src := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j   # keep me\n  annotations:\n    argocd.argoproj.io/hook: presync\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o644))

	code, out, errOut := hookguard(t, "", "fix", "--diff", dir)
	assert.Equal(t, exitFindings, code, "--diff exits 1 when something would change")
	assert.Contains(t, out, "-    argocd.argoproj.io/hook: presync\n+    argocd.argoproj.io/hook: PreSync\n")
	assert.Contains(t, errOut, `Job j: hook "presync" -> "PreSync"`)
	unchanged, _ := os.ReadFile(file)
	assert.Equal(t, src, string(unchanged), "--diff writes nothing")

	code, _, errOut = hookguard(t, "", "fix", dir)
	assert.Equal(t, exitOK, code, errOut)
	fixed, _ := os.ReadFile(file)
	assert.Equal(t, strings.Replace(src, "presync", "PreSync", 1), string(fixed))

	code, out, _ = hookguard(t, "", "fix", "--diff", dir)
	assert.Equal(t, exitOK, code)
	assert.Empty(t, out)
}

// A Helm chart met while walking a directory is rendered, not read as YAML.
func TestLintWalksIntoCharts(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(repoRoot, "internal", "render", "testdata", "helm-ok")
	require.NoError(t, os.CopyFS(filepath.Join(dir, "charts", "app"), os.DirFS(chart)))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n"), 0o644))
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "json", "--repo-root", dir)
	require.NotEqual(t, exitUsage, code, errOut)
	var rep struct {
		Findings []struct{ Rule, File string } `json:"findings"`
		Summary  struct{ Objects int }         `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 4, rep.Summary.Objects, "the plain ConfigMap and the chart's three objects")
	var rules []string
	for _, f := range rep.Findings {
		rules = append(rules, f.Rule)
	}
	assert.Contains(t, rules, "helm-hook-dropped", "the chart's test hook, seen after rendering")
}

// A template file (as pre-commit passes it) is linted as its rendered chart.
func TestLintTemplateFileRendersItsChart(t *testing.T) {
	tmpl := filepath.Join(repoRoot, "internal", "render", "testdata", "helm-ok", "templates", "job.yaml")
	code, out, errOut := hookguard(t, "", "lint", tmpl, tmpl, "-o", "json")
	require.NotEqual(t, exitUsage, code, errOut)
	var rep struct {
		Summary struct{ Objects int } `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 3, rep.Summary.Objects, "the chart is rendered once")
}

// A run that checked nothing does not pass: an empty directory, empty
// standard input or a directory of non-Kubernetes YAML exit 2; a file
// named explicitly may be empty.
func TestNothingCheckedFails(t *testing.T) {
	empty := t.TempDir()
	for name, args := range map[string][]string{
		"empty directory": {"lint", empty},
		"empty stdin":     {"lint", "-"},
		"plan of nothing": {"plan", empty},
	} {
		code, _, errOut := hookguard(t, "", args...)
		assert.Equal(t, exitUsage, code, name)
		assert.Contains(t, errOut, "no Kubernetes objects found", name)
		assert.Contains(t, errOut, "nothing was checked", name)
	}
	file := filepath.Join(empty, "empty.yaml")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	code, _, errOut := hookguard(t, "", "lint", file)
	assert.Equal(t, exitOK, code, errOut)
}

// --fail-on none reports without failing (a report-only CI step); a --color
// value that is not auto, always or never is a usage error.
func TestFailOnNoneAndColorValues(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	code, out, _ := hookguard(t, "", "lint", dir, "--fail-on", "none")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "errors")
	code, _, errOut := hookguard(t, "", "lint", dir, "--color", "bogus")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `--color "bogus": want auto, always or never`)
}
