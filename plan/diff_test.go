package plan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
)

const before = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: batch/v1
kind: Job
metadata:
  name: old-check
  annotations:
    argocd.argoproj.io/hook: PostSync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: apps/v1beta2
kind: Deployment
metadata:
  name: web
`

// after: old-check is gone, smoke is new, settings moves to wave 2, the
// Deployment moves to apps/v1 (the same object), and a typo drops a hook.
const after = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
  annotations:
    argocd.argoproj.io/hook: PostSync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  annotations:
    argocd.argoproj.io/sync-wave: "2"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  annotations:
    argocd.argoproj.io/hook: Postsync
`

func kinds(d Diff) map[string][]string {
	out := map[string][]string{}
	for _, c := range d.Changes {
		label := c.Object
		if c.Rule != "" {
			label = c.Rule + " " + c.Object
		}
		out[c.Kind] = append(out[c.Kind], label)
	}
	return out
}

func TestCompare(t *testing.T) {
	b := withFindings(t, before, fnd(0, finding.SeverityError, "kept"), fnd(1, finding.SeverityWarning, "gone-with-object"), fnd(2, finding.SeverityError, "fixed"))
	a := withFindings(t, after, fnd(0, finding.SeverityError, "kept"), fnd(0, finding.SeverityError, "kept"), fnd(1, finding.SeverityWarning, "new"))
	d := Compare("main", b, a)
	assert.Equal(t, map[string][]string{
		HookAdded:    {"Job smoke"},
		HookRemoved:  {"Job old-check"},
		Moved:        {"ConfigMap settings"},
		DropAdded:    {"Job notify"},
		FindingAdded: {"kept Job migrate", "new Job smoke"},
		FindingFixed: {"fixed ConfigMap settings", "gone-with-object Job old-check"},
	}, kinds(d), "a second finding of a rule on the same object is new; apps/v1beta2 to apps/v1 is no change")
	for _, c := range d.Changes {
		switch {
		case c.Kind == Moved:
			assert.Equal(t, "ConfigMap settings", c.Object)
			assert.Equal(t, "Sync wave 0", c.From)
			assert.Equal(t, "Sync wave 2", c.To)
		case c.Kind == DropAdded:
			assert.Contains(t, c.Reason, `"Postsync"`)
		}
	}
	assert.Equal(t, "waves 3 -> 4, pauses 4 s -> 6 s, 1 hook added, 1 hook removed, 1 object moved, 1 object newly dropped, 2 new findings, 2 fixed findings", diffSummary(d))

	same := Compare("main", a, a)
	assert.Empty(t, same.Changes)
	assert.Equal(t, "no change to the sync", diffSummary(same))

	// Back again: everything reverses.
	back := kinds(Compare("feature", a, b))
	assert.Equal(t, []string{"Job old-check"}, back[HookAdded])
	assert.Equal(t, []string{"Job smoke"}, back[HookRemoved])
	assert.Equal(t, []string{"Job notify"}, back[DropRemoved])
}

// A resource that becomes a hook is a hook added and a resource removed;
// objects new on both sides of an empty base are all added.
func TestCompareRoles(t *testing.T) {
	src := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	hook := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n"
	k := kinds(Compare("main", build(t, src, hooks.Latest), build(t, hook, hooks.Latest)))
	assert.Equal(t, map[string][]string{HookAdded: {"ConfigMap c"}, ResourceRemoved: {"ConfigMap c"}}, k)

	empty := Build(analyze(t, "", hooks.Latest), Options{})
	k = kinds(Compare("main", empty, build(t, src+"---\n"+strings.Replace(hook, "name: c", "name: h", 1), hooks.Latest)))
	assert.Equal(t, map[string][]string{ResourceAdded: {"ConfigMap c"}, HookAdded: {"ConfigMap h"}}, k)
}

func TestWriteDiff(t *testing.T) {
	d := Compare("main", withFindings(t, before), withFindings(t, after))
	var text bytes.Buffer
	require.NoError(t, WriteDiff(&text, "text", d, MarkdownOptions{}))
	lines := strings.Split(text.String(), "\n")
	assert.Equal(t, "Sync changes against main: "+diffSummary(d), lines[0])
	assert.Contains(t, text.String(), "\n  + hook Job smoke in PostSync wave 0 (app.yaml:8)\n")
	assert.Contains(t, text.String(), "\n  - hook Job old-check (was in PostSync wave 0)\n")
	assert.Contains(t, text.String(), "\n  ~ moved ConfigMap settings: Sync wave 0 -> Sync wave 2 (app.yaml:15)\n")
	assert.Contains(t, text.String(), "\nSync plan for Argo CD", "the plan after the change follows")

	var js bytes.Buffer
	require.NoError(t, WriteDiff(&js, "json", d, MarkdownOptions{}))
	var back Diff
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, d.Changes, back.Changes)
	assert.Equal(t, "main", back.Base)

	var md bytes.Buffer
	require.NoError(t, WriteDiff(&md, "markdown", d, MarkdownOptions{Title: "app"}))
	assert.Contains(t, md.String(), "#### Changes against `main`\n\n"+diffSummary(d)+".\n\n- ~ moved ConfigMap settings: Sync wave 0 -&gt; Sync wave 2 (`app.yaml:15`)\n")
	assert.Contains(t, md.String(), "```mermaid\n")

	assert.ErrorContains(t, WriteDiff(&md, "dot", d, MarkdownOptions{}), "text, json, markdown")
}

// Relocate rewrites files and the paths inside messages, also of a hook
// that appears in two phases.
func TestRelocate(t *testing.T) {
	p := withFindings(t, shop, finding.Finding{Rule: "r", Severity: finding.SeverityError, Message: "see /tmp/x/app.yaml:3", Object: 4, Scope: finding.ScopeObject})
	p.Relocate(func(f string) string { return "apps/" + f }, func(s string) string { return strings.ReplaceAll(s, "/tmp/x/", "apps/") })
	check := p.Phases[2].Waves[0].Steps[0]
	assert.Equal(t, "apps/app.yaml", check.File)
	assert.Equal(t, "see apps/app.yaml:3", check.Findings[0].Message)
	assert.Equal(t, "apps/app.yaml", p.Dropped[0].File)
	assert.Equal(t, "apps/app.yaml", p.Deletion[0].Waves[0].Steps[0].File)
}
