package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every place a path is accepted refuses a symbolic link out of the
// repository, and never echoes what it points to.
func TestConfinementOfEveryPath(t *testing.T) {
	const marker = "OUTSIDE-SECRET-MARKER"
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	require.NoError(t, os.WriteFile(secret, []byte("apiVersion: v1\nkind: Secret\nmetadata:\n  name: "+marker+"\n"), 0o644))
	policy := filepath.Join(outside, "p.rego")
	require.NoError(t, os.WriteFile(policy, []byte("package custom\n\ndeny contains \""+marker+"\" if true\n"), 0o644))

	job := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n"
	chart := map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"}
	cases := []struct {
		name  string
		files map[string]string
		link  string // a link to secret (or to policy for .rego) placed here
		args  func(repo string) []string
	}{
		{"plain manifest", map[string]string{"ok.yaml": job}, "link.yaml", func(r string) []string { return []string{r} }},
		{"helm template", chart, "templates/link.yaml", func(r string) []string { return []string{r} }},
		{"helm .Files", chart, "files/link.yaml", func(r string) []string { return []string{r} }},
		{"helm values file", chart, "values-prod.yaml", func(r string) []string { return []string{r, "-f", "values-prod.yaml"} }},
		{"kustomize resource", map[string]string{"kustomization.yaml": "resources: [link.yaml]\n"}, "link.yaml", func(r string) []string { return []string{r} }},
		{"config", map[string]string{"ok.yaml": job}, ".hookguard.yaml", func(r string) []string { return []string{r} }},
		{"policy", map[string]string{"ok.yaml": job}, "policy/link.rego", func(r string) []string { return []string{r, "--policy", filepath.Join(r, "policy")} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			repo := writeTree(t, c.files)
			require.NoError(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
			target := secret
			if filepath.Ext(c.link) == ".rego" {
				target = policy
			}
			require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(repo, c.link)), 0o755))
			require.NoError(t, os.Symlink(target, filepath.Join(repo, c.link)))
			code, out, errOut := hookguard(t, "", append([]string{"lint", "-o", "json"}, c.args(repo)...)...)
			assert.Equal(t, exitUsage, code, "stdout %s\nstderr %s", out, errOut)
			assert.Regexp(t, "outside|not in or below", errOut) // kustomize's own restrictor words it so
			assert.NotContains(t, out+errOut, marker)
		})
	}

	// The CMP, on a repository with a link out of it.
	repo := writeTree(t, map[string]string{"ok.yaml": job})
	require.NoError(t, os.Symlink(secret, filepath.Join(repo, "link.yaml")))
	code, out, errOut := runGenerate(t, cmpApp{repo: repo, path: "."})
	assert.Equal(t, exitUsage, code, errOut)
	assert.Empty(t, out)
	assert.NotContains(t, errOut, marker)
}
