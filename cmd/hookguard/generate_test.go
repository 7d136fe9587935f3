package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// These tests run `hookguard generate` as argocd-cmp-server does: the built
// binary, in a fresh copy of the repository, in the app's directory, with the
// environment repo-server sends.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func builtBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hookguard-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "hookguard")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

// param is one element of ARGOCD_APP_PARAMETERS.
type param struct {
	Name   string            `json:"name"`
	String *string           `json:"string,omitempty"`
	Array  []string          `json:"array,omitempty"`
	Map    map[string]string `json:"map,omitempty"`
}

func str(name, v string) param { return param{Name: name, String: &v} }

// cmpApp is an app inside a repository: the repository is copied whole, the
// command runs in repo/path.
type cmpApp struct {
	repo, path string
	params     []param
	// admin is the sidecar's own environment (HOOKGUARD_ADMIN_*).
	admin []string
}

// gateOff lets an Application switch the gate off: only the admin can.
var gateOff = []string{"HOOKGUARD_ADMIN_MIN_GATE=none"}

func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "repo")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if d.Type()&fs.ModeSymlink != 0 { // kept as a link, as a hostile repository would ship it
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644) // Argo CD resets file modes too
	})
	require.NoError(t, err)
	return dst
}

func runGenerate(t *testing.T, app cmpApp) (code int, stdout, stderr string) {
	t.Helper()
	return runGenerateWith(t, app, nil)
}

// runGenerateWith is runGenerate, handing the child's resource usage to usage.
func runGenerateWith(t *testing.T, app cmpApp, usage func(*syscall.Rusage)) (code int, stdout, stderr string) {
	t.Helper()
	repo := copyTree(t, app.repo)
	params, err := json.Marshal(app.params)
	require.NoError(t, err)
	if app.params == nil {
		params = []byte("[]")
	}
	cmd := exec.Command(builtBinary(t), "generate")
	cmd.Dir = filepath.Join(repo, app.path)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
		"ARGOCD_APP_NAME=demo", "ARGOCD_APP_NAMESPACE=demo-ns", "ARGOCD_APP_PROJECT_NAME=default",
		"ARGOCD_APP_SOURCE_PATH=" + app.path, "ARGOCD_APP_REVISION=0123456789abcdef",
		"KUBE_VERSION=1.34.0", "KUBE_API_VERSIONS=v1,apps/v1,batch/v1,apps/v1/Deployment",
		"ARGOCD_APP_PARAMETERS=" + string(params),
	}
	cmd.Env = append(cmd.Env, app.admin...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if usage != nil && cmd.ProcessState != nil {
		if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			usage(u)
		}
	}
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, out.String(), errOut.String()
}

func TestGenerateBlocksOnErrors(t *testing.T) {
	code, out, errOut := runGenerate(t, cmpApp{repo: filepath.Join(repoRoot, "testdata", "examples"), path: "shop"})
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out, "a blocked sync prints nothing on stdout")
	assert.True(t, strings.HasPrefix(errOut, "hookguard blocked this sync"), errOut)
	assert.Contains(t, errOut, "hook-dependency-order")
	assert.Contains(t, errOut, "hookguard: done in ")
}

func TestGenerateWarnsAndEmits(t *testing.T) {
	app := cmpApp{repo: filepath.Join(repoRoot, "testdata", "cmp", "warn"), path: "."}
	code, out, errOut := runGenerate(t, app)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "hook-image-unpinned")
	assert.Contains(t, errOut, `hookguard: Job smoke: hook-delete-policy "BeforeHookCreation" (Argo CD's default, made explicit)`)
	objs, err := manifest.Loader{}.Parse("stdout", []byte(out))
	require.NoError(t, err)
	require.Len(t, objs, 2)
	ann, _ := objs[1].Annotations()
	assert.Equal(t, "BeforeHookCreation", ann[hooks.AnnotationHookDeletePolicy])
	assert.Contains(t, out, "backoffLimit: 3")
	assert.Contains(t, out, "activeDeadlineSeconds: 3600")

	// Deterministic: the same input gives byte-identical output.
	_, out2, _ := runGenerate(t, app)
	assert.Equal(t, out, out2)

	// Raising the gate to warning blocks the same app.
	app.params = []param{str("gate", "warning")}
	code, out, _ = runGenerate(t, app)
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out)
}

func TestGenerateRenderErrors(t *testing.T) {
	cases := map[string]string{
		"render-error": "deployment.yaml",
		"remote-base":  "remote bases are off by default",
		"empty":        "rendered no object",
	}
	for dir, want := range cases {
		t.Run(dir, func(t *testing.T) {
			code, out, errOut := runGenerate(t, cmpApp{repo: filepath.Join(repoRoot, "testdata", "cmp", dir), path: "."})
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out, "a failed render prints nothing on stdout (Argo CD would prune the app)")
			assert.Contains(t, errOut, want)
		})
	}
	t.Run("allow-empty", func(t *testing.T) {
		code, out, errOut := runGenerate(t, cmpApp{repo: filepath.Join(repoRoot, "testdata", "cmp", "empty"), path: ".", params: []param{str("allow-empty", "true")}})
		assert.Equal(t, exitOK, code, errOut)
		assert.Empty(t, out)
	})
	t.Run("unknown parameter", func(t *testing.T) {
		code, out, errOut := runGenerate(t, cmpApp{repo: filepath.Join(repoRoot, "testdata", "cmp", "warn"), path: ".", params: []param{str("gates", "error")}})
		assert.Equal(t, exitUsage, code)
		assert.Empty(t, out)
		assert.Contains(t, errOut, `unknown parameter "gates"`)
	})
}

// The design brief's examples: the named smoke test deleted only on success
// blocks the sync; with the gate off the five Jobs come out normalized.
func TestGenerateBrief(t *testing.T) {
	dir := needShared(t, "brief")
	code, out, errOut := runGenerate(t, cmpApp{repo: dir, path: "."})
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "hook-named-without-before-hook-creation")
	assert.Contains(t, errOut, "smoke-test")

	// gate none is looser than the shipped admin minimum: still blocked.
	code, out, errOut = runGenerate(t, cmpApp{repo: dir, path: ".", params: []param{str("gate", "none")}})
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "gate none is looser than the admin's minimum error: gating at error")

	code, out, errOut = runGenerate(t, cmpApp{repo: dir, path: ".", params: []param{str("gate", "none")}, admin: gateOff})
	require.Equal(t, exitOK, code, errOut)
	objs, err := manifest.Loader{}.Parse("stdout", []byte(out))
	require.NoError(t, err)
	assert.Len(t, objs, 5)
	assert.Equal(t, 5, strings.Count(out, "activeDeadlineSeconds: 3600"))
	assert.Equal(t, 5, strings.Count(out, "backoffLimit:"), "every hook Job has a backoffLimit")
	assert.Contains(t, out, "backoffLimit: 1\n", "set values are kept")
}

// corpusApps are the real apps of ../shared/corpus with their entry points.
func corpusApps(t *testing.T) map[string]cmpApp {
	t.Helper()
	base := needShared(t, "corpus")
	entries := map[string]string{
		"argoproj__argo-cd__test__e2e__testdata__hook-custom-health":                                "hook-custom-health",
		"redhat-na-ssa__demo-ai-gitops-catalog__components__cluster-configs__login__overlays__rhdp": "overlays/rhdp",
		"thoth-station__thoth-application__buildlog-parser__overlays__test":                         "overlays/test",
	}
	helmParams := map[string][]param{
		"redhat-cop__helm-charts__charts__helper-status-checker": {{Name: "helm-set", Map: map[string]string{"enabled": "true", "approver": "true"}}},
	}
	apps := map[string]cmpApp{}
	for _, kind := range []string{"kustomize", "helm"} {
		dirs, err := os.ReadDir(filepath.Join(base, kind))
		require.NoError(t, err)
		for _, d := range dirs {
			path := entries[d.Name()]
			if path == "" {
				path = "."
			}
			apps[kind+"/"+d.Name()] = cmpApp{repo: filepath.Join(base, kind, d.Name()), path: path, params: helmParams[d.Name()]}
		}
	}
	require.Len(t, apps, 12)
	return apps
}

// identity and hook annotations of rendered objects, for comparison.
type renderedObject struct {
	id    string
	hooks map[string]string
	facts hooks.Facts
}

func parseObjects(t *testing.T, name, text string) map[string]renderedObject {
	t.Helper()
	objs, err := manifest.Loader{}.Parse(name, []byte(text))
	require.NoError(t, err)
	out := map[string]renderedObject{}
	for _, o := range objs {
		r := o.Ref()
		id := fmt.Sprintf("%s %s %s/%s%s", r.APIVersion, r.Kind, r.Namespace, r.Name, r.GenerateName)
		ann, notString := o.Annotations()
		h := map[string]string{}
		for k, v := range ann {
			if strings.HasPrefix(k, "argocd.argoproj.io/") || strings.HasPrefix(k, "helm.sh/hook") {
				h[k] = v
			}
		}
		require.NotContains(t, out, id, "duplicate object %s", id)
		out[id] = renderedObject{id: id, hooks: h, facts: hooks.Analyze(ann, manifest.Readable(notString), hooks.Latest)}
	}
	return out
}

// reference renders an app with the tools Argo CD would run: kustomize build
// or helm template, when they are installed (.ci/run installs them).
func reference(t *testing.T, app cmpApp) (string, bool) {
	t.Helper()
	dir := filepath.Join(app.repo, app.path)
	var cmd *exec.Cmd
	if _, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err == nil {
		helm, err := exec.LookPath("helm")
		if err != nil {
			return "", false
		}
		args := append([]string{"template", "demo", dir, "--include-crds", "--namespace", "demo-ns", "--kube-version", "1.34.0",
			"--api-versions", "apps/v1/Deployment"}, setArgs(app.params)...)
		cmd = exec.Command(helm, args...)
		cmd.Env = append(os.Environ(), "HELM_CONFIG_HOME="+t.TempDir(), "HELM_CACHE_HOME="+t.TempDir(), "HELM_DATA_HOME="+t.TempDir())
	} else {
		kustomize, err := exec.LookPath("kustomize")
		if err != nil {
			return "", false
		}
		cmd = exec.Command(kustomize, "build", dir)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), errOut.String())
	return out.String(), true
}

// Every corpus app renders through generate with the same objects and hook
// annotations as the reference renderer (normalization off), and with the
// same Argo CD behaviour per object (normalization on); the default gate's
// verdict per app is pinned in a golden file.
func TestGenerateCorpus(t *testing.T) {
	apps := corpusApps(t)
	names := make([]string, 0, len(apps))
	for n := range apps {
		names = append(names, n)
	}
	sort.Strings(names)
	var verdicts strings.Builder
	refMissing, compared := false, 0
	for _, name := range names {
		app := apps[name]
		t.Run(name, func(t *testing.T) {
			off := app
			off.params = append(append([]param{}, app.params...), str("gate", "none"), str("normalize", "false"))
			off.admin = gateOff
			code, raw, errOut := runGenerate(t, off)
			require.Equal(t, exitOK, code, errOut)
			got := parseObjects(t, "generate", raw)
			require.NotEmpty(t, got)

			on := app
			on.params = append(append([]param{}, app.params...), str("gate", "none"))
			on.admin = gateOff
			code, normalized, errOut := runGenerate(t, on)
			require.Equal(t, exitOK, code, errOut)
			norm := parseObjects(t, "generate", normalized)

			// Normalization changes no object's Argo CD behaviour; it only
			// removes objects Argo CD would drop anyway.
			for id, o := range got {
				n, kept := norm[id]
				if !kept {
					assert.Equal(t, hooks.RoleDropped, o.facts.Role, "%s removed but Argo CD would apply it", id)
					continue
				}
				assert.Equal(t, o.facts.Role, n.facts.Role, id)
				assert.Equal(t, o.facts.Phases, n.facts.Phases, id)
				assert.Equal(t, o.facts.Wave, n.facts.Wave, id)
				assert.Equal(t, o.facts.DeleteTypes, n.facts.DeleteTypes, id)
				assert.ElementsMatch(t, dedupe(o.facts.DeletePolicies), dedupe(n.facts.DeletePolicies), id)
			}
			assert.Subset(t, keys(got), keys(norm))

			if ref, ok := reference(t, app); ok {
				want := parseObjects(t, "reference", ref)
				assert.ElementsMatch(t, keys(want), keys(got), "same objects as the reference renderer")
				for id, w := range want {
					assert.Equal(t, w.hooks, got[id].hooks, "hook annotations of %s", id)
				}
				compared++
			} else {
				refMissing = true
			}

			code, _, errOut = runGenerate(t, app)
			verdict := "syncs"
			if code == exitFindings {
				verdict = "blocked: " + strings.Join(blockingRules(errOut), ", ")
			} else {
				require.Equal(t, exitOK, code, errOut)
			}
			fmt.Fprintf(&verdicts, "%s: %d objects, %s\n", name, len(norm), verdict)
		})
	}
	if refMissing {
		t.Log("kustomize or helm is not on PATH: the reference comparison was skipped for some apps (.ci/run installs both)")
	}
	t.Logf("%d of %d apps compared with the reference renderer", compared, len(names))
	golden(t, "cmp-corpus.txt", verdicts.String())
}

func dedupe(ps []hooks.DeletePolicy) []hooks.DeletePolicy {
	var out []hooks.DeletePolicy
	for _, p := range ps {
		if !contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func contains[T comparable](s []T, x T) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

func keys(m map[string]renderedObject) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// blockingRules are the error rules named in a blocked report.
func blockingRules(report string) []string {
	var out []string
	for _, line := range strings.Split(report, "\n") {
		f := strings.Fields(line)
		// "file:line:col error rule: message"
		if len(f) >= 3 && f[1] == "error" && !contains(out, strings.TrimSuffix(f[2], ":")) {
			out = append(out, strings.TrimSuffix(f[2], ":"))
		}
	}
	sort.Strings(out)
	return out
}

// setArgs turns map parameters (helm-set) into --set flags, in key order.
func setArgs(params []param) []string {
	var args []string
	for _, p := range params {
		keys := make([]string, 0, len(p.Map))
		for k := range p.Map {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			args = append(args, "--set", k+"="+p.Map[k])
		}
	}
	return args
}
