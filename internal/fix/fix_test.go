package fix

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/normalize"
)

var allFixes = normalize.Options{Spelling: true, TranslateHelm: true, BeforeHookCreation: true, BackoffLimit: 2, ActiveDeadlineSeconds: 600, Version: hooks.Latest}

func TestFixEditsOnlyWhatChanges(t *testing.T) {
	in := `# Migration for the shop.   (a comment at the top)
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate   # trailing comment
  annotations:
    argocd.argoproj.io/hook: presync  # typo
    helm.sh/hook-weight: "-2"
    argocd.argoproj.io/hook-delete-policy: 'hook-succeeded'
spec:
  template:
    spec:
      containers:
      - name: m
        image: app:1
        command:
          - sh
          - -c
          - |
            echo   "keep   my    spacing"
      restartPolicy: Never
---
# second document
apiVersion: v1
kind: Pod
metadata:
  name: p
spec: {containers: []}
`
	fx, err := FixFile("x.yaml", []byte(in), allFixes)
	require.NoError(t, err)
	want := `# Migration for the shop.   (a comment at the top)
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate   # trailing comment
  annotations:
    argocd.argoproj.io/hook: PreSync  # typo
    argocd.argoproj.io/hook-delete-policy: 'HookSucceeded'
    argocd.argoproj.io/sync-wave: "-2"
spec:
  template:
    spec:
      containers:
      - name: m
        image: app:1
        command:
          - sh
          - -c
          - |
            echo   "keep   my    spacing"
      restartPolicy: Never
  backoffLimit: 2
  activeDeadlineSeconds: 600
---
# second document
apiVersion: v1
kind: Pod
metadata:
  name: p
spec: {containers: []}
`
	assert.Equal(t, want, string(fx.After))
	var changes []string
	for _, c := range fx.Changes {
		changes = append(changes, c.String())
	}
	assert.Equal(t, []string{
		`Job migrate: hook "presync" -> "PreSync"`,
		`Job migrate: hook-delete-policy "hook-succeeded" -> "HookSucceeded"`,
		`Job migrate: helm.sh/hook-weight "-2" -> sync-wave "-2"`,
		`Job migrate: spec.backoffLimit: 2 (injected default)`,
		`Job migrate: spec.activeDeadlineSeconds: 600 (injected default)`,
	}, changes)

	// Fixing again changes nothing: the result is a fixed point.
	again, err := FixFile("x.yaml", fx.After, allFixes)
	require.NoError(t, err)
	assert.False(t, again.Changed())
	assert.Empty(t, again.Changes)
}

func TestFixAddsAnnotationsMapping(t *testing.T) {
	in := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app.kubernetes.io/component: migration\nspec:\n  containers: []\n"
	h, err := normalize.ParseSelectorHook("app.kubernetes.io/component=migration", "PreSync")
	require.NoError(t, err)
	fx, err := FixFile("p.yaml", []byte(in), normalize.Options{Selectors: []normalize.SelectorHook{h}, Version: hooks.Latest})
	require.NoError(t, err)
	assert.Equal(t, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app.kubernetes.io/component: migration\n  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:\n  containers: []\n", string(fx.After))
}

func TestFixRefusesWhatItCannotEditInPlace(t *testing.T) {
	in := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations: {argocd.argoproj.io/hook: presync}\n"
	_, err := FixFile("j.yaml", []byte(in), allFixes)
	assert.ErrorContains(t, err, "j.yaml:5: cannot rewrite argocd.argoproj.io/hook in place")
}

func TestFixLeavesCleanFilesAlone(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c   # keep\ndata: {a: b}\n"
	fx, err := FixFile("c.yaml", []byte(in), allFixes)
	require.NoError(t, err)
	assert.False(t, fx.Changed())
}

// FuzzFixFile: any input either fails cleanly or fixes into YAML whose
// second fix changes nothing.
func FuzzFixFile(f *testing.F) {
	f.Add("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: presync\nspec:\n  template: {}\n")
	f.Add("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/sync-wave: 5\n    helm.sh/hook: pre-install\n")
	f.Add("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
	f.Fuzz(func(t *testing.T, in string) {
		fx, err := FixFile("f.yaml", []byte(in), allFixes)
		if err != nil {
			return
		}
		again, err := FixFile("f.yaml", fx.After, allFixes)
		if err != nil {
			t.Fatalf("fixed text does not fix again: %v\n%s", err, fx.After)
		}
		if again.Changed() && !strings.Contains(in, "\r") {
			t.Fatalf("fix is not idempotent:\n%s\n---\n%s", fx.After, again.After)
		}
	})
}
