package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var monorepo = filepath.Join(repoRoot, "testdata", "monorepo")

// lint --apps lints each Application as Argo CD renders it: JSON findings
// and the apps summary name the Application.
func TestLintApps(t *testing.T) {
	code, out, errOut := hookguard(t, "", "lint", "--apps", "--repo-root", monorepo, "-o", "json", monorepo)
	require.Equal(t, 1, code, errOut)
	var rep struct {
		Findings []struct {
			Rule, File, App string
		}
		Apps []struct {
			App            string
			Objects, Hooks int
			Errors         int
			Warnings, Info int
			Status         string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	var apps []string
	for _, a := range rep.Apps {
		apps = append(apps, a.App)
	}
	// Applications written as files, and those the ApplicationSets generate
	// (argocd/appsets/*.yaml say which, as Argo CD's generators decide).
	assert.Equal(t, []string{"argocd/cdk8s-app", "argocd/gated", "argocd/merged-alpha", "argocd/merged-beta",
		"argocd/monitoring", "argocd/plain", "argocd/root", "argocd/shop-prod",
		"argocd/shop-prod-prod", "argocd/shop-prod-staging", "argocd/shop-staging",
		"argocd/shop-staging-prod", "argocd/shop-staging-staging", "argocd/team-alpha", "argocd/team-beta",
		"argocd/web", "argocd/web-eu", "argocd/web-multi", "argocd/web-us"}, apps)
	byApp := map[string][]string{}
	for _, f := range rep.Findings {
		require.NotEmpty(t, f.App, f.Rule)
		byApp[f.App] = append(byApp[f.App], f.Rule+" "+filepath.ToSlash(f.File))
	}
	// The base's migration Job is the same file in both overlays; only
	// staging keeps its :latest image (prod's Application sets images).
	assert.Contains(t, byApp["argocd/shop-staging"], "hook-image-unpinned "+filepath.ToSlash(filepath.Join(monorepo, "apps/shop/base/migrate.yaml")))
	assert.NotContains(t, strings.Join(byApp["argocd/shop-prod"], "\n"), "hook-image-unpinned")
	for _, a := range rep.Apps {
		if a.App == "argocd/cdk8s-app" {
			assert.Equal(t, "not rendered", a.Status)
		}
		if a.App == "argocd/shop-staging" {
			assert.Equal(t, 3, a.Objects)
			assert.Equal(t, 2, a.Hooks)
			assert.Equal(t, 4, a.Warnings)
		}
	}
	assert.Contains(t, errOut, "plugin cdk8s is not hookguard's")
	assert.Contains(t, errOut, "not expanded: ApplicationSet shop-envs: spec.generators[1].clusters")

	code, out, _ = hookguard(t, "", "lint", "--apps", "--repo-root", monorepo, monorepo)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Application argocd/shop-staging\n")
	assert.Regexp(t, `APPLICATION\s+OBJECTS\s+HOOKS\s+ERRORS\s+WARNINGS\s+INFO\s+STATUS`, out)
	assert.Regexp(t, `19 apps\s+45\s+15\s+1\s+17\s+0`, out)
}

func TestLintAppsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"lint", "--repo-url", "x", monorepo},
		{"lint", "--apps", "--shard", "0/3", monorepo},
		{"lint", "--apps", "--shard", "4/3", monorepo},
		{"lint", "--apps", "--values", "v.yaml", monorepo},
		{"lint", "--apps", monorepo, monorepo},
		{"plan", "--shard", "1/2", monorepo},
	} {
		code, _, errOut := hookguard(t, "", args...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
	}
	// No Application where the user pointed: exit 2, saying why.
	code, _, errOut := hookguard(t, "", "lint", "--apps", "--repo-root", monorepo, filepath.Join(monorepo, "apps", "plain"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no Argo CD Application or ApplicationSet found")
	// Applications, none of this checkout's revision.
	code, _, errOut = hookguard(t, "", "lint", "--apps", "--repo-root", monorepo, "--revision", "v9", monorepo)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "none with a source in this checkout")
}

// --shard splits the apps: every app in exactly one shard.
func TestLintAppsShards(t *testing.T) {
	var all []string
	for _, shard := range []string{"1/2", "2/2"} {
		code, out, errOut := hookguard(t, "", "lint", "--apps", "--repo-root", monorepo, "--shard", shard, "--fail-on", "none", "-o", "json", monorepo)
		require.Equal(t, 0, code, errOut)
		var rep struct{ Apps []struct{ App string } }
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		for _, a := range rep.Apps {
			assert.NotContains(t, all, a.App)
			all = append(all, a.App)
		}
	}
	slices.Sort(all)
	assert.Len(t, all, 19, "the shards together hold every app once")
}

func TestPlanApps(t *testing.T) {
	code, out, errOut := hookguard(t, "", "plan", "--apps", "--repo-root", monorepo, "-o", "mermaid", monorepo)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 19, strings.Count(out, "%% Application "), "one diagram per app")
	assert.Equal(t, 19, strings.Count(out, "flowchart TD"))
	code, out, _ = hookguard(t, "", "plan", "--apps", "--repo-root", monorepo, monorepo)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "Application argocd/shop-prod\n")
}

// Without --apps a walk renders the overlays, not their base's raw files.
func TestLintRendersOverlays(t *testing.T) {
	code, out, errOut := hookguard(t, "", "lint", "--repo-root", monorepo, "--fail-on", "none", "-o", "json", filepath.Join(monorepo, "apps", "shop"))
	require.Equal(t, 0, code, errOut)
	var rep struct {
		Findings []struct{ Resource struct{ Name string } }
		Summary  struct{ Objects int }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, 6, rep.Summary.Objects, "prod (2) and staging (3) overlays and the debug component (1), not the base again")
	var names []string
	for _, f := range rep.Findings {
		names = append(names, f.Resource.Name)
	}
	assert.Contains(t, names, "staging-shop-migrate", "the staging overlay's name, as Argo CD would apply it")
	assert.Contains(t, names, "shop-migrate", "the prod overlay keeps the base's name")
}

// An Application's syncOptions apply to its objects as Argo CD applies
// them: Replace=true lets a resource use generateName.
func TestLintAppsSyncOptions(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: report-\n")
	for _, name := range []string{"plain", "replace"} {
		opts := ""
		if name == "replace" {
			opts = "  syncPolicy:\n    syncOptions: [Replace=true]\n"
		}
		write("apps/"+name+".yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "+name+
			"\nspec:\n  source:\n    repoURL: https://example.com/r.git\n    path: app\n  destination:\n    namespace: x\n"+opts)
	}
	code, out, errOut := hookguard(t, "", "lint", "--apps", "--repo-root", dir, "-o", "json", dir)
	require.Equal(t, 1, code, errOut)
	var rep struct{ Findings []struct{ Rule, App string } }
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	var got []string
	for _, f := range rep.Findings {
		if f.Rule == "resource-generate-name" {
			got = append(got, f.App)
		}
	}
	assert.Equal(t, []string{"plain"}, got)
}

// An Application that does not render fails the run (exit 2) and is named;
// the others are still reported.
func TestLintAppsRenderError(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("broken/kustomization.yaml", "resources: [missing.yaml]\n")
	write("good/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n")
	for _, name := range []string{"broken", "good"} {
		write("apps/"+name+".yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: "+name+
			"\nspec:\n  source:\n    repoURL: https://example.com/r.git\n    path: "+name+"\n")
	}
	code, out, errOut := hookguard(t, "", "lint", "--apps", "--repo-root", dir, filepath.Join(dir, "apps"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "1 of 2 Applications did not render")
	assert.Contains(t, errOut, "application broken (")
	assert.Regexp(t, `broken\s+0\s+0\s+0\s+0\s+0\s+error: render failed`, out)
	assert.Regexp(t, `good\s+1\s+0`, out)
}

// A walk that renders several apps (the monorepo's overlays and charts)
// renders and lints them on every processor with the same report as on one.
func TestLintWalkIsDeterministic(t *testing.T) {
	prev := runtime.GOMAXPROCS(1)
	code1, one, _ := hookguard(t, "", "lint", "-o", "json", monorepo)
	runtime.GOMAXPROCS(4)
	code4, four, _ := hookguard(t, "", "lint", "-o", "json", monorepo)
	runtime.GOMAXPROCS(prev)
	require.Equal(t, code1, code4)
	require.Equal(t, one, four)
	require.Contains(t, one, "hook-image-unpinned")
}
