package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/lint"
)

func TestParseAndOptions(t *testing.T) {
	f, err := Parse("/repo/.hookguard.yaml", []byte("argocdVersion: \"2.14\"\nfailOn: error\nsettings: {maxBackoffLimit: 1}\nrules:\n  hook-image-unpinned: {enabled: false}\n  hook-backoff-limit: {severity: info}\npolicies: [policy]\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"/repo/policy"}, f.Policies)
	o, err := f.Options()
	require.NoError(t, err)
	assert.Equal(t, hooks.Version{Major: 2, Minor: 14}, o.Version)
	assert.Equal(t, 1, o.MaxBackoffLimit)
	assert.True(t, o.Disabled["hook-image-unpinned"])
	assert.Equal(t, lint.SeverityInfo, o.Severity["hook-backoff-limit"])
	s, err := f.FailOnSeverity()
	require.NoError(t, err)
	assert.Equal(t, lint.SeverityError, s)
}

func TestParseErrors(t *testing.T) {
	_, err := Parse("c.yaml", []byte("argocdVersion: x\nunknown: 1\n"))
	assert.EqualError(t, err, "c.yaml:2: field unknown not found in type File")
	f, err := Parse("c.yaml", []byte("argocdVersion: three\n"))
	require.NoError(t, err)
	_, err = f.Options()
	assert.ErrorContains(t, err, "c.yaml: argocdVersion: invalid Argo CD version")
	f, _ = Parse("c.yaml", []byte("rules: {x: {severity: loud}}\n"))
	_, err = f.Options()
	assert.ErrorContains(t, err, "rules.x.severity")
	f, _ = Parse("c.yaml", []byte("failOn: sometimes\n"))
	_, err = f.FailOnSeverity()
	assert.ErrorContains(t, err, "c.yaml: failOn")
}

func TestFindUpward(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, FileName), []byte("{}\n"), 0o644))
	p, err := Find(filepath.Join(dir, "a", "b"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, FileName), p)
}
