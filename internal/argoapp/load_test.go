package argoapp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const monorepo = "../../testdata/monorepo"

func load(t *testing.T, opts Options) *Result {
	t.Helper()
	opts.RepoRoot = monorepo
	res, err := Load(context.Background(), monorepo, opts)
	require.NoError(t, err)
	return res
}

func ids(apps []*App) []string {
	var out []string
	for _, a := range apps {
		out = append(out, a.ID())
	}
	return out
}

func refs(a *App) []string {
	var out []string
	for _, o := range a.Objects {
		out = append(out, o.Ref().String())
	}
	return out
}

func app(t *testing.T, res *Result, id string) *App {
	t.Helper()
	for _, a := range res.Apps {
		if a.ID() == id {
			require.NoError(t, a.Err, id)
			return a
		}
	}
	t.Fatalf("no app %s in %v", id, ids(res.Apps))
	return nil
}

func object(t *testing.T, a *App, kind, name string) map[string]any {
	t.Helper()
	for _, o := range a.Objects {
		if o.Ref().Kind == kind && o.Ref().Name == name {
			return o.Value()
		}
	}
	t.Fatalf("%s has no %s %s: %v", a.ID(), kind, name, refs(a))
	return nil
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// The monorepo renders as Argo CD would render each Application.
func TestMonorepoApps(t *testing.T) {
	res := load(t, Options{})
	assert.Equal(t, []string{"argocd/cdk8s-app", "argocd/gated", "argocd/monitoring", "argocd/plain", "argocd/root",
		"argocd/shop-prod", "argocd/shop-staging", "argocd/web", "argocd/web-multi"}, ids(res.Apps),
		"monitoring is named as the Kustomize app of apps builds it (namespace argocd), once")
	assert.Len(t, res.Ignored, 2)
	assert.Contains(t, res.Ignored[0], "argocd/elsewhere")
	assert.Contains(t, res.Ignored[0], "not in the checkout")
	assert.Contains(t, res.Ignored[1], "chart ingress-nginx comes from the Helm repository")
	assert.Len(t, res.NotExpanded, 4, "no expander: every ApplicationSet is named")

	root := app(t, res, "argocd/root")
	assert.Len(t, root.Objects, 9, "the app of apps syncs the Application objects themselves")

	cdk := app(t, res, "argocd/cdk8s-app")
	assert.Empty(t, cdk.Objects)
	require.Len(t, cdk.Skipped, 1)
	assert.Contains(t, cdk.Skipped[0], "plugin cdk8s is not hookguard's")

	// Directory: recurse, include and exclude with Argo CD's globs ("*"
	// crosses "/"), the skip marker, and only manifest extensions.
	plain := app(t, res, "argocd/plain")
	assert.Equal(t, []string{"ConfigMap plain-config", "ConfigMap nested-matched-by-star", "Job plain-seed"}, refs(plain))
}

func TestKustomizeOptions(t *testing.T) {
	res := load(t, Options{})
	prod := app(t, res, "argocd/shop-prod")
	assert.Equal(t, []string{"Deployment shop-prod/prod-shop-v1", "Job shop-prod/prod-shop-migrate-v1", "ConfigMap shop-prod/prod-shop-debug-v1"}, refs(prod),
		"namePrefix, nameSuffix, namespace; the present component added, the missing one ignored")
	d := object(t, prod, "Deployment", "prod-shop-v1")
	assert.EqualValues(t, 5, get(d, "spec", "replicas"), "the Application's patch")
	assert.Equal(t, "shop", get(d, "metadata", "labels", "team"))
	assert.Equal(t, "shop-team", get(d, "metadata", "annotations", "owner"))
	containers := get(d, "spec", "template", "spec", "containers").([]any)
	assert.Equal(t, "registry.example.com/shop:main", get(containers[0], "image"), "images, with ${ARGOCD_APP_REVISION}")
	assert.Equal(t, []string{"Replace=true", "CreateNamespace=true"}, prod.SyncOptions)
	// The objects keep the file a person edits.
	for _, o := range prod.Objects {
		assert.NotContains(t, o.File, "kustomization.yaml", o.Ref().String())
	}

	staging := app(t, res, "argocd/shop-staging")
	assert.Equal(t, []string{"Deployment staging-shop", "Job staging-shop-migrate", "Job staging-shop-smoke-test"}, refs(staging),
		"the second overlay of the same base")
}

func TestHelmOptions(t *testing.T) {
	res := load(t, Options{})
	web := app(t, res, "argocd/web")
	assert.Equal(t, []string{"ConfigMap web/web-release-config", "Job web-release-db-init"}, refs(web),
		"releaseName, the destination namespace, skipCrds")
	data := get(object(t, web, "ConfigMap", "web-release-config"), "data")
	assert.Equal(t, map[string]any{
		"greeting": "from-values", // inline values after values-prod.yaml
		"replicas": "2",
		"tag":      "1.2.3",   // parameters
		"port":     "8080",    // forceString
		"portType": "string",  // --set-string
		"banner":   "welcome", // fileParameters
	}, data)

	multi := app(t, res, "argocd/web-multi")
	assert.Equal(t, []string{"CustomResourceDefinition widgets.example.com", "ConfigMap web-multi/web-multi-config", "Job web-multi-db-init"}, refs(multi),
		"release named after the Application; CRDs included")
	data = get(object(t, multi, "ConfigMap", "web-multi-config"), "data")
	assert.Equal(t, "from-values-object", get(data, "greeting"), "valuesObject after the $values file")
	assert.Equal(t, "4", get(data, "replicas"), "$values/envs/prod/values.yaml from the ref source")
	assert.Equal(t, "9.9.9", get(data, "tag"))
}

// A hookguard plugin source renders as the sidecar would: normalized.
func TestHookguardPluginSource(t *testing.T) {
	res := load(t, Options{})
	gated := app(t, res, "argocd/gated")
	job := object(t, gated, "Job", "gated-migrate")
	assert.Equal(t, "PreSync", get(job, "metadata", "annotations", "argocd.argoproj.io/hook"), "fix-spelling")
	assert.EqualValues(t, 2, get(job, "spec", "backoffLimit"), "the Application's default-backoff-limit parameter")
}

// fakeExpander stands in for internal/appset: it expands "teams" into one
// Application per directory and names the cluster generator of the other.
func fakeExpander(_ string, set map[string]any) ([]map[string]any, []string, error) {
	switch get(set, "metadata", "name") {
	case "shop-envs":
		return nil, []string{"clusters generator is not expanded"}, nil
	case "teams":
	default:
		return nil, nil, nil
	}
	var out []map[string]any
	for _, team := range []string{"alpha", "beta"} {
		out = append(out, map[string]any{
			"apiVersion": APIVersion, "kind": KindApplication,
			"metadata": map[string]any{"name": "team-" + team, "namespace": "argocd"},
			"spec": map[string]any{
				"source":      map[string]any{"repoURL": "https://github.com/example/platform", "targetRevision": "main", "path": "apps/teams/" + team},
				"destination": map[string]any{"namespace": "team-" + team},
			},
		})
	}
	return out, nil, nil
}

func TestApplicationSetHook(t *testing.T) {
	res := load(t, Options{ExpandAppSet: fakeExpander})
	assert.Subset(t, ids(res.Apps), []string{"argocd/team-alpha", "argocd/team-beta"})
	a := app(t, res, "argocd/team-beta")
	assert.Equal(t, "ApplicationSet teams", a.From)
	assert.Equal(t, []string{"ConfigMap team-beta"}, refs(a))
	assert.Equal(t, []string{"ApplicationSet shop-envs: clusters generator is not expanded"}, res.NotExpanded)
}

func TestSelection(t *testing.T) {
	all := ids(load(t, Options{}).Apps)
	byURL := ids(load(t, Options{RepoURL: "git@github.com:Example/platform"}).Apps)
	assert.Equal(t, all, byURL, "the same repository by another spelling of its URL")

	other := load(t, Options{RepoURL: "https://github.com/example/other.git"})
	assert.Equal(t, []string{"argocd/elsewhere"}, ids(other.Apps))
	assert.Error(t, other.Apps[0].Err, "its path is not in this checkout")

	res := load(t, Options{Revision: "v2"})
	assert.Empty(t, res.Apps, "every source targets main")
	assert.Contains(t, strings.Join(res.Ignored, "\n"), "targetRevision main is not --revision v2")
}

// Shards split the apps: disjoint, complete, and the same on every run.
func TestShards(t *testing.T) {
	all := ids(load(t, Options{}).Apps)
	var union []string
	for i := range 3 {
		part := ids(load(t, Options{Shard: i, Shards: 3}).Apps)
		assert.Equal(t, part, ids(load(t, Options{Shard: i, Shards: 3, Workers: 1}).Apps), "deterministic")
		for _, id := range part {
			assert.NotContains(t, union, id, "shard %d", i)
		}
		union = append(union, part...)
	}
	slices.Sort(union)
	assert.Equal(t, all, union)
}

// Rendering in parallel gives the same apps and objects, in the same order.
func TestParallelIsDeterministic(t *testing.T) {
	dump := func(workers int) string {
		var b strings.Builder
		for _, a := range load(t, Options{Workers: workers}).Apps {
			fmt.Fprintln(&b, a.ID(), refs(a))
		}
		return b.String()
	}
	assert.Equal(t, dump(1), dump(4))
}

func TestNoApplications(t *testing.T) {
	_, err := Load(context.Background(), monorepo+"/apps/plain", Options{RepoRoot: monorepo})
	assert.ErrorIs(t, err, ErrNoApps)
}
