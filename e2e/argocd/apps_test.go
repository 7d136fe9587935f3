package argocd

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/reposerver/apiclient"
	"github.com/argoproj/argo-cd/v3/reposerver/repository"
	"github.com/argoproj/argo-cd/v3/util/git"
	argoglob "github.com/argoproj/argo-cd/v3/util/glob"
	utilio "github.com/argoproj/argo-cd/v3/util/io"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/argoapp"
	"github.com/hookguard/hookguard/internal/render"
)

// Directory apps' include and exclude globs match as argo-cd util/glob.Match does.
func TestDirectoryGlobsMatchArgoCD(t *testing.T) {
	patterns := []string{"*.yaml", "{*.yaml,*.yml}", "jobs/*.yaml", "jobs/skip-*", "*/*.json", "**/*.yaml", "[a-c]*.yaml",
		"!x.yaml", "config?.yaml", "{a,b}/**", "*", "", "[", "a\\*.yaml", "jobs/{seed,skip}.yaml"}
	paths := []string{"a.yaml", "b.yml", "jobs/seed.yaml", "jobs/deeper/nested.yaml", "jobs/skip-me.yaml", "x/y.json",
		"config1.yaml", "config10.yaml", "a/b/c.yaml", "c.yaml", "a*.yaml", "x.yaml", ".hidden.yaml"}
	n := 0
	for _, p := range patterns {
		for _, path := range paths {
			n++
			assert.Equal(t, argoglob.Match(p, path), render.GlobMatch(p, path), "pattern %q path %q", p, path)
		}
	}
	t.Logf("%d pattern/path pairs agree", n)
}

// Every Application of testdata/monorepo whose sources are directory,
// Kustomize or Helm renders to the same objects as Argo CD's repo-server
// (reposerver/repository.GenerateManifests, with the kustomize and helm
// binaries it runs) renders for the same Application.
func TestMonorepoRendersLikeRepoServer(t *testing.T) {
	needBinaries(t)
	fixture, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "monorepo"))
	require.NoError(t, err)
	res, err := argoapp.Load(context.Background(), fixture, argoapp.Options{RepoRoot: fixture})
	require.NoError(t, err)
	ours := map[string]*argoapp.App{}
	for _, a := range res.Apps {
		ours[a.ID()] = a
	}

	compared := 0
	for _, app := range readApplications(t, fixture) {
		sources := app.Spec.GetSources()
		if sources[0].Plugin != nil || sources[0].Chart != "" || !strings.Contains(sources[0].RepoURL, "example/platform") {
			continue
		}
		id := app.Namespace + "/" + app.Name
		a := ours[id]
		require.NotNil(t, a, id)
		require.NoError(t, a.Err, id)
		t.Run(app.Name, func(t *testing.T) {
			want := repoServer(t, fixture, app)
			var got []string
			for _, o := range a.Objects {
				got = append(got, canonical(t, o.Value()))
			}
			sort.Strings(got)
			assert.Equal(t, want, got)
			t.Logf("%d objects agree", len(got))
		})
		compared++
	}
	assert.GreaterOrEqual(t, compared, 7, "root, monitoring, plain, shop-prod, shop-staging, web, web-multi")
}

// needBinaries skips unless the kustomize and helm binaries Argo CD's
// repo-server runs are on PATH.
func needBinaries(t *testing.T) {
	for _, bin := range []string{"kustomize", "helm"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s is not on PATH (Argo CD's repo-server runs it): %v", bin, err)
		}
	}
}

// readApplications decodes the fixture's Applications with Argo CD's own types.
func readApplications(t *testing.T, fixture string) []v1alpha1.Application {
	var apps []v1alpha1.Application
	err := filepath.WalkDir(filepath.Join(fixture, "argocd"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, doc := range strings.Split(string(data), "\n---\n") {
			var app v1alpha1.Application
			if err := yaml.Unmarshal([]byte(doc), &app); err != nil {
				return err
			}
			if app.Kind != "Application" {
				continue
			}
			if app.Namespace == "" {
				app.Namespace = "argocd" // the platform kustomization's namespace
			}
			apps = append(apps, app)
		}
		return nil
	})
	require.NoError(t, err)
	return apps
}

// repoServer renders an Application's sources with GenerateManifests in a
// fresh copy of the checkout (kustomize edits write to it, as in the
// repo-server's own working copy).
func repoServer(t *testing.T, fixture string, app v1alpha1.Application) []string {
	out, err := repoServerErr(t, fixture, app)
	require.NoError(t, err)
	return out
}

// repoServerErr is repoServer, returning Argo CD's error.
func repoServerErr(t *testing.T, fixture string, app v1alpha1.Application) ([]string, error) {
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS(fixture)))
	sources := app.Spec.GetSources()
	refs := map[string]*v1alpha1.RefTarget{}
	paths := utilio.NewRandomizedTempPaths(t.TempDir())
	for _, s := range sources {
		paths.Add(git.NormalizeGitURL(s.RepoURL), root)
		if s.Ref != "" {
			refs["$"+s.Ref] = &v1alpha1.RefTarget{Repo: v1alpha1.Repository{Repo: s.RepoURL}, TargetRevision: s.TargetRevision}
		}
	}
	var out []string
	for _, s := range sources {
		if s.Ref != "" && s.Path == "" {
			continue
		}
		src := s
		q := &apiclient.ManifestRequest{
			Repo: &v1alpha1.Repository{Repo: src.RepoURL}, Revision: src.TargetRevision, AppName: app.Name,
			Namespace: app.Spec.Destination.Namespace, ApplicationSource: &src, ProjectName: app.Spec.Project,
			HasMultipleSources: len(app.Spec.Sources) > 0, RefSources: refs,
		}
		resp, err := repository.GenerateManifests(context.Background(), filepath.Join(root, src.Path), root, src.TargetRevision, q, true, nil, resource.MustParse("100M"), paths)
		if err != nil {
			return nil, err
		}
		for _, m := range resp.Manifests {
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(m), &v))
			out = append(out, canonical(t, v))
		}
	}
	sort.Strings(out)
	return out, nil
}

// canonical is an object as sorted JSON, numbers as JSON reads them.
func canonical(t *testing.T, v map[string]any) string {
	data, err := json.Marshal(v)
	require.NoError(t, err)
	var back any
	require.NoError(t, json.Unmarshal(data, &back))
	data, err = json.Marshal(back)
	require.NoError(t, err)
	return string(data)
}
