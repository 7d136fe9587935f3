package argocd

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/utils/kube"
	"github.com/argoproj/argo-cd/v3/cmpserver"
	"github.com/argoproj/argo-cd/v3/cmpserver/plugin"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/app/discovery"
	"github.com/argoproj/argo-cd/v3/util/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const (
	repoRoot = "../.."
	shared   = "../../../shared"
)

// server is Argo CD's real argocd-cmp-server, started once in this process
// with hookguard's plugin.yaml, and the plugin name Applications use.
var (
	pluginName string
	serverErr  error
)

func TestMain(m *testing.M) {
	code := func() int {
		tmp, err := os.MkdirTemp("", "hg-e2e-")
		if err != nil {
			panic(err)
		}
		defer os.RemoveAll(tmp)
		// The generate command finds hookguard on PATH, as in the sidecar image.
		bin := filepath.Join(tmp, "bin")
		out, err := exec.Command("go", "build", "-C", repoRoot, "-o", bin+"/hookguard", "./cmd/hookguard").CombinedOutput()
		if err != nil {
			serverErr = &buildError{string(out)}
			return m.Run()
		}
		sock := filepath.Join(tmp, "plugins")
		work := filepath.Join(tmp, "work")
		for _, d := range []string{sock, work} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				panic(err)
			}
		}
		os.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		os.Setenv("ARGOCD_PLUGINSOCKFILEPATH", sock)
		os.Setenv("ARGOCD_CMP_WORKDIR", work)

		cfg, err := plugin.ReadPluginConfig(repoRoot) // reads <dir>/plugin.yaml, as the sidecar does
		if err != nil {
			serverErr = err
			return m.Run()
		}
		if err := plugin.ValidatePluginConfig(*cfg); err != nil {
			serverErr = err
			return m.Run()
		}
		pluginName = cfg.Metadata.Name
		if cfg.Spec.Version != "" {
			pluginName += "-" + cfg.Spec.Version
		}
		srv, err := cmpserver.NewServer(plugin.CMPServerInitConstants{PluginConfig: *cfg})
		if err != nil {
			serverErr = err
			return m.Run()
		}
		go srv.Run()
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := os.Stat(cfg.Address()); err == nil {
				break
			}
			if time.Now().After(deadline) {
				serverErr = &buildError{"argocd-cmp-server did not create its socket " + cfg.Address()}
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		return m.Run()
	}()
	os.Exit(code)
}

type buildError struct{ msg string }

func (e *buildError) Error() string { return e.msg }

// app is an Application source: a repository and the path of the app in it,
// with the plugin's parameters and env as an Application spec holds them.
type app struct {
	repo, path string
	params     string // JSON of spec.source.plugin.parameters
	env        v1alpha1.Env
}

func copyRepo(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	}))
	return dst
}

// generate asks the plugin for manifests exactly as argocd-repo-server does
// (reposerver/repository/repository.go runConfigManagementPluginSidecars):
// the environment from newEnv and getPluginEnvs, the plugin chosen by name
// through discovery, the repository streamed as a tarball, the reply parsed
// with kube.SplitYAML.
func generate(t *testing.T, a app) ([]*unstructured.Unstructured, error) {
	t.Helper()
	require.NoError(t, serverErr)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // Argo CD's default deadline
	defer cancel()
	repoPath := copyRepo(t, a.repo)
	appPath := filepath.Join(repoPath, a.path)

	var params v1alpha1.ApplicationSourcePluginParameters
	if a.params != "" {
		require.NoError(t, json.Unmarshal([]byte(a.params), &params))
	}
	source := v1alpha1.ApplicationSourcePlugin{Name: pluginName, Env: a.env, Parameters: params}
	build := v1alpha1.Env{
		{Name: "ARGOCD_APP_NAME", Value: "demo"},
		{Name: "ARGOCD_APP_NAMESPACE", Value: "demo-ns"},
		{Name: "ARGOCD_APP_PROJECT_NAME", Value: "default"},
		{Name: "ARGOCD_APP_REVISION", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Name: "ARGOCD_APP_REVISION_SHORT", Value: "0123456"},
		{Name: "ARGOCD_APP_REVISION_SHORT_8", Value: "01234567"},
		{Name: "ARGOCD_APP_SOURCE_REPO_URL", Value: "https://git.example.com/demo.git"},
		{Name: "ARGOCD_APP_SOURCE_PATH", Value: a.path},
		{Name: "ARGOCD_APP_SOURCE_TARGET_REVISION", Value: "main"},
	}
	env := build.Environ()
	env = append(env, "KUBE_VERSION=1.34.0", "KUBE_API_VERSIONS=apps/v1,apps/v1/Deployment,batch/v1,v1")
	parsed := make(v1alpha1.Env, len(env))
	for i, kv := range env {
		e, err := v1alpha1.NewEnvEntry(kv)
		require.NoError(t, err)
		parsed[i] = e
	}
	for _, e := range source.Env {
		env = append(env, "ARGOCD_ENV_"+e.Name+"="+parsed.Envsubst(e.Value))
	}
	paramEnv, err := source.Parameters.Environ()
	require.NoError(t, err)
	env = append(env, paramEnv...)

	conn, client, err := discovery.DetectConfigManagementPlugin(ctx, appPath, repoPath, pluginName, env, nil)
	require.NoError(t, err)
	defer conn.Close()
	_, err = client.CheckPluginConfiguration(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	stream, err := client.GenerateManifest(ctx)
	require.NoError(t, err)
	require.NoError(t, cmp.SendRepoStream(ctx, appPath, repoPath, stream, env, nil))
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return nil, err
	}
	var objs []*unstructured.Unstructured
	for _, m := range resp.Manifests {
		o, err := kube.SplitYAML([]byte(m))
		require.NoError(t, err)
		objs = append(objs, o...)
	}
	return objs, nil
}

func needShared(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(shared, dir)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not here (it ships beside the repository in CI): %v", p, err)
	}
	return p
}

func ids(objs []*unstructured.Unstructured) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.GetKind()+" "+o.GetNamespace()+"/"+o.GetName()+o.GetGenerateName())
	}
	sort.Strings(out)
	return out
}

// The corpus apps, as in the product's TestGenerateCorpus: each renders
// through the real CMP server; the verdict of the default gate matches the
// product's golden file.
func TestCorpusThroughArgoCD(t *testing.T) {
	base := needShared(t, "corpus")
	golden, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "golden", "cmp-corpus.txt"))
	require.NoError(t, err)
	verdicts := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(golden)), "\n") {
		name, verdict, _ := strings.Cut(line, ": ")
		verdicts[name] = verdict
	}
	entries := map[string]string{
		"argoproj__argo-cd__test__e2e__testdata__hook-custom-health":                                "hook-custom-health",
		"redhat-na-ssa__demo-ai-gitops-catalog__components__cluster-configs__login__overlays__rhdp": "overlays/rhdp",
		"thoth-station__thoth-application__buildlog-parser__overlays__test":                         "overlays/test",
	}
	extra := map[string]string{
		"redhat-cop__helm-charts__charts__helper-status-checker": `{"name":"helm-set","map":{"enabled":"true","approver":"true"}}`,
	}
	n := 0
	for _, kind := range []string{"kustomize", "helm"} {
		dirs, err := os.ReadDir(filepath.Join(base, kind))
		require.NoError(t, err)
		for _, d := range dirs {
			name := kind + "/" + d.Name()
			path := entries[d.Name()]
			if path == "" {
				path = "."
			}
			params := []string{}
			if e := extra[d.Name()]; e != "" {
				params = append(params, e)
			}
			t.Run(name, func(t *testing.T) {
				a := app{repo: filepath.Join(base, kind, d.Name()), path: path, params: "[" + strings.Join(params, ",") + "]"}
				objs, err := generate(t, a)
				verdict := verdicts[name]
				require.NotEmpty(t, verdict, "no golden verdict for %s", name)
				if strings.Contains(verdict, "blocked") {
					require.Error(t, err)
					assert.Equal(t, codes.Unknown, status.Code(err))
					assert.Contains(t, err.Error(), "failed exit status 1")
					assert.Contains(t, err.Error(), "hookguard blocked this sync")
					// With the gate off (the admin allows it) the same app renders.
					t.Setenv("HOOKGUARD_ADMIN_MIN_GATE", "none")
					a.params = "[" + strings.Join(append(params, `{"name":"gate","string":"none"}`), ",") + "]"
					objs, err = generate(t, a)
				}
				require.NoError(t, err)
				count := strings.Fields(verdict)[0]
				assert.Equal(t, count, itoa(len(objs)), "objects through Argo CD: %v", ids(objs))
			})
			n++
		}
	}
	assert.Equal(t, 12, n)
}

func itoa(n int) string { return strconv.Itoa(n) }

// The design brief's examples: blocked by the named smoke test; with the gate
// off, five normalized Jobs reach Argo CD, each with its hook annotation.
func TestBriefThroughArgoCD(t *testing.T) {
	dir := needShared(t, "brief")
	_, err := generate(t, app{repo: dir, path: "."})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hook-named-without-before-hook-creation")

	// The Application cannot switch the gate off below the admin's minimum:
	// only the sidecar's own environment can (argocd-cmp-server passes it on).
	_, err = generate(t, app{repo: dir, path: ".", params: `[{"name":"gate","string":"none"}]`})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "hookguard blocked this sync")
	t.Setenv("HOOKGUARD_ADMIN_MIN_GATE", "none")

	objs, err := generate(t, app{repo: dir, path: ".", params: `[{"name":"gate","string":"none"}]`})
	require.NoError(t, err)
	require.Len(t, objs, 5)
	for _, o := range objs {
		assert.NotEmpty(t, o.GetAnnotations()["argocd.argoproj.io/hook"], o.GetName())
		deadline, found, err := unstructured.NestedInt64(o.Object, "spec", "activeDeadlineSeconds")
		require.NoError(t, err)
		assert.True(t, found, o.GetName())
		assert.Equal(t, int64(3600), deadline)
	}
}

// A blocked sync and a render error, as Argo CD reports them.
func TestFailuresThroughArgoCD(t *testing.T) {
	_, err := generate(t, app{repo: filepath.Join(repoRoot, "testdata", "examples"), path: "shop"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "`hookguard generate` failed exit status 1: hookguard blocked this sync")
	// Readable in the UI: paths from the repository root, never the
	// server's temporary copy; one finding a line; where the fixes are.
	assert.NotContains(t, err.Error(), "_cmp_server")
	assert.Regexp(t, `\nshop/risky-hooks\.yaml:\d+:\d+ error hook-[a-z-]+: `, err.Error())
	assert.Contains(t, err.Error(), "Fixes: run `hookguard lint shop` in the repository.")

	_, err = generate(t, app{repo: filepath.Join(repoRoot, "testdata", "cmp", "render-error"), path: "."})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "failed exit status 2")
	assert.Contains(t, err.Error(), "deployment.yaml")
	assert.NotContains(t, err.Error(), "_cmp_server")

	// Plugin env entries reach the plugin as ARGOCD_ENV_<name>; an empty one
	// is passed too (3.0+) and keeps the default.
	warn := filepath.Join(repoRoot, "testdata", "cmp", "warn")
	objs, err := generate(t, app{repo: warn, path: ".", env: v1alpha1.Env{{Name: "TEAM", Value: "$ARGOCD_APP_NAME"}, {Name: "HOOKGUARD_ALLOW_EMPTY", Value: ""}}})
	require.NoError(t, err)
	assert.Len(t, objs, 2)
	_, err = generate(t, app{repo: warn, path: ".", env: v1alpha1.Env{{Name: "HOOKGUARD_GATE", Value: "warning"}}})
	require.Error(t, err, "HOOKGUARD_GATE=warning in the plugin env raises the gate")
	assert.Contains(t, err.Error(), "hookguard blocked this sync")
}
