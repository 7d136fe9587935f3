package confine

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func setup(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "sub"), 0o755))
	require.NoError(t, os.MkdirAll(outside, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("token: OUTSIDE-MARKER\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "in.yaml"), []byte("a: 1\n"), 0o644))
	return repo, outside
}

func TestReadFileStaysInside(t *testing.T) {
	repo, outside := setup(t)
	root, err := New(repo)
	require.NoError(t, err)
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(repo, "link.yaml")))
	require.NoError(t, os.Symlink("../in.yaml", filepath.Join(repo, "sub", "inside-link.yaml")))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(repo, "zero.yaml")))
	require.NoError(t, os.Symlink(outside, filepath.Join(repo, "outdir")))

	data, err := root.ReadFile(filepath.Join(repo, "sub", "inside-link.yaml"))
	require.NoError(t, err, "a link inside the repository is fine")
	assert.Equal(t, "a: 1\n", string(data))

	for _, p := range []string{"link.yaml", "outdir/secret.yaml", "../outside/secret.yaml"} {
		_, err := root.ReadFile(filepath.Join(repo, p))
		require.Error(t, err, p)
		assert.True(t, errors.Is(err, ErrOutside), "%s: %v", p, err)
		assert.NotContains(t, err.Error(), "OUTSIDE-MARKER")
	}
	_, err = root.ReadFile(filepath.Join(repo, "zero.yaml"))
	assert.Error(t, err, "/dev/zero is outside and not regular")

	// A device inside the root (the root is /dev here) is refused as not regular.
	dev, err := New("/dev")
	require.NoError(t, err)
	_, err = dev.ReadFile("/dev/zero")
	assert.True(t, errors.Is(err, ErrNotRegular), "%v", err)
}

func TestCheckTreeFollowsLinksLikeHelm(t *testing.T) {
	repo, outside := setup(t)
	root, err := New(repo)
	require.NoError(t, err)
	require.NoError(t, root.CheckTree(repo))

	require.NoError(t, os.Symlink(repo, filepath.Join(repo, "sub", "cycle")))
	require.NoError(t, root.CheckTree(repo), "a link cycle inside the root ends")

	require.NoError(t, os.Symlink(outside, filepath.Join(repo, "sub", "charts")))
	err = root.CheckTree(repo)
	assert.True(t, errors.Is(err, ErrOutside), "%v", err)
}

func TestReadFileSizeLimit(t *testing.T) {
	repo, _ := setup(t)
	root, err := New(repo)
	require.NoError(t, err)
	big := filepath.Join(repo, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxFileBytes+1))
	require.NoError(t, f.Close())
	_, err = root.ReadFile(big)
	assert.True(t, errors.Is(err, ErrTooLarge), "%v", err)
}
