package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One run writes several outputs, each exactly what a run with that output
// alone writes (the goldens), and gates as one run would.
func TestLintSeveralOutputs(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	tmp := t.TempDir()
	sarifFile, jsonFile, junitFile := filepath.Join(tmp, "hookguard.sarif"), filepath.Join(tmp, "r.json"), filepath.Join(tmp, "r.xml")
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "github", "-o", "sarif="+sarifFile, "-o", "json="+jsonFile, "-o", "junit="+junitFile)
	assert.Equal(t, exitFindings, code, "the gate is unchanged by extra outputs: %s", errOut)
	want := func(name string) string {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "golden", name))
		require.NoError(t, err)
		return string(b)
	}
	assert.Equal(t, want("examples.github.txt"), out, "github annotations on standard output")
	for file, golden := range map[string]string{sarifFile: "examples.sarif", jsonFile: "examples.json", junitFile: "examples.xml"} {
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, want(golden), string(got), file)
		info, err := os.Stat(file)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), file)
	}
	left, err := filepath.Glob(filepath.Join(tmp, ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file stays behind")

	// text to standard output by name, and --fail-on none still writes every file
	require.NoError(t, os.Remove(sarifFile))
	code, out, errOut = hookguard(t, "", "lint", dir, "-o", "sarif="+sarifFile, "-o", "text", "--fail-on", "none")
	assert.Equal(t, exitOK, code, errOut)
	assert.Equal(t, want("examples.txt"), out)
	got, err := os.ReadFile(sarifFile)
	require.NoError(t, err)
	assert.Equal(t, want("examples.sarif"), string(got))

	// only files: nothing on standard output
	code, out, _ = hookguard(t, "", "lint", dir, "-o", "json="+jsonFile)
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out)
}

func TestLintOutputErrors(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	tmp := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"-o", "html=x.html"}, `invalid output format "html": want one of text, json, sarif, junit, github`},
		{"two to stdout", []string{"-o", "text", "-o", "github"}, "-o text and -o github both write to standard output"},
		{"explicit stdout twice", []string{"-o", "text=-", "-o", "json"}, "both write to standard output"},
		{"same file twice", []string{"-o", "json=" + filepath.Join(tmp, "a"), "-o", "sarif=" + filepath.Join(tmp, ".", "a")}, "write the same file"},
		{"empty file", []string{"-o", "sarif="}, `no file after "="`},
		{"directory", []string{"-o", "sarif=" + tmp}, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", append([]string{"lint", dir}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
		})
	}

	// A file that cannot be written fails the run before any other file is
	// replaced: an earlier SARIF log is never mixed with a newer JSON report.
	old := filepath.Join(tmp, "old.sarif")
	require.NoError(t, os.WriteFile(old, []byte("previous run"), 0o644))
	code, _, errOut := hookguard(t, "", "lint", dir, "-o", "sarif="+old, "-o", "json="+filepath.Join(tmp, "missing", "r.json"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, filepath.Join(tmp, "missing", "r.json"))
	got, err := os.ReadFile(old)
	require.NoError(t, err)
	assert.Equal(t, "previous run", string(got))
	left, err := filepath.Glob(filepath.Join(tmp, ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file stays behind")
}
