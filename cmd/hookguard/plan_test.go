package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/plan"
	"github.com/hookguard/hookguard/plan/plantest"
)

// The design brief: validate-config (wave -2) before db-migrate (wave -1) in
// PreSync, then the Sync resources (none), smoke-test in PostSync, and
// sync-failure-notify under SyncFail.
func TestPlanBrief(t *testing.T) {
	dir := needShared(t, "brief")
	code, out, errOut := hookguard(t, "", "plan", dir)
	require.Equal(t, exitOK, code, errOut)
	golden(t, "plan/brief.txt", out)

	_, js, _ := hookguard(t, "", "plan", dir, "-o", "json")
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(js), &p))
	var order []string
	for _, ph := range append(p.Phases, p.SyncFail) {
		for _, w := range ph.Waves {
			for _, s := range w.Steps {
				order = append(order, ph.Name+" "+itoa(w.Wave)+" "+s.Display)
			}
		}
	}
	assert.Equal(t, []string{
		"PreSync -2 Job validate-config",
		"PreSync -1 Job myapp/db-migrate",
		"PreSync -1 Job db-migrate",
		"PostSync 0 Job myapp/smoke-test",
		"SyncFail 0 Job myapp/sync-failure-notify",
	}, order)
	assert.Empty(t, p.Phases[1].Waves, "the brief has no Sync resources")
	assert.Equal(t, 4, p.MinimumAddedSeconds)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// planTargets are the corpus apps and the examples, with their arguments.
func planTargets(t *testing.T) map[string][]string {
	t.Helper()
	targets := map[string][]string{
		"examples-shop": {filepath.Join(repoRoot, "testdata", "examples", "shop")},
	}
	if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
		return targets
	}
	targets["brief"] = []string{filepath.Join(shared, "brief")}
	for name, app := range corpusApps(t) {
		args := append([]string{filepath.Join(app.repo, app.path), "--repo-root", app.repo}, setArgs(app.params)...)
		targets[strings.ReplaceAll(name, "/", "__")] = args
	}
	return targets
}

// JSON and Mermaid goldens for every corpus app and example; every Mermaid
// chart is checked for structure, and every DOT layout (where graphviz is
// installed) for Argo CD's order.
func TestPlanGoldens(t *testing.T) {
	targets := planTargets(t)
	if len(targets) < 14 {
		t.Logf("only %d targets: ../shared is absent", len(targets))
	}
	for name, args := range targets {
		t.Run(name, func(t *testing.T) {
			code, js, errOut := hookguard(t, "", append([]string{"plan", "-o", "json"}, args...)...)
			require.Equal(t, exitOK, code, errOut)
			golden(t, "plan/"+name+".json", js)
			code, mm, errOut := hookguard(t, "", append([]string{"plan", "-o", "mermaid"}, args...)...)
			require.Equal(t, exitOK, code, errOut)
			plantest.CheckMermaid(t, mm)
			golden(t, "plan/"+name+".mmd", mm)
			code, dot, errOut := hookguard(t, "", append([]string{"plan", "-o", "dot"}, args...)...)
			require.Equal(t, exitOK, code, errOut)
			var p plan.Plan
			require.NoError(t, json.Unmarshal([]byte(js), &p))
			plantest.CheckDotOrder(t, dot, dotWaves(p))
		})
	}
}

// dotWaves are the DOT node ids of each wave of the sync path: Dot numbers
// the steps n0, n1, ... along it.
func dotWaves(p plan.Plan) [][]string {
	var out [][]string
	n := 0
	for _, ph := range p.Phases {
		for _, w := range ph.Waves {
			var ids []string
			for range w.Steps {
				ids = append(ids, "n"+strconv.Itoa(n))
				n++
			}
			out = append(out, ids)
		}
	}
	return out
}

// Graphviz, where installed (.ci/run installs it), turns the DOT output into
// a picture.
func TestPlanDotRenders(t *testing.T) {
	dotBin, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("graphviz (dot) is not installed; .ci/run installs it")
	}
	code, out, errOut := hookguard(t, "", "plan", "-o", "dot", filepath.Join(repoRoot, "testdata", "examples", "shop"))
	require.Equal(t, exitOK, code, errOut)
	png := filepath.Join(t.TempDir(), "plan.png")
	cmd := exec.Command(dotBin, "-Tpng", "-o", png)
	cmd.Stdin = strings.NewReader(out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), stderr.String())
	data, err := os.ReadFile(png)
	require.NoError(t, err)
	require.Greater(t, len(data), 1000)
	assert.Equal(t, "\x89PNG", string(data[:4]))
}

func TestPlanUsage(t *testing.T) {
	code, _, errOut := hookguard(t, "", "plan", "-o", "svg", filepath.Join(repoRoot, "testdata", "examples"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "text, json, mermaid, dot")
	code, _, errOut = hookguard(t, "", "plan", "--argocd-version", "nine", filepath.Join(repoRoot, "testdata", "examples"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--argocd-version")
}

// Facts are computed once per object per run: `plan` lints the app and lays
// out its sync from the same analyzed app, and `lint` analyzes each object
// once whatever the number of rules reading it.
func TestFactsComputedOncePerObject(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	for _, cmd := range []string{"plan", "lint"} {
		before := hooks.Analyzed()
		_, out, errOut := hookguard(t, "", cmd, dir, "-o", "json")
		require.NotEmpty(t, out, errOut)
		objects := countObjects(t, out)
		require.Positive(t, objects)
		assert.Equal(t, int64(objects), hooks.Analyzed()-before, "%s analyzed some object more than once", cmd)
	}
}

// countObjects reads the object count of a plan or lint JSON report.
func countObjects(t *testing.T, js string) int {
	t.Helper()
	var lint struct {
		Summary *struct{ Objects int } `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &lint))
	if lint.Summary != nil {
		return lint.Summary.Objects
	}
	var p plan.Plan
	require.NoError(t, json.Unmarshal([]byte(js), &p))
	seen := map[string]bool{}
	for _, ph := range append(append(append([]plan.Phase{}, p.Phases...), p.SyncFail), p.Deletion...) {
		for _, w := range ph.Waves {
			for _, s := range w.Steps {
				seen[s.File+"|"+strconv.Itoa(s.Line)+"|"+s.Display] = true
			}
		}
	}
	for _, s := range append(append([]plan.Step{}, p.Dropped...), p.Skipped...) {
		seen[s.File+"|"+strconv.Itoa(s.Line)+"|"+s.Display] = true
	}
	return len(seen)
}

// gitRepo makes a repository with testdata/examples/shop at apps/shop,
// committed on main; it returns the repository and the app directory.
func gitRepo(t *testing.T) (repo, app string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo = t.TempDir()
	app = filepath.Join(repo, "apps", "shop")
	require.NoError(t, os.MkdirAll(app, 0o755))
	src := filepath.Join(repoRoot, "testdata", "examples", "shop")
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(app, e.Name()), data, 0o644))
	}
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-q", "-m", "base")
	return repo, app
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
}

// plan --base shows what a change does to the sync: the working tree
// against a commit of a real git repository.
func TestPlanBase(t *testing.T) {
	repo, app := gitRepo(t)
	// The change: the migrator Secret moves to wave 3 (after the Job that
	// uses it), a PostSync smoke test is added, and a hook is misspelled.
	mig := filepath.Join(app, "good-migration.yaml")
	data, err := os.ReadFile(mig)
	require.NoError(t, err)
	require.Contains(t, string(data), `sync-wave: "-2"`)
	require.NoError(t, os.WriteFile(mig, []byte(strings.Replace(string(data), `sync-wave: "-2"`, `sync-wave: "3"`, 1)), 0o644))
	extra := `apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: PostSync
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: Postsync
`
	require.NoError(t, os.WriteFile(filepath.Join(app, "smoke.yaml"), []byte(extra), 0o644))

	code, out, errOut := hookguard(t, "", "plan", "--base", "main", "-o", "json", app)
	require.Equal(t, exitOK, code, errOut)
	var d plan.Diff
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	got := map[string][]string{}
	for _, c := range d.Changes {
		got[c.Kind] = append(got[c.Kind], c.Object)
		assert.NotContains(t, c.File+c.Message, "hookguard-base-", "a temporary path leaked")
	}
	assert.Equal(t, []string{"Job shop/smoke"}, got[plan.HookAdded])
	assert.Equal(t, []string{"Secret shop/shop-db-migrator"}, got[plan.Moved])
	assert.Equal(t, []string{"Job shop/notify"}, got[plan.DropAdded])
	assert.Contains(t, got[plan.FindingAdded], "Job shop/shop-migrate", "the migration Job now runs before its Secret")
	assert.Contains(t, got[plan.FindingAdded], "Job shop/notify")
	assert.Empty(t, got[plan.HookRemoved])
	assert.Empty(t, got[plan.FindingFixed])
	assert.Equal(t, d.Before.Waves+1, d.After.Waves)
	// The base side names the files as the user named the path.
	assert.Equal(t, filepath.Join(app, "good-migration.yaml"), d.Before.Phases[0].Waves[1].Steps[0].File)

	// The same in a PR comment; with nothing committed since, no change.
	code, md, errOut := hookguard(t, "", "plan", "--base", "main", "-o", "markdown", app)
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(md, plan.MarkdownMarker+"\n"))
	assert.Contains(t, md, "#### Changes against `main`")
	assert.Contains(t, md, "- + hook Job shop/smoke in PostSync wave 0")
	plantest.CheckMermaid(t, mermaidBlock(t, md))

	git(t, repo, "add", "-A")
	git(t, repo, "commit", "-q", "-m", "change")
	code, out, errOut = hookguard(t, "", "plan", "--base", "HEAD", app)
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(out, "Sync changes against HEAD: no change to the sync\n"), out)

	// A path new since the base: everything in it is added.
	newApp := filepath.Join(repo, "apps", "new")
	require.NoError(t, os.MkdirAll(newApp, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(newApp, "a.yaml"), []byte(extra), 0o644))
	code, out, errOut = hookguard(t, "", "plan", "--base", "HEAD", newApp)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1 hook added, 1 object newly dropped")
}

func mermaidBlock(t *testing.T, md string) string {
	t.Helper()
	_, rest, ok := strings.Cut(md, "```mermaid\n")
	require.True(t, ok)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	return block
}

func TestPlanBaseUsage(t *testing.T) {
	_, app := gitRepo(t)
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown ref":   {[]string{"--base", "no-such-branch", app}, `git ref "no-such-branch": no such commit`},
		"option as ref": {[]string{"--base", "--output=/tmp/x", app}, `invalid git ref`},
		"picture":       {[]string{"--base", "main", "-o", "dot", app}, "want one of text, json, markdown"},
		"stdin":         {[]string{"--base", "main", "-"}, "standard input has no base"},
		"not a repo":    {[]string{"--base", "main", plainDir(t)}, "is not in a git repository"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", append([]string{"plan"}, c.args...)...)
			assert.Equal(t, exitUsage, code, out)
			assert.Empty(t, out)
			assert.Contains(t, errOut, c.want)
		})
	}
	// A path outside the repository of the first.
	code, _, errOut := hookguard(t, "", "plan", "--base", "main", app, plainDir(t))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is outside the git repository")
}

// plainDir is a directory with one manifest, in no git repository.
func plainDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"), 0o644))
	return dir
}

// plan -o markdown from the CLI: the comment names the paths planned.
func TestPlanMarkdown(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples", "shop")
	code, md, errOut := hookguard(t, "", "plan", "-o", "markdown", dir)
	require.Equal(t, exitOK, code, errOut)
	assert.True(t, strings.HasPrefix(md, plan.MarkdownMarker+"\n### hookguard sync plan for `"+dir+"`\n"), md)
	plantest.CheckMermaid(t, mermaidBlock(t, md))
	assert.Contains(t, md, "#### Findings\n")
	assert.Contains(t, md, "#### Never applied\n")
}
