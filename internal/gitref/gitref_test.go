package gitref

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
}

func TestExport(t *testing.T) {
	needGit(t)
	repo := t.TempDir()
	run(t, repo, "init", "-q", "-b", "main")
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "apps", "shop"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "apps", "shop", "a.yaml"), []byte("old\n"), 0o644))
	require.NoError(t, os.Symlink("a.yaml", filepath.Join(repo, "apps", "shop", "inside.yaml")))
	require.NoError(t, os.Symlink("../../../../etc/passwd", filepath.Join(repo, "apps", "shop", "escape.yaml")))
	run(t, repo, "add", "-A")
	run(t, repo, "commit", "-q", "-m", "base")
	require.NoError(t, os.WriteFile(filepath.Join(repo, "apps", "shop", "a.yaml"), []byte("new\n"), 0o644))
	run(t, repo, "commit", "-q", "-am", "head")

	top, err := Toplevel(context.Background(), filepath.Join(repo, "apps", "shop"))
	require.NoError(t, err)
	real, _ := filepath.EvalSymlinks(repo)
	assert.Equal(t, real, top)

	dst := t.TempDir()
	var skipped []string
	require.NoError(t, Export(context.Background(), repo, "HEAD~1", dst, func(name, why string) { skipped = append(skipped, name+": "+why) }))
	data, err := os.ReadFile(filepath.Join(dst, "apps", "shop", "a.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(data), "the tree at the ref, not the working tree")
	data, err = os.ReadFile(filepath.Join(dst, "apps", "shop", "inside.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "old\n", string(data))
	assert.Equal(t, []string{"apps/shop/escape.yaml: a symbolic link out of the repository"}, skipped)
	_, err = os.Lstat(filepath.Join(dst, "apps", "shop", "escape.yaml"))
	assert.True(t, os.IsNotExist(err))

	for _, bad := range []string{"", "-o/tmp/x", "--output=/tmp/x", "no-such-branch"} {
		err := Export(context.Background(), repo, bad, t.TempDir(), nil)
		assert.Error(t, err, bad)
	}
	_, err = Toplevel(context.Background(), t.TempDir())
	assert.ErrorContains(t, err, "not in a git repository")
}

// A crafted archive writes nothing outside the directory.
func TestExtractConfined(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	entries := []tar.Header{
		{Name: "ok/a.yaml", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644},
		{Name: "/abs.yaml", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644},
		{Name: "../up.yaml", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644},
		{Name: "ok/up", Typeflag: tar.TypeSymlink, Linkname: "../.."},
		{Name: "ok/self", Typeflag: tar.TypeSymlink, Linkname: ".."},
		{Name: "ok/self/ok/through.yaml", Typeflag: tar.TypeReg, Size: 2, Mode: 0o644},
		{Name: "dev", Typeflag: tar.TypeChar},
	}
	for _, h := range entries {
		require.NoError(t, tw.WriteHeader(&h))
		if h.Size > 0 {
			_, err := tw.Write([]byte("x\n"))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	parent := t.TempDir()
	dst := filepath.Join(parent, "dst")
	require.NoError(t, os.Mkdir(dst, 0o755))
	var skipped []string
	require.NoError(t, extract(&buf, dst, func(name, why string) { skipped = append(skipped, name) }))
	sort.Strings(skipped)
	assert.Equal(t, []string{"../up.yaml", "/abs.yaml", "dev", "ok/up"}, skipped)
	var files []string
	require.NoError(t, filepath.Walk(parent, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			rel, _ := filepath.Rel(parent, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	}))
	assert.Equal(t, []string{"dst/ok/a.yaml", "dst/ok/through.yaml"}, files, "a link inside the directory may be written through; nothing lands outside")
}
