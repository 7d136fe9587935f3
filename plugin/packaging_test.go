package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/hookguard/hookguard/internal/render"
)

const repo = ".."

func readPluginYAML(t *testing.T) *PluginConfig {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "plugin.yaml"))
	require.NoError(t, err)
	cfg, err := ReadPluginConfig(data)
	require.NoError(t, err)
	require.NoError(t, cfg.Validate())
	return cfg
}

// plugin.yaml: the contract of argo-cd's cmpserver/plugin/config.go, and
// announcements equal to what Generate reads.
func TestPluginYAML(t *testing.T) {
	cfg := readPluginYAML(t)
	assert.Equal(t, "hookguard", cfg.Metadata.Name)
	assert.NotEmpty(t, cfg.Spec.Version)
	assert.Equal(t, []string{"hookguard", "generate"}, cfg.Spec.Generate.Command)
	assert.Empty(t, cfg.Spec.Discover.FileName, "a named plugin with a discover rule fails where it does not match")
	assert.Equal(t, Parameters, cfg.Spec.Parameters.Static, "plugin.yaml announces exactly the parameters Generate reads")
	for _, p := range Parameters {
		assert.Contains(t, []string{"string", "array", "map"}, p.CollectionType, p.Name)
		assert.NotEmpty(t, p.Title, p.Name)
		assert.NotEmpty(t, p.Tooltip, p.Name)
	}
}

// The Dockerfile's key lines: a static binary named as plugin.yaml calls
// it, its version set where internal/buildinfo reads it, plugin.yaml where
// argocd-cmp-server reads it, UID 999 with a passwd entry.
func TestDockerfile(t *testing.T) {
	text := readDockerfile(t)
	cfg := readPluginYAML(t)
	final := finalStage(t, text)
	assert.Regexp(t, `CGO_ENABLED=0 [^\n]*go build[^\n]*-o /out/hookguard \./cmd/hookguard`, text)
	// -X on main.version would be silently ignored: main's version is
	// computed at init from internal/buildinfo.
	assert.Contains(t, text, `-X github.com/hookguard/hookguard/internal/buildinfo.version=${VERSION}`)
	assert.Contains(t, final, "COPY --from=build /out/hookguard /usr/local/bin/"+cfg.Spec.Generate.Command[0]+"\n")
	assert.Contains(t, final, "COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml\n")
	assert.Regexp(t, `(?m)^USER 999(:999)?$`, final)
	assert.Regexp(t, `adduser [^\n]*-u 999`, final, "ssh (git over ssh) needs a passwd entry for the user")
}

// programs are what a parameter makes hookguard run: kustomize clones
// git-URL bases with git, and inflates helmCharts with helm.
var programs = map[string]string{"allow-remote-bases": "git", "kustomize-enable-helm": "helm"}

// The image carries every program a parameter can call on, so no
// parameter Argo CD's UI offers fails for want of it.
func TestImageHasParameterPrograms(t *testing.T) {
	final := finalStage(t, readDockerfile(t))
	announced := map[string]bool{}
	for _, p := range Parameters {
		announced[p.Name] = true
	}
	for param, program := range programs {
		require.True(t, announced[param], "parameter %s is gone: drop %s from the image and from this table", param, program)
		installed := regexp.MustCompile(`(?m)^RUN apk add [^\n]*\b`+program+`\b`).MatchString(final) ||
			strings.Contains(final, "/usr/local/bin/"+program+"\n")
		assert.True(t, installed, "parameter %s runs %s, which the image lacks", param, program)
	}
	// helm in the image is the version CI checks renders against.
	ci, err := os.ReadFile(filepath.Join(repo, ".ci", "run"))
	require.NoError(t, err)
	want := regexp.MustCompile(`helm\.sh/helm/v3/cmd/helm@(v[0-9.]+)`).FindSubmatch(ci)
	require.NotNil(t, want, ".ci/run installs helm")
	assert.Contains(t, readDockerfile(t), "ARG HELM_VERSION="+string(want[1])+"\n")
}

func readDockerfile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	require.NoError(t, err)
	return string(data)
}

func finalStage(t *testing.T, text string) string {
	t.Helper()
	stages := regexp.MustCompile(`(?m)^FROM `).FindAllStringIndex(text, -1)
	require.GreaterOrEqual(t, len(stages), 2, "multi-stage build")
	return text[stages[len(stages)-1][0]:]
}

// The install component, built with kustomize over a stand-in
// argocd-repo-server, gives the canonical sidecar.
func TestInstallComponent(t *testing.T) {
	res, err := render.Render("testdata/argocd-install", render.Options{RepoRoot: repo})
	require.NoError(t, err)
	require.Len(t, res.Objects, 1)
	var dep struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct {
						Name            string   `json:"name"`
						Image           string   `json:"image"`
						Command         []string `json:"command"`
						SecurityContext struct {
							RunAsNonRoot             bool  `json:"runAsNonRoot"`
							RunAsUser                int   `json:"runAsUser"`
							ReadOnlyRootFilesystem   bool  `json:"readOnlyRootFilesystem"`
							AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation"`
							Capabilities             struct {
								Drop []string `json:"drop"`
							} `json:"capabilities"`
							SeccompProfile struct {
								Type string `json:"type"`
							} `json:"seccompProfile"`
						} `json:"securityContext"`
						Resources struct {
							Limits map[string]resource.Quantity `json:"limits"`
						} `json:"resources"`
						VolumeMounts []struct {
							Name      string `json:"name"`
							MountPath string `json:"mountPath"`
						} `json:"volumeMounts"`
					} `json:"containers"`
					Volumes []struct {
						Name     string    `json:"name"`
						EmptyDir *struct{} `json:"emptyDir"`
					} `json:"volumes"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	text, err := res.Objects[0].Node.String()
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal([]byte(text), &dep))
	pod := dep.Spec.Template.Spec
	require.Len(t, pod.Containers, 2, "the repo-server keeps its container and gains the sidecar")
	side := pod.Containers[0]
	if side.Name != "hookguard" {
		side = pod.Containers[1]
	}
	require.Equal(t, "hookguard", side.Name)
	assert.Equal(t, []string{"/var/run/argocd/argocd-cmp-server"}, side.Command)
	// argo-cd v3.6.1's own repo-server container, field by field
	// (manifests/base/repo-server/argocd-repo-server-deployment.yaml); the
	// e2e module checks the whole pod with Kubernetes' Pod Security code.
	sc := side.SecurityContext
	assert.True(t, sc.RunAsNonRoot)
	assert.Equal(t, 999, sc.RunAsUser)
	assert.True(t, sc.ReadOnlyRootFilesystem)
	require.NotNil(t, sc.AllowPrivilegeEscalation)
	assert.False(t, *sc.AllowPrivilegeEscalation)
	assert.Equal(t, []string{"ALL"}, sc.Capabilities.Drop)
	assert.Equal(t, "RuntimeDefault", sc.SeccompProfile.Type)
	limit, ok := side.Resources.Limits["memory"]
	require.True(t, ok, "a memory limit")
	assert.Greater(t, limit.Value(), DefaultAdmin().MemoryBytes*5/4, "the kernel must not kill the sidecar before hookguard's heap bound reports")
	mounts := map[string]string{}
	for _, m := range side.VolumeMounts {
		mounts[m.MountPath] = m.Name
	}
	assert.Equal(t, "var-files", mounts["/var/run/argocd"])
	assert.Equal(t, "plugins", mounts["/home/argocd/cmp-server/plugins"])
	tmp := mounts["/tmp"]
	require.NotEmpty(t, tmp, "the sidecar needs its own /tmp")
	assert.NotEqual(t, "tmp", tmp, "the sidecar must not share the repo-server's /tmp volume")
	volumes := map[string]bool{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v.EmptyDir != nil
	}
	assert.True(t, volumes[tmp], "the sidecar's /tmp is an emptyDir of the pod")
	assert.Contains(t, volumes, "var-files")
	assert.Contains(t, volumes, "plugins")
}

// The example Application names the plugin as Argo CD matches it and uses
// only announced parameters, each with its collection type.
func TestExampleApplication(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repo, "deploy", "example-application.yaml"))
	require.NoError(t, err)
	var app struct {
		Kind string `json:"kind"`
		Spec struct {
			Source struct {
				Plugin struct {
					Name       string `json:"name"`
					Parameters []struct {
						Name   string            `json:"name"`
						String *string           `json:"string"`
						Array  []string          `json:"array"`
						Map    map[string]string `json:"map"`
					} `json:"parameters"`
				} `json:"plugin"`
			} `json:"source"`
		} `json:"spec"`
	}
	require.NoError(t, yaml.Unmarshal(data, &app))
	assert.Equal(t, "Application", app.Kind)
	assert.Equal(t, readPluginYAML(t).Name(), app.Spec.Source.Plugin.Name)
	byName := map[string]Parameter{}
	for _, p := range Parameters {
		byName[p.Name] = p
	}
	require.NotEmpty(t, app.Spec.Source.Plugin.Parameters)
	for _, p := range app.Spec.Source.Plugin.Parameters {
		decl, ok := byName[p.Name]
		require.True(t, ok, "unknown parameter %s", p.Name)
		switch decl.CollectionType {
		case "string":
			assert.NotNil(t, p.String, p.Name)
		case "array":
			assert.NotNil(t, p.Array, p.Name)
		case "map":
			assert.NotNil(t, p.Map, p.Name)
		}
	}
	// The example's values are ones Generate accepts.
	env := Env{"ARGOCD_APP_PARAMETERS": mustJSON(t, app.Spec.Source.Plugin.Parameters)}
	values, err := ReadValues(env)
	require.NoError(t, err)
	_, err = readSettings(values, env)
	require.NoError(t, err)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
