package plan

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/plan/plantest"
)

func analyze(t *testing.T, src string, v hooks.Version) *app.App {
	t.Helper()
	objs, err := manifest.Loader{}.Parse("app.yaml", []byte(src))
	require.NoError(t, err)
	return app.Build(objs, app.Settings{Version: v})
}

func build(t *testing.T, src string, v hooks.Version) Plan {
	t.Helper()
	return Build(analyze(t, src, v), Options{})
}

func steps(ph Phase) []string {
	var out []string
	for _, w := range ph.Waves {
		for _, s := range w.Steps {
			out = append(out, strings.Join([]string{itoa(w.Wave), s.Display}, " "))
		}
	}
	return out
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	return string(rune('0' + n))
}

const shop = `apiVersion: batch/v1
kind: Job
metadata:
  name: validate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "-2"
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-upgrade
    helm.sh/hook-weight: "-1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    argocd.argoproj.io/sync-wave: "5"
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: check-
  annotations:
    argocd.argoproj.io/hook: PreSync,PostSync
---
apiVersion: batch/v1
kind: Job
metadata:
  name: notify
  annotations:
    argocd.argoproj.io/hook: SyncFail
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
---
apiVersion: v1
kind: Pod
metadata:
  name: cleanup
  annotations:
    argocd.argoproj.io/hook: PostDelete
---
apiVersion: batch/v1
kind: Job
metadata:
  name: typo
  annotations:
    argocd.argoproj.io/hook: presync
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: manual
  annotations:
    argocd.argoproj.io/hook: Skip
`

func TestBuild(t *testing.T) {
	p := build(t, shop, hooks.Latest)
	require.Len(t, p.Phases, 3)
	assert.Equal(t, []string{"-2 Job validate", "-1 Job migrate", "0 Job check-…"}, steps(p.Phases[0]), "waves, Helm weight as wave")
	assert.Equal(t, []string{"0 Namespace shop", "0 Deployment shop/web"}, steps(p.Phases[1]), "the Namespace moved ahead of the object in it")
	assert.True(t, p.Phases[1].Waves[0].Steps[0].Moved)
	assert.Equal(t, []string{"0 Job check-…"}, steps(p.Phases[2]), "a multi-phase hook appears in each phase")
	assert.Equal(t, []string{"0 Job notify"}, steps(p.SyncFail))
	require.Len(t, p.Deletion, 1)
	assert.Equal(t, "PostDelete", p.Deletion[0].Name)
	assert.Equal(t, 5, p.Waves)
	assert.Equal(t, 8, p.MinimumAddedSeconds)

	require.Len(t, p.Dropped, 1)
	assert.Equal(t, "Job typo", p.Dropped[0].Display)
	assert.Contains(t, p.Dropped[0].Reason, `argocd.argoproj.io/hook "presync" (did you mean "PreSync"?)`)
	require.Len(t, p.Skipped, 1)
	assert.Equal(t, "ConfigMap manual", p.Skipped[0].Display)

	check := p.Phases[0].Waves[2].Steps[0]
	assert.Equal(t, []string{"BeforeHookCreation"}, check.DeletePolicies)
	assert.True(t, check.DefaultPolicy)
	assert.Contains(t, check.Deletion[0], "matches nothing (a new name every sync)")
	notify := p.SyncFail.Waves[0].Steps[0]
	assert.Contains(t, notify.Deletion[0], "deleted when the whole sync succeeds")
	assert.Contains(t, p.Deletion[0].Waves[0].Steps[0].Deletion[0], "stays after the app is deleted")
}

func TestBuildVersionSwitches(t *testing.T) {
	// PostDelete is unknown before 2.10: the Pod is dropped, not a delete hook.
	p := build(t, shop, hooks.Version{Major: 2, Minor: 9})
	assert.Empty(t, p.Deletion)
	var dropped []string
	for _, s := range p.Dropped {
		dropped = append(dropped, s.Display)
	}
	assert.Contains(t, dropped, "Pod cleanup")
}

func TestWaveDelay(t *testing.T) {
	p := Build(analyze(t, shop, hooks.Latest), Options{WaveDelaySeconds: 5})
	assert.Equal(t, 20, p.MinimumAddedSeconds)
	single := build(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n", hooks.Latest)
	assert.Equal(t, 1, single.Waves)
	assert.Equal(t, 0, single.MinimumAddedSeconds, "no pause after the final wave")
}

// The Mermaid output is a well-formed flowchart: balanced subgraphs, every
// edge between defined nodes or subgraphs, the phases in order.
func TestMermaidStructure(t *testing.T) {
	plantest.CheckMermaid(t, Mermaid(build(t, shop, hooks.Latest)))
}
