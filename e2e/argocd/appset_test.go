package argocd

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/applicationset/controllers/template"
	"github.com/argoproj/argo-cd/v3/applicationset/generators"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/git"
	log "github.com/sirupsen/logrus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/appset"
	"github.com/hookguard/hookguard/internal/manifest"
)

// fixtureRepoURL is the repoURL the fixtures' git generators name.
const fixtureRepoURL = "https://github.com/example/gitops.git"

// localRepos is Argo CD's services.Repos over a local git repository: files
// come from Argo CD's own git client (`git ls-files` with the generator's
// pattern, as GetGitFiles runs it), directories from the walk
// GetGitDirectories makes (reposerver/repository/utils.go,
// walkDirectoryTree, hidden directories skipped).
type localRepos struct {
	root   string
	client git.Client
}

func (l localRepos) GetFiles(ctx context.Context, _, _, _, pattern string, _ bool, _ *v1alpha1.SourceIntegrity) (map[string][]byte, error) {
	if pattern == "" {
		pattern = "."
	}
	files, err := l.client.LsFiles(ctx, pattern, false)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(l.root, f))
		if err != nil {
			return nil, err
		}
		out[f] = data
	}
	return out, nil
}

func (l localRepos) GetDirectories(context.Context, string, string, string, bool, *v1alpha1.SourceIntegrity) ([]string, error) {
	var paths []string
	err := filepath.WalkDir(l.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(l.root, path)
		if err != nil || rel == "." {
			return err
		}
		paths = append(paths, rel)
		return nil
	})
	return paths, err
}

func (localRepos) GetOciFiles(context.Context, string, string, string, string, bool) (map[string][]byte, error) {
	return nil, fmt.Errorf("no OCI in this test")
}

func (localRepos) GetOciDirectories(context.Context, string, string, string, bool) ([]string, error) {
	return nil, fmt.Errorf("no OCI in this test")
}

// checkout copies testdata/appset/repo into a new git repository.
func checkout(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(repoRoot, "testdata", "appset", "repo")
	require.NoError(t, os.CopyFS(dir, os.DirFS(src)))
	for _, args := range [][]string{
		{"init", "-q", "-b", "main"},
		{"add", "-A"},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "fixture"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
	}
	return dir
}

// argoGenerate runs Argo CD's controller code over appSet: its list, git,
// matrix and merge generators wired as GetGenerators wires them, the
// template package's GenerateApplications with utils.Render, and a fake
// cluster holding the default AppProject. Each Application comes back as
// the JSON the controller would create (with its apiVersion and kind).
func argoGenerate(t *testing.T, dir string, data []byte) ([]map[string]any, error) {
	t.Helper()
	var set v1alpha1.ApplicationSet
	require.NoError(t, yaml.Unmarshal(data, &set))
	gitClient, err := git.NewClientExt("file://"+dir, dir, git.NopCreds{}, true, false, "", "")
	require.NoError(t, err)
	repos := localRepos{root: dir, client: gitClient}
	terminal := map[string]generators.Generator{
		"List": generators.NewListGenerator(),
		"Git":  generators.NewGitGenerator(repos, "argocd"),
	}
	nested := map[string]generators.Generator{
		"List":   terminal["List"],
		"Git":    terminal["Git"],
		"Matrix": generators.NewMatrixGenerator(terminal),
		"Merge":  generators.NewMergeGenerator(terminal),
	}
	top := map[string]generators.Generator{
		"List":   terminal["List"],
		"Git":    terminal["Git"],
		"Matrix": generators.NewMatrixGenerator(nested),
		"Merge":  generators.NewMergeGenerator(nested),
	}
	scheme := runtime.NewScheme()
	require.NoError(t, v1alpha1.AddToScheme(scheme))
	project := &v1alpha1.AppProject{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: "argocd"}}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(project).Build()
	logger := log.New()
	logger.SetLevel(log.PanicLevel)
	apps, _, err := template.GenerateApplications(log.NewEntry(logger), set, top, &utils.Render{}, c)
	if err != nil {
		return nil, err
	}
	// The reconciler then refuses an Application with no name or the name
	// of another (applicationset_controller.go, validateGeneratedApplications,
	// lines 617-625), marking the ApplicationSet with the error.
	seen := map[string]bool{}
	for _, a := range apps {
		if a.Name == "" {
			return nil, fmt.Errorf("ApplicationSet %s contains an application with no name", set.Name)
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("ApplicationSet %s contains applications with duplicate name: %s", set.Name, a.Name)
		}
		seen[a.Name] = true
	}
	var out []map[string]any
	for _, a := range apps {
		a.APIVersion, a.Kind = "argoproj.io/v1alpha1", "Application"
		out = append(out, asJSON(t, a))
	}
	return out, nil
}

// ourGenerate runs appset.Expand on the ApplicationSet as manifest reads
// it. Its Applications come back as JSON, and as they read once through
// Argo CD's Application type, as the controller's client would send them
// (fields left empty omitted).
func ourGenerate(t *testing.T, dir, file string, data []byte) (raw, typed []map[string]any, notExpanded []string, err error) {
	t.Helper()
	objs, err := manifest.Loader{}.Parse(file, data)
	require.NoError(t, err)
	require.Len(t, objs, 1)
	apps, notExpanded, err := appset.Expander{RepoURLs: []string{fixtureRepoURL}}.Expand(dir, objs[0].Value())
	if err != nil {
		return nil, nil, notExpanded, err
	}
	for _, a := range apps {
		data, err := json.Marshal(a)
		require.NoError(t, err)
		var app v1alpha1.Application
		require.NoError(t, json.Unmarshal(data, &app), "%s", data)
		typed = append(typed, asJSON(t, app))
		raw = append(raw, asJSON(t, a))
	}
	return raw, typed, notExpanded, nil
}

func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	delete(m, "status") // an empty status the type always writes
	if md, ok := m["metadata"].(map[string]any); ok {
		delete(md, "creationTimestamp")
	}
	return m
}

func byName(apps []map[string]any) {
	sort.Slice(apps, func(i, j int) bool {
		return apps[i]["metadata"].(map[string]any)["name"].(string) < apps[j]["metadata"].(map[string]any)["name"].(string)
	})
}

// TestApplicationSetExpansionMatchesArgoCD feeds every ApplicationSet in
// testdata/appset to Argo CD's generators and renderer and to
// appset.Expand over the same checkout, and compares the Applications, or
// that both refuse the ApplicationSet (files named error-*).
func TestApplicationSetExpansionMatchesArgoCD(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "appset", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	dir := checkout(t)
	level := log.GetLevel()
	log.SetLevel(log.WarnLevel) // the generators log each git call at info
	defer log.SetLevel(level)
	compared := 0
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "not-expanded") {
			continue // generators Argo CD would run against a cluster or an API
		}
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			want, argoErr := argoGenerate(t, dir, data)
			raw, got, notExpanded, ourErr := ourGenerate(t, dir, f, data)
			assert.Empty(t, notExpanded)
			if strings.HasPrefix(name, "error-") {
				require.Error(t, argoErr, "Argo CD accepts the fixture")
				require.Error(t, ourErr, "Argo CD refuses it: %v", argoErr)
				t.Logf("Argo CD: %v\nhookguard: %v", argoErr, ourErr)
				return
			}
			require.NoError(t, argoErr)
			require.NoError(t, ourErr)
			require.NotEmpty(t, want, "the fixture generates no Application")
			byName(want)
			byName(got)
			byName(raw)
			assert.Equal(t, want, got)
			// Expand's own output, before the type drops anything, is
			// the same: no field a template left empty, none unknown.
			assert.Equal(t, want, raw, "as Expand returns them")
			compared += len(want)
		})
	}
	t.Logf("%d fixtures, %d Applications compared", len(files), compared)
}

// TestApplicationSetGitPathspecsMatchArgoCD sweeps git file generator
// patterns over the fixture checkout: Argo CD runs `git ls-files` with each,
// hookguard matches the walked files as git matches pathspecs.
func TestApplicationSetGitPathspecsMatchArgoCD(t *testing.T) {
	dir := checkout(t)
	level := log.GetLevel()
	log.SetLevel(log.WarnLevel)
	defer log.SetLevel(level)
	patterns := []string{
		"*", "*.yaml", "apps", "apps/", "apps/*", "apps/*/cm.yaml", "apps/team-?/*", "apps/[a-z]*/cm.yaml",
		"apps/[!t]*", "**/config.json", "clusters/**/config.json", "*/*/config.json", "clusters/staging",
		".hidden/*", "apps/team-a/api/cm.yaml", "[[:upper:]]*", "apps/[[:upper:]]*", `apps/\Excluded_App/*`,
		"nonexistent", "apps/team-[ab]/*/cm.yaml", "clusters/*/extra/*", "c*s/*.json", "./apps/guestbook",
		"apps/team-a/", "?pps/*/*.yaml", "apps/[^e]*", "clusters/[d-p]*/config.json",
	}
	for _, p := range patterns {
		data := []byte(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: sweep, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - git:
        repoURL: ` + fixtureRepoURL + `
        files: [{path: '` + p + `'}]
  template:
    metadata:
      name: '{{ .path.path | replace "/" "-" }}-{{ .path.filenameNormalized }}{{ dig "cluster" "name" "" . }}'
    spec:
      project: default
      source: {repoURL: x, targetRevision: HEAD, path: '{{ .path.path }}'}
      destination: {server: https://kubernetes.default.svc, namespace: x}
`)
		want, argoErr := argoGenerate(t, dir, data)
		raw, _, _, ourErr := ourGenerate(t, dir, "sweep.yaml", data)
		require.NoError(t, argoErr, p)
		require.NoError(t, ourErr, p)
		var wantNames, gotNames []string
		for _, a := range want {
			wantNames = append(wantNames, a["metadata"].(map[string]any)["name"].(string))
		}
		for _, a := range raw {
			gotNames = append(gotNames, a["metadata"].(map[string]any)["name"].(string))
		}
		sort.Strings(wantNames)
		sort.Strings(gotNames)
		assert.Equal(t, wantNames, gotNames, "pattern %q", p)
		t.Logf("%-30q %d Applications", p, len(wantNames))
	}
}
