package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/config"
)

func TestCMPRoot(t *testing.T) {
	assert.Equal(t, "/tmp/_cmp_server/x", CMPRoot("/tmp/_cmp_server/x/apps/shop", "apps/shop"))
	assert.Equal(t, "/tmp/_cmp_server/x", CMPRoot("/tmp/_cmp_server/x/apps/shop", "/apps/shop/"))
	assert.Equal(t, "/work/app", CMPRoot("/work/app", ""))
	assert.Equal(t, "/work/app", CMPRoot("/work/app", "."))
	assert.Equal(t, "/work/app", CMPRoot("/work/app", "other/path"))
}

func write(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// The config walk goes up from the linted path and stops at the bound: the
// repository root given, or else the enclosing git repository.
func TestConfigWalkIsBounded(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, config.FileName), "failOn: error\n")
	write(t, filepath.Join(dir, "repo", "a", "b", "x.yaml"), "")

	f, err := Config("", filepath.Join(dir, "repo", "a", "b"), "")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, config.FileName), f.Path, "no git repository: up to the filesystem root")

	f, err = Config("", filepath.Join(dir, "repo", "a", "b", "x.yaml"), filepath.Join(dir, "repo"))
	require.NoError(t, err)
	assert.Empty(t, f.Path, "never above the given root")

	require.NoError(t, os.MkdirAll(filepath.Join(dir, "repo", ".git"), 0o755))
	f, err = Config("", filepath.Join(dir, "repo", "a"), "")
	require.NoError(t, err)
	assert.Empty(t, f.Path, "never above the git repository")

	write(t, filepath.Join(dir, "repo", "a", config.FileName), "failOn: info\n")
	f, err = Config("", filepath.Join(dir, "repo", "a", "b"), "")
	require.NoError(t, err)
	assert.Equal(t, "info", f.FailOn, "the nearest file wins")

	f, err = Config("", "-", "")
	require.NoError(t, err)
	assert.Empty(t, f.Path, "standard input has no directory")
}

func TestSetsSeparatesChartsFromPlainFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "plain", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
	write(t, filepath.Join(dir, "plain", "chart", "Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n")
	write(t, filepath.Join(dir, "plain", "chart", "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Chart.Name }}}\n")
	sets, err := Workspace{Root: dir}.Sets([]string{filepath.Join(dir, "plain")})
	require.NoError(t, err)
	require.Len(t, sets, 2)
	assert.False(t, sets[0].Complete)
	assert.Equal(t, "a", sets[0].Objects[0].Ref().Name)
	assert.True(t, sets[1].Complete, "a chart met while walking is a whole app")
	assert.Equal(t, "c", sets[1].Objects[0].Ref().Name)

	// A template named directly stands for its chart.
	sets, err = Workspace{Root: dir}.Sets([]string{filepath.Join(dir, "plain", "chart", "templates", "cm.yaml")})
	require.NoError(t, err)
	require.Len(t, sets, 1)
	assert.True(t, sets[0].Complete)
}
