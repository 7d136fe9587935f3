package plugin

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cmpCopy copies testdata/examples/<app> to where argocd-cmp-server would
// put it: <tmp>/_cmp_server/<uuid>/<sourcePath>. It returns the app
// directory and the temporary root that must never appear in a message.
func cmpCopy(t *testing.T, from, sourcePath string) (dir, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	dir = filepath.Join(tmp, "_cmp_server", "2b0d8c1e-5d2f-4c8e-9a43-7f1e0c6d9b21", filepath.FromSlash(sourcePath))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	entries, err := os.ReadDir(from)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644))
	}
	return dir, tmp
}

func cmpEnv(sourcePath, params string) Env {
	return Env{"ARGOCD_APP_NAME": "shop", "ARGOCD_APP_NAMESPACE": "shop", "ARGOCD_APP_SOURCE_PATH": sourcePath, "ARGOCD_APP_PARAMETERS": params}
}

var findingLineRE = regexp.MustCompile(`^apps/shop/[a-z-]+\.yaml:\d+:\d+ (error|warning|info) [a-z0-9-]+: \S.*$`)

// A blocked sync reads well in the Argo CD UI: the count and the blocking
// rules first, then one line per finding with its path from the repository
// root, blocking findings first; never the temporary copy's path.
func TestBlockedReportFormat(t *testing.T) {
	dir, tmp := cmpCopy(t, "../testdata/examples/shop", "apps/shop")
	out, err := Generate(context.Background(), Request{Dir: dir, Env: cmpEnv("apps/shop", "[]")})
	require.NoError(t, err)
	require.True(t, out.Blocked)
	assert.Empty(t, out.Output)

	lines := strings.Split(strings.TrimRight(out.Report, "\n"), "\n")
	head := regexp.MustCompile(`^hookguard blocked this sync: (\d+) findings at or above error \(([a-z0-9, -]+)\), (\d+) below$`).FindStringSubmatch(lines[0])
	require.NotNil(t, head, "first line: %q", lines[0])
	findings := lines[1 : len(lines)-1]
	assert.Equal(t, head[1], strconv.Itoa(countPrefix(findings, "error")), "the count of blocking findings")
	assert.Equal(t, head[3], strconv.Itoa(len(findings)-countPrefix(findings, "error")))
	assert.Contains(t, head[2], "hook-dependency-order")
	for _, rule := range strings.Split(head[2], ", ") {
		assert.Contains(t, out.Report, " error "+rule+": ", "a blocking rule with no finding line")
	}
	seenBelow := false
	for _, l := range findings {
		assert.Regexp(t, findingLineRE, l)
		below := !strings.Contains(l, " error ")
		assert.False(t, seenBelow && !below, "a blocking finding after one below the gate: %q", l)
		seenBelow = seenBelow || below
	}
	assert.Equal(t, "Fixes: run `hookguard lint apps/shop` in the repository.", lines[len(lines)-1])
	// Messages that name another object's place name it from the root too.
	assert.Contains(t, out.Report, "(apps/shop/app.yaml:13)")

	for _, text := range append([]string{out.Report, out.Warnings}, out.Log...) {
		assert.NotContains(t, text, tmp)
		assert.NotContains(t, text, "_cmp_server")
	}
}

func countPrefix(lines []string, sev string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, " "+sev+" ") {
			n++
		}
	}
	return n
}

// Findings below the gate go to stderr in the same one-line form.
func TestWarningsReportRelative(t *testing.T) {
	dir, tmp := cmpCopy(t, "../testdata/examples/shop", "apps/shop")
	env := cmpEnv("apps/shop", `[{"name":"gate","string":"none"}]`)
	env["HOOKGUARD_ADMIN_MIN_GATE"] = "none"
	out, err := Generate(context.Background(), Request{Dir: dir, Env: env})
	require.NoError(t, err)
	require.False(t, out.Blocked)
	require.NotEmpty(t, out.Output)
	lines := strings.Split(strings.TrimRight(out.Warnings, "\n"), "\n")
	assert.Regexp(t, `^hookguard: \d+ findings below the gate$`, lines[0])
	for _, l := range lines[1:] {
		assert.Regexp(t, findingLineRE, l)
	}
	assert.NotContains(t, out.Warnings, tmp)
}

// A render error names the file from the repository root too.
func TestRenderErrorRelative(t *testing.T) {
	dir, tmp := cmpCopy(t, "../testdata/cmp/render-error", "apps/shop")
	_, err := Generate(context.Background(), Request{Dir: dir, Env: cmpEnv("apps/shop", "[]")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "deployment.yaml")
	assert.NotContains(t, err.Error(), tmp)

	empty, tmp := cmpCopy(t, "../testdata/cmp/empty", "apps/empty")
	_, err = Generate(context.Background(), Request{Dir: empty, Env: cmpEnv("apps/empty", "[]")})
	assert.True(t, errors.Is(err, ErrEmpty), "scrubbing keeps the error: %v", err)
	assert.NotContains(t, err.Error(), tmp)
}

func TestScrubPaths(t *testing.T) {
	root := filepath.FromSlash("/tmp/_cmp_server/u1")
	assert.Equal(t, "apps/a.yaml:3 and .", scrubPaths(root, root+"/apps/a.yaml:3 and "+root))
	assert.Equal(t, "unchanged /tmp/other", scrubPaths(root, "unchanged /tmp/other"))
	assert.Equal(t, "apps/a.yaml", relPath(root, root+"/apps/a.yaml"))
	assert.Equal(t, "/elsewhere/a.yaml", relPath(root, "/elsewhere/a.yaml"), "outside the root stays as it is")
	assert.Equal(t, "a.yaml", relPath(root, "a.yaml"))
	assert.Equal(t, ".", lintTarget(""))
	assert.Equal(t, "apps/shop", lintTarget("/apps/shop/"))
}
