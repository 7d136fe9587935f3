package config

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	f, err := Parse("/repo/.hookguard.yaml", []byte("argocdVersion: \"2.14\"\nfailOn: error\nsettings: {maxBackoffLimit: 1}\nrules:\n  hook-image-unpinned: {enabled: false}\n  hook-backoff-limit: {severity: info}\npolicies: [policy]\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"/repo/policy"}, f.Policies)
	assert.Equal(t, "2.14", f.ArgoCDVersion)
	assert.Equal(t, "error", f.FailOn)
	assert.Equal(t, "1", f.Settings["maxBackoffLimit"].Value)
	assert.Equal(t, 3, f.Settings["maxBackoffLimit"].Line)
	assert.False(t, *f.Rules["hook-image-unpinned"].Enabled)
	assert.Equal(t, "info", f.Rules["hook-backoff-limit"].Severity)
}

func TestParseErrors(t *testing.T) {
	_, err := Parse("c.yaml", []byte("argocdVersion: x\nunknown: 1\n"))
	assert.EqualError(t, err, "c.yaml:2: unknown key \"unknown\" at the top level (valid keys: argocdVersion, failOn, wholeApp, settings, rules, policies, ignore)")
	_, err = Parse("c.yaml", []byte("argocdVersion: \"3.6\"\nfailon: error\n"))
	assert.EqualError(t, err, "c.yaml:2: unknown key \"failon\" at the top level (valid keys: argocdVersion, failOn, wholeApp, settings, rules, policies, ignore); did you mean failOn?")
	_, err = Parse("c.yaml", []byte("rules:\n  hook-backoff-limit:\n    enable: false\n"))
	assert.EqualError(t, err, "c.yaml:3: unknown key \"enable\" in a rule's entry under rules: (valid keys: enabled, severity); did you mean enabled?")
	_, err = Parse("c.yaml", []byte("failOn: [a]\n"))
	assert.ErrorContains(t, err, "c.yaml:1: cannot unmarshal !!seq into string")
}
