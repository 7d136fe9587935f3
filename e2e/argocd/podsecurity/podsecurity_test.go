// Package podsecurity checks the sidecar install (deploy/) with Kubernetes'
// own Pod Security Admission code (k8s.io/pod-security-admission/policy),
// applied to argo-cd v3.6.1's own argocd-repo-server Deployment, so a
// namespace that enforces the "restricted" profile admits the pod.
package podsecurity

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

const deployDir = "../../../deploy"

// restricted is the profile at the newest Kubernetes version the policy
// package knows.
var restricted = api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}

func TestSidecarPassesRestricted(t *testing.T) {
	dep := installed(t)
	require.Len(t, dep.Spec.Template.Spec.Containers, 2, "the repo-server container and the hookguard sidecar")
	result := evaluate(t, dep.Spec.Template)
	assert.True(t, result.Allowed, "restricted forbids the pod: %s: %s", result.ForbiddenReason(), result.ForbiddenDetail())
}

// The evaluator does look at the sidecar: each hardening field taken away
// from it alone makes the pod forbidden, naming the container.
func TestRestrictedChecksTheSidecar(t *testing.T) {
	for name, weaken := range map[string]func(*corev1.SecurityContext){
		"seccompProfile":           func(sc *corev1.SecurityContext) { sc.SeccompProfile = nil },
		"allowPrivilegeEscalation": func(sc *corev1.SecurityContext) { sc.AllowPrivilegeEscalation = nil },
		"capabilities":             func(sc *corev1.SecurityContext) { sc.Capabilities = nil },
		"runAsNonRoot":             func(sc *corev1.SecurityContext) { sc.RunAsNonRoot = nil },
	} {
		t.Run(name, func(t *testing.T) {
			dep := installed(t)
			found := false
			for i := range dep.Spec.Template.Spec.Containers {
				if c := &dep.Spec.Template.Spec.Containers[i]; c.Name == "hookguard" {
					require.NotNil(t, c.SecurityContext)
					weaken(c.SecurityContext)
					found = true
				}
			}
			require.True(t, found, "the sidecar is named hookguard")
			result := evaluate(t, dep.Spec.Template)
			assert.False(t, result.Allowed, "restricted should forbid a sidecar without %s", name)
			assert.Contains(t, result.ForbiddenDetail(), `"hookguard"`)
		})
	}
}

func evaluate(t *testing.T, tmpl corev1.PodTemplateSpec) policy.AggregateCheckResult {
	t.Helper()
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	require.NoError(t, err)
	return policy.AggregateCheckResults(evaluator.EvaluatePod(restricted, &tmpl.ObjectMeta, &tmpl.Spec))
}

// installed builds deploy/ as a component over argo-cd v3.6.1's
// argocd-repo-server Deployment, as the README's install kustomization does.
func installed(t *testing.T) appsv1.Deployment {
	t.Helper()
	dir := t.TempDir()
	upstream := filepath.Join(moduleDir(t, "github.com/argoproj/argo-cd/v3"), "manifests", "base", "repo-server", "argocd-repo-server-deployment.yaml")
	copyFile(t, upstream, filepath.Join(dir, "upstream", "deployment.yaml"))
	entries, err := os.ReadDir(deployDir)
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") {
			copyFile(t, filepath.Join(deployDir, e.Name()), filepath.Join(dir, "deploy", e.Name()))
		}
	}
	kustomization := "resources: [upstream/deployment.yaml]\ncomponents: [deploy]\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(kustomization), 0o644))
	resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	require.NoError(t, err)
	require.Equal(t, 1, resMap.Size(), "one Deployment")
	out, err := resMap.AsYaml()
	require.NoError(t, err)
	var dep appsv1.Deployment
	require.NoError(t, yaml.UnmarshalStrict(out, &dep))
	require.Equal(t, "argocd-repo-server", dep.Name)
	return dep
}

func moduleDir(t *testing.T, module string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	require.NoError(t, err, "go list -m %s", module)
	dir := strings.TrimSpace(string(out))
	require.NotEmpty(t, dir, "%s is not in the module cache (go mod download)", module)
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, data, 0o644))
}
