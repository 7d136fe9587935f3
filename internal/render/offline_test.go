package render

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every field kustomize loads from, in any case and any remote form, is
// refused before kustomize runs, and nothing reaches a listening server.
func TestKustomizeRefusesEveryRemoteReference(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fetched\n")
	}))
	defer srv.Close()
	url := srv.URL + "/x.yaml"
	upper := "HTTP" + url[len("http"):]
	cases := map[string]string{
		"resources upper-case scheme": "resources:\n- " + upper + "\n",
		"git::":                       "resources:\n- git::" + url + "\n",
		"ssh":                         "resources:\n- ssh://git@example.com/org/repo.git\n",
		"scp-like git":                "resources:\n- git@github.com:org/repo.git\n",
		"host/path":                   "components:\n- github.com/org/repo//base?ref=v1\n",
		"patches path":                "resources: [cm.yaml]\npatches:\n- path: " + url + "\n",
		"patchesStrategicMerge":       "resources: [cm.yaml]\npatchesStrategicMerge:\n- " + url + "\n",
		"configMapGenerator files":    "configMapGenerator:\n- name: c\n  files:\n  - key=" + url + "\n",
		"secretGenerator envs":        "secretGenerator:\n- name: s\n  envs:\n  - " + url + "\n",
		"openapi":                     "resources: [cm.yaml]\nopenapi:\n  path: " + url + "\n",
		"crds":                        "resources: [cm.yaml]\ncrds:\n- " + url + "\n",
		"helmCharts repo":             "helmCharts:\n- name: app\n  repo: " + srv.URL + "\n",
	}
	for name, k := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(k), 0o644))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "cm.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n"), 0o644))
			_, err := Render(dir, Options{RepoRoot: dir, KustomizeHelm: true})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "is remote")
		})
	}
	assert.Zero(t, hits.Load(), "a request reached the server")
}

// Behind the field checks, kustomize itself cannot reach the network while
// rendering offline: its HTTP client's default transport refuses, and git
// is not on PATH. Both come back afterwards.
func TestOfflineGuards(t *testing.T) {
	restore := offline()
	_, err := (&http.Client{}).Get("https://example.com/x.yaml")
	assert.True(t, errors.Is(err, ErrNetwork), "%v", err)
	_, err = exec.LookPath("git")
	assert.Error(t, err, "git must not be found while offline")
	restore()
	assert.NotEqual(t, "", os.Getenv("PATH"))
	_, isRefusing := http.DefaultTransport.(refuseNetwork)
	assert.False(t, isRefusing)
}

// A chart's values.schema.json with a remote $ref: Helm's validation would
// fetch it; rendering refuses instead, and nothing reaches the server.
func TestHelmSchemaRefStaysOffline(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"type": "object"}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	for name, text := range map[string]string{
		"Chart.yaml":         "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"values.yaml":        "a: 1\n",
		"values.schema.json": `{"$ref": "` + srv.URL + `/schema.json"}`,
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	_, err := Render(dir, Options{RepoRoot: dir})
	require.Error(t, err)
	assert.Zero(t, hits.Load(), "Helm reached the network")
}
