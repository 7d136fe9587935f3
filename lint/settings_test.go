package lint

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

func TestFromConfig(t *testing.T) {
	f, err := config.Parse("/repo/.hookguard.yaml", []byte("argocdVersion: \"2.14\"\nfailOn: error\nsettings: {maxBackoffLimit: 1}\nrules:\n  hook-image-unpinned: {enabled: false}\n  hook-backoff-limit: {severity: info}\n"))
	require.NoError(t, err)
	s, err := FromConfig(f)
	require.NoError(t, err)
	assert.Equal(t, hooks.Version{Major: 2, Minor: 14}, s.App.Version)
	assert.Equal(t, Setting{Value: 1, Where: "/repo/.hookguard.yaml:3"}, s.Rules.Settings["maxBackoffLimit"])
	assert.True(t, s.Rules.Disabled["hook-image-unpinned"])
	assert.Equal(t, finding.SeverityInfo, s.Rules.Severity["hook-backoff-limit"])
	assert.Equal(t, finding.SeverityError, s.FailOn)
}

func TestFromConfigErrors(t *testing.T) {
	for text, want := range map[string]string{
		"argocdVersion: three\n":         "c.yaml: argocdVersion: invalid Argo CD version",
		"rules: {x: {severity: loud}}\n": "rules.x.severity",
		"failOn: sometimes\n":            "c.yaml: failOn",
	} {
		f, err := config.Parse("c.yaml", []byte(text))
		require.NoError(t, err)
		_, err = FromConfig(f)
		assert.ErrorContains(t, err, want)
	}
}

// Settings reach the rules by the parameters they declare; names and types
// are checked against the catalog, with the file and line.
func TestSettingsByDeclaration(t *testing.T) {
	e := engine(t)
	a := app.Build(nil, app.Settings{Version: hooks.Latest})
	for text, want := range map[string]string{
		"settings: {maxBackoffLimit: -1}\n":  "c.yaml:1: settings.maxBackoffLimit: must not be negative",
		"settings:\n  maxBackofLimit: 2\n":   "c.yaml:2: settings.maxBackofLimit is not a parameter of any rule (known: maxBackoffLimit)",
		"settings: {maxBackoffLimit: two}\n": "c.yaml:1: settings.maxBackoffLimit: two is not an integer",
	} {
		f, err := config.Parse("c.yaml", []byte(text))
		require.NoError(t, err)
		s, err := FromConfig(f)
		require.NoError(t, err)
		_, err = e.Run(context.Background(), a, s.Rules)
		assert.EqualError(t, err, want)
	}
	cfg, err := e.config(a, Options{Settings: map[string]Setting{"maxBackoffLimit": {Value: 5}}})
	require.NoError(t, err)
	assert.Equal(t, 5, cfg["maxBackoffLimit"])
	cfg, err = e.config(a, Options{})
	require.NoError(t, err)
	assert.Equal(t, 3, cfg["maxBackoffLimit"], "the declared default")
}

// A locked rule (the admin's) cannot be disabled, re-graded lower or
// suppressed by the repository; each attempt leaves a note.
func TestLockedRules(t *testing.T) {
	e := engine(t)
	src := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n    hookguard.io/ignore: \"hook-named-without-before-hook-creation: trust me\"\nspec:\n  backoffLimit: 1\n  activeDeadlineSeconds: 60\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: app:1.0}]\n"
	objs, err := manifest.Loader{}.Parse("job.yaml", []byte(src))
	require.NoError(t, err)
	a := app.Build(objs, DefaultSettings().App)
	rule := "hook-named-without-before-hook-creation"
	find := func(res *Result) *finding.Finding {
		for i := range res.Findings {
			if res.Findings[i].Rule == rule {
				return &res.Findings[i]
			}
		}
		return nil
	}
	open := Options{Disabled: map[string]bool{}, Severity: map[string]finding.Severity{}}
	res, err := e.Run(context.Background(), a, open)
	require.NoError(t, err)
	require.NotNil(t, find(res))
	assert.NotNil(t, find(res).Suppression, "unlocked: the annotation suppresses")

	locked := Options{Disabled: map[string]bool{rule: true}, Severity: map[string]finding.Severity{rule: finding.SeverityInfo}, Locked: map[string]bool{rule: true}}
	res, err = e.Run(context.Background(), a, locked)
	require.NoError(t, err)
	f := find(res)
	require.NotNil(t, f, "a locked rule stays enabled")
	assert.Nil(t, f.Suppression, "a locked rule is not suppressed")
	assert.Equal(t, finding.SeverityError, f.Severity, "a locked rule is not re-graded lower")
	assert.True(t, res.Failed(finding.SeverityError))
	assert.Len(t, res.Notes, 2)

	locked.SuppressLocked = true
	res, err = e.Run(context.Background(), a, locked)
	require.NoError(t, err)
	assert.NotNil(t, find(res).Suppression, "the admin allows suppressions")
}

// {settings.<name>} in a rule's text reads the run's value, the default
// when unset; a name the rule does not declare is a catalog error.
func TestSettingPlaceholders(t *testing.T) {
	e := engine(t)
	byID := func(rules []finding.Rule, id string) finding.Rule {
		for _, r := range rules {
			if r.ID == id {
				return r
			}
		}
		t.Fatalf("no rule %s", id)
		return finding.Rule{}
	}
	assert.Contains(t, byID(e.Rules(), "hook-backoff-limit").Remediation, "(0 to 3)")
	opts := Options{Settings: map[string]Setting{"maxBackoffLimit": {Value: 1}}}
	assert.Contains(t, byID(e.RulesWith(opts), "hook-backoff-limit").Remediation, "(0 to 1)")
	assert.Contains(t, byID(e.Rules(), "hook-backoff-limit").Remediation, "(0 to 3)", "RulesWith leaves the catalog alone")

	dir := t.TempDir()
	rule := "# METADATA\n# title: T\n# custom:\n#   id: x-rule\n#   severity: warning\n#   remediation: Keep it under {settings.maxThing}.\npackage hookguard.rules.custom[\"x-rule\"]\n\nreport contains {\"object\": 0, \"msg\": \"m\"} if false\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x.rego"), []byte(rule), 0o644))
	_, err := NewEngine(context.Background(), []string{dir})
	assert.ErrorContains(t, err, "x.rego: METADATA names {settings.maxThing}, which the rule does not declare under parameters")
}

// --enable and --disable: unknown ids name the closest.
func TestSelect(t *testing.T) {
	e := engine(t)
	opts := Options{Disabled: map[string]bool{"hook-backoff-limit": true}}
	require.NoError(t, e.Select(&opts, []string{"hook-backoff-limit"}, []string{"hook-image-unpinned"}))
	assert.Equal(t, map[string]bool{"hook-image-unpinned": true}, opts.Disabled)
	err := e.Select(&opts, nil, []string{"hook-backof-limit"})
	assert.EqualError(t, err, `unknown rule "hook-backof-limit"; did you mean hook-backoff-limit? (hookguard rules lists them all)`)
	err = e.Select(&opts, []string{"zzz"}, nil)
	assert.ErrorContains(t, err, `unknown rule "zzz"; known rules: annotation-key-misspelled,`)
}
