package render

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// The edits are kustomize's `edit` commands, as Argo CD runs them.
func TestKustomizeEdits(t *testing.T) {
	in := `images:
- name: web
  newName: mirror/web
  newTag: "1"
- name: api
  digest: sha256:aa
commonLabels:
  team: a
labels:
- pairs: {x: "1"}
`
	edit := func(k KustomizeEdits) (map[string]any, error) {
		out, err := editKustomization("kustomization.yaml", []byte(in), k)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		require.NoError(t, yaml.Unmarshal(out, &m))
		return m, nil
	}
	m, err := edit(KustomizeEdits{Images: []string{"web=*:2", "api:v3", "zzz@sha256:bb"}})
	require.NoError(t, err)
	assert.Equal(t, []any{
		map[string]any{"name": "api", "newTag": "v3"},
		map[string]any{"name": "web", "newName": "mirror/web", "newTag": "2"},
		map[string]any{"name": "zzz", "digest": "sha256:bb"},
	}, m["images"], "an entry is replaced whole, * keeps the old field, sorted by name")

	_, err = edit(KustomizeEdits{CommonLabels: map[string]string{"team": "b"}})
	assert.ErrorContains(t, err, "already in kustomization file", "without force an existing label is an error")
	m, err = edit(KustomizeEdits{CommonLabels: map[string]string{"team": "b"}, ForceCommonLabels: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"team": "b"}, m["commonLabels"])

	m, err = edit(KustomizeEdits{CommonLabels: map[string]string{"y": "2"}, LabelWithoutSelector: true})
	require.NoError(t, err)
	assert.Equal(t, []any{map[string]any{"pairs": map[string]any{"x": "1", "y": "2"}}}, m["labels"], "into the entry with the same settings")
	m, err = edit(KustomizeEdits{CommonLabels: map[string]string{"y": "2"}, LabelWithoutSelector: true, LabelIncludeTemplates: true})
	require.NoError(t, err)
	assert.Len(t, m["labels"], 2, "a new entry for other settings")

	_, err = edit(KustomizeEdits{Images: []string{"nginx"}})
	assert.ErrorContains(t, err, "invalid format of image", "nothing to set, as kustomize refuses it")
}

func TestDirectoryFiles(t *testing.T) {
	dir := "../../testdata/monorepo/apps/plain"
	files, err := DirectoryFiles(dir, DirectoryOptions{Set: true}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{dir + "/configmap.yaml"}, files, "top level only, manifest extensions only")
	files, err = DirectoryFiles(dir, DirectoryOptions{Set: true, Recurse: true, Exclude: "jobs/*"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{dir + "/configmap.yaml"}, files, "* crosses /")
}

// Offline renders share the guards: they stay up until the last one ends,
// and programs still resolve on the real PATH meanwhile.
func TestOfflineGuardsShared(t *testing.T) {
	path := os.Getenv("PATH")
	a, b := offline(), offline()
	a()
	_, refusing := http.DefaultTransport.(refuseNetwork)
	assert.True(t, refusing, "another render is still offline")
	assert.Empty(t, os.Getenv("PATH"))
	assert.True(t, filepath.IsAbs(lookPath("sh")), "sh resolves on the real PATH")
	b()
	_, refusing = http.DefaultTransport.(refuseNetwork)
	assert.False(t, refusing)
	assert.Equal(t, path, os.Getenv("PATH"))
}
