package hookguard_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// version is the one place the release version is written; every other
// reference in the repository must name the same one.
func version(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("VERSION")
	require.NoError(t, err)
	v := strings.TrimSpace(string(data))
	require.Regexp(t, `^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`, v, "VERSION is a semantic version with a v")
	return v
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// Every versioned reference to hookguard (the deploy component's ?ref, the
// image tag, the Action's @ref, the pre-commit rev) names VERSION, and the
// places users copy from carry one.
func TestVersionReferencesAgree(t *testing.T) {
	v := version(t)
	ref := regexp.MustCompile(`hookguard/hookguard(?://deploy\?ref=|@|:)(v\d+\.\d+\.\d+[0-9A-Za-z.-]*)`)
	rev := regexp.MustCompile(`repo: https://github\.com/hookguard/hookguard\s+rev: (\S+)`)
	found := map[string]int{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".github" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !slices.Contains([]string{".md", ".yaml", ".yml", ""}, filepath.Ext(path)) && d.Name() != "Dockerfile" {
			return nil
		}
		text := read(t, path)
		for _, m := range ref.FindAllStringSubmatch(text, -1) {
			assert.Equal(t, v, m[1], "%s: %s names another version than VERSION", path, m[0])
			found[path]++
		}
		for _, m := range rev.FindAllStringSubmatch(text, -1) {
			assert.Equal(t, v, m[1], "%s: the pre-commit rev is not VERSION", path)
			found[path]++
		}
		return nil
	})
	require.NoError(t, err)
	for _, path := range []string{"README.md", "action.yml", "deploy/kustomization.yaml", "deploy/repo-server-sidecar.yaml"} {
		assert.Positive(t, found[path], "%s names no hookguard version", path)
	}
	assert.Contains(t, read(t, "README.md"), "rev: "+v, "the README's pre-commit rev")

	// The image: its default version and its label.
	docker := read(t, "Dockerfile")
	args := regexp.MustCompile(`(?m)^ARG VERSION=(.*)$`).FindAllStringSubmatch(docker, -1)
	require.NotEmpty(t, args)
	for _, a := range args {
		assert.Equal(t, v, a[1], "Dockerfile ARG VERSION")
	}
	assert.Contains(t, docker, `org.opencontainers.image.version="${VERSION}"`)

	// The Action installs VERSION by default.
	var action struct {
		Inputs map[string]struct {
			Default string `json:"default"`
		} `json:"inputs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(read(t, "action.yml")), &action))
	assert.Equal(t, v, action.Inputs["version"].Default)
}

// The release pieces fit together: GoReleaser sets the version where
// internal/buildinfo reads it, builds what action.yml downloads, and the
// release workflow pushes the image deploy/ runs.
func TestReleaseConfig(t *testing.T) {
	var cfg struct {
		Version int `json:"version"`
		Builds  []struct {
			Main    string   `json:"main"`
			GOOS    []string `json:"goos"`
			GOARCH  []string `json:"goarch"`
			Ldflags []string `json:"ldflags"`
			Env     []string `json:"env"`
		} `json:"builds"`
		Archives []struct {
			NameTemplate string `json:"name_template"`
		} `json:"archives"`
		Checksum struct {
			NameTemplate string `json:"name_template"`
		} `json:"checksum"`
		SBOMs []struct {
			Artifacts string `json:"artifacts"`
		} `json:"sboms"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(read(t, ".goreleaser.yaml")), &cfg))
	assert.Equal(t, 2, cfg.Version)
	require.Len(t, cfg.Builds, 1)
	b := cfg.Builds[0]
	assert.Equal(t, "./cmd/hookguard", b.Main)
	assert.ElementsMatch(t, []string{"linux", "darwin", "windows"}, b.GOOS)
	assert.ElementsMatch(t, []string{"amd64", "arm64"}, b.GOARCH)
	assert.Contains(t, b.Env, "CGO_ENABLED=0")
	const ldflag = "-X github.com/hookguard/hookguard/internal/buildinfo.version={{ .Tag }}"
	assert.Contains(t, strings.Join(b.Ldflags, " "), ldflag)
	assert.Regexp(t, `(?m)^var version = ""$`, read(t, "internal/buildinfo/buildinfo.go"), "the variable the ldflags set")
	assert.Equal(t, "checksums.txt", cfg.Checksum.NameTemplate)
	require.NotEmpty(t, cfg.SBOMs)
	assert.Equal(t, "archive", cfg.SBOMs[0].Artifacts)

	require.Len(t, cfg.Archives, 1)
	assert.Equal(t, "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}", cfg.Archives[0].NameTemplate)
	action := read(t, "action.yml")
	assert.Contains(t, action, `archive="hookguard_${VERSION#v}_${os}_${arch}.$ext"`, "the Action downloads the archives by GoReleaser's name")
	assert.Contains(t, action, "releases/download/$VERSION")

	release := read(t, ".github/workflows/release.yml")
	image := regexp.MustCompile(`image: (\S+):v`).FindStringSubmatch(read(t, "deploy/repo-server-sidecar.yaml"))
	require.NotNil(t, image)
	assert.Contains(t, release, "tags: "+image[1]+":${{ github.ref_name }}", "the release pushes the image deploy/ runs")
	assert.Contains(t, release, "platforms: linux/amd64,linux/arm64")
	assert.Contains(t, release, "build-args: VERSION=${{ github.ref_name }}")
	assert.Contains(t, release, `"$GITHUB_REF_NAME" != "$want"`, "the tag must be VERSION")
	assert.Contains(t, read(t, ".github/workflows/ci.yml"), "run: bash .ci/run")
}

// actionlint (github.com/rhysd/actionlint; .ci/run installs it) over the
// workflows, and over action.yml's steps run as a workflow whose inputs are
// the Action's: expressions, contexts, the inputs of the actions used, and
// the scripts (through shellcheck when it is installed).
func TestActionlint(t *testing.T) {
	actionlint, err := exec.LookPath("actionlint")
	if err != nil {
		t.Skip("actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12; .ci/run does): workflows and action.yml not linted")
	}
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Log("shellcheck is not installed: actionlint checks the scripts' expressions but not their shell")
	}
	out, err := exec.Command(actionlint, "-no-color").CombinedOutput()
	assert.NoError(t, err, "actionlint .github/workflows:\n%s", out)

	wf := actionAsWorkflow(t, read(t, "action.yml"))
	out, err = exec.Command(actionlint, "-no-color", wf).CombinedOutput()
	assert.NoError(t, err, "actionlint on action.yml's steps:\n%s", out)

	// The check bites: an input the Action does not declare is an error.
	bad := actionAsWorkflow(t, strings.Replace(read(t, "action.yml"), "${{ inputs.paths }}", "${{ inputs.path }}", 1))
	out, err = exec.Command(actionlint, "-no-color", bad).CombinedOutput()
	assert.Error(t, err)
	assert.Contains(t, string(out), `property "path" is not defined`)
}

// actionAsWorkflow writes a workflow that runs a composite action's steps
// with workflow_call inputs named as the action's, so actionlint, which
// reads workflows, checks the action's steps.
func actionAsWorkflow(t *testing.T, actionYAML string) string {
	t.Helper()
	var action struct {
		Inputs map[string]struct {
			Default string `json:"default"`
		} `json:"inputs"`
		Runs struct {
			Using string           `json:"using"`
			Steps []map[string]any `json:"steps"`
		} `json:"runs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(actionYAML), &action))
	require.Equal(t, "composite", action.Runs.Using)
	inputs := map[string]any{}
	for name, in := range action.Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false, "default": in.Default}
	}
	wf := map[string]any{
		"name": "action.yml as a workflow",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{"action": map[string]any{"runs-on": "ubuntu-latest", "steps": action.Runs.Steps}},
	}
	data, err := yaml.Marshal(wf)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), ".github", "workflows")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, "action.yml")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// GoReleaser's own check of .goreleaser.yaml, where goreleaser is
// installed. CI does not install it (a multi-minute build); run
// `go install github.com/goreleaser/goreleaser/v2@v2.15.1` to check here.
func TestGoreleaserCheck(t *testing.T) {
	goreleaser, err := exec.LookPath("goreleaser")
	if err != nil {
		t.Skip("goreleaser is not installed (go install github.com/goreleaser/goreleaser/v2@v2.15.1): .goreleaser.yaml checked by TestReleaseConfig only")
	}
	out, err := exec.Command(goreleaser, "check").CombinedOutput()
	assert.NoError(t, err, "goreleaser check:\n%s", out)
}
