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
// chart is checked for structure.
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
		})
	}
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
