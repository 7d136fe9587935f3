package normalize

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

func run(t *testing.T, opts Options, in string) (string, []string) {
	t.Helper()
	var changes []string
	var out bytes.Buffer
	opts.Version = hooks.Latest
	err := kio.Pipeline{
		Inputs:                []kio.Reader{&kio.ByteReader{Reader: strings.NewReader(in), OmitReaderAnnotations: true}},
		Filters:               Filters(opts, func(c Change) { changes = append(changes, c.String()) }),
		Outputs:               []kio.Writer{kio.ByteWriter{Writer: &out}},
		ContinueOnEmptyResult: true,
	}.Execute()
	require.NoError(t, err)
	return out.String(), changes
}

func TestFilters(t *testing.T) {
	cases := []struct {
		name    string
		opts    Options
		in      string
		out     string
		changes []string
	}{
		{
			name: "spelling: hook type, delete policy, wave, unquoted value",
			opts: Options{Spelling: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: m
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: "presync, PostSync"
    argocd.argoproj.io/hook-delete-policy: hook-succeeded
    argocd.argoproj.io/sync-wave: " +5"
    other: 3
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: m
  namespace: shop
  annotations:
    argocd.argoproj.io/hook: "PreSync,PostSync"
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
    argocd.argoproj.io/sync-wave: "5"
    other: "3"
`,
			changes: []string{
				`Job shop/m: hook "presync, PostSync" -> "PreSync,PostSync"`,
				`Job shop/m: hook-delete-policy "hook-succeeded" -> "HookSucceeded"`,
				`Job shop/m: sync-wave " +5" -> "5"`,
				`Job shop/m: annotation other: 3 -> "3" (a string, so Argo CD reads the annotations)`,
			},
		},
		{
			name: "helm hooks become Argo CD hooks with the same behaviour",
			opts: Options{TranslateHelm: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: upgrade-crds
  annotations:
    helm.sh/hook: pre-install,pre-upgrade,pre-rollback
    helm.sh/hook-weight: "5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: upgrade-crds
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded
    argocd.argoproj.io/sync-wave: "5"
`,
			changes: []string{`Job upgrade-crds: helm.sh/hook "pre-install,pre-upgrade,pre-rollback" -> hook "PreSync", hook-delete-policy "BeforeHookCreation,HookSucceeded", helm.sh/hook-weight "5" -> sync-wave "5"`},
		},
		{
			name: "helm test hooks are removed with a note",
			opts: Options{TranslateHelm: true},
			in: `apiVersion: v1
kind: Pod
metadata:
  name: test-connection
  annotations:
    helm.sh/hook: test
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
`,
			out: `apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
`,
			changes: []string{`Pod test-connection: removed: helm.sh/hook "test" is never run by Argo CD`},
		},
		{
			name: "mixed: Argo type wins, Helm policy merged, pre-delete kept as PreDelete",
			opts: Options{TranslateHelm: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: x
  annotations:
    argocd.argoproj.io/hook: PostSync
    helm.sh/hook: pre-install,pre-delete
    helm.sh/hook-delete-policy: hook-succeeded
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: x
  annotations:
    argocd.argoproj.io/hook: PostSync,PreDelete
    argocd.argoproj.io/hook-delete-policy: HookSucceeded
`,
			changes: []string{`Job x: helm.sh/hook "pre-install,pre-delete" -> hook "PostSync,PreDelete", hook-delete-policy "HookSucceeded"`},
		},
		{
			name: "explicit BeforeHookCreation on named hooks only",
			opts: Options{BeforeHookCreation: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: named
  annotations:
    argocd.argoproj.io/hook: PreSync
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: gen-
  annotations:
    argocd.argoproj.io/hook: PreSync
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: named
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
---
apiVersion: batch/v1
kind: Job
metadata:
  generateName: gen-
  annotations:
    argocd.argoproj.io/hook: PreSync
`,
			changes: []string{`Job named: hook-delete-policy "BeforeHookCreation" (Argo CD's default, made explicit)`},
		},
		{
			name: "defaults injected into hook Jobs and Pods, not resources or set values",
			opts: Options{BackoffLimit: 2, ActiveDeadlineSeconds: 600},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 0
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  containers: []
---
apiVersion: batch/v1
kind: Job
metadata:
  name: not-a-hook
spec: {}
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  backoffLimit: 0
  activeDeadlineSeconds: 600
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    argocd.argoproj.io/hook: PostSync
spec:
  containers: []
  activeDeadlineSeconds: 600
---
apiVersion: batch/v1
kind: Job
metadata:
  name: not-a-hook
spec: {}
`,
			changes: []string{`Job j: spec.activeDeadlineSeconds: 600 (injected default)`, `Pod p: spec.activeDeadlineSeconds: 600 (injected default)`},
		},
		{
			name: "anchors: a hook value also read under another key changes only where it is fixed",
			opts: Options{Spelling: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations:
    argocd.argoproj.io/hook: &h presync
    other: *h
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations:
    argocd.argoproj.io/hook: &h PreSync
    other: presync
`,
			changes: []string{`Job a: hook "presync" -> "PreSync"`},
		},
		{
			name: "anchors: a hook value that is an alias is fixed, its anchor is not",
			opts: Options{Spelling: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  labels:
    phase: &p presync
  annotations:
    argocd.argoproj.io/hook: *p
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  labels:
    phase: &p presync
  annotations:
    argocd.argoproj.io/hook: PreSync
`,
			changes: []string{`Job a: hook "presync" -> "PreSync"`},
		},
		{
			name: "anchors: removing an anchored Helm hook keeps what its alias reads",
			opts: Options{TranslateHelm: true},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations:
    helm.sh/hook: &h pre-install
    note: *h
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations:
    note: pre-install
    argocd.argoproj.io/hook: PreSync
`,
			changes: []string{`Job a: helm.sh/hook "pre-install" -> hook "PreSync"`},
		},
		{
			name: "nothing enabled: nothing changes",
			opts: Options{},
			in: `apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    argocd.argoproj.io/hook: presync
`,
			out: `apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    argocd.argoproj.io/hook: presync
`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, changes := run(t, c.opts, c.in)
			assert.Equal(t, c.out, out)
			assert.Equal(t, c.changes, changes)
		})
	}
}

func TestSelectors(t *testing.T) {
	h, err := ParseSelectorHook("app.kubernetes.io/component=migration", "PreSync,wave=-1,delete-policy=BeforeHookCreation+HookSucceeded")
	require.NoError(t, err)
	out, changes := run(t, Options{Selectors: []SelectorHook{h}}, `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  labels:
    app.kubernetes.io/component: migration
---
apiVersion: batch/v1
kind: Job
metadata:
  name: other
  labels:
    app.kubernetes.io/component: worker
---
apiVersion: batch/v1
kind: Job
metadata:
  name: already
  labels:
    app.kubernetes.io/component: migration
  annotations:
    argocd.argoproj.io/hook: PostSync
`)
	assert.Contains(t, out, "name: migrate\n  labels:\n    app.kubernetes.io/component: migration\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-wave: \"-1\"\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation,HookSucceeded\n")
	assert.Equal(t, []string{`Job migrate: hook "PreSync", sync-wave "-1", hook-delete-policy "BeforeHookCreation,HookSucceeded" (selector app.kubernetes.io/component=migration)`}, changes)

	// An empty "annotations:" is filled in, not left empty while the change is reported.
	out, changes = run(t, Options{Selectors: []SelectorHook{h}}, "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n  labels:\n    app.kubernetes.io/component: migration\n")
	assert.Contains(t, out, "  annotations:\n    argocd.argoproj.io/hook: PreSync\n")
	assert.Len(t, changes, 1)

	for _, bad := range [][2]string{
		{"", "PreSync"},
		{"a=b", "presync"},
		{"a=b", "Skip"},
		{"a=b", "wave=x"},
		{"a=b", "PreSync,delete-policy=hook-succeeded"},
		{"a=b", "wave=1"},
		{"a=b", "PreSync,color=red"},
		{"a in (", "PreSync"},
	} {
		_, err := ParseSelectorHook(bad[0], bad[1])
		assert.Error(t, err, "%v", bad)
	}
}

// Regression: objects sharing an annotations mapping through an anchor are
// each normalized as their own, and neither changes through the other.
func TestObjectsSharedAnchors(t *testing.T) {
	in := `apiVersion: v1
kind: List
items:
- apiVersion: batch/v1
  kind: Job
  metadata:
    name: a
    annotations: &a
      argocd.argoproj.io/hook: presync
      argocd.argoproj.io/sync-wave: &w 5
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
    annotations: *a
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: c
  data:
    wave: *w
`
	objs, err := manifest.Loader{}.Parse("list.yaml", []byte(in))
	require.NoError(t, err)
	var changes []string
	objs, err = Objects(objs, Options{Spelling: true, Version: hooks.Latest}, func(c Change) { changes = append(changes, c.String()) })
	require.NoError(t, err)
	out, err := manifest.Encode(objs)
	require.NoError(t, err)
	assert.Equal(t, `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations: &a
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: &w "5"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: "5"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  wave: 5
`, string(out), "c's data still reads the integer 5")
	assert.Equal(t, []string{
		`Job a: hook "presync" -> "PreSync"`,
		`Job a: annotation argocd.argoproj.io/sync-wave: 5 -> "5" (a string, so Argo CD reads the annotations)`,
		`ConfigMap b: hook "presync" -> "PreSync"`,
		`ConfigMap b: annotation argocd.argoproj.io/sync-wave: 5 -> "5" (a string, so Argo CD reads the annotations)`,
	}, changes)
}
