package fix

import (
	"os"
	"path/filepath"
	"runtime"
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
    argocd.argoproj.io/sync-wave: "-2"
    argocd.argoproj.io/hook-delete-policy: 'HookSucceeded'
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

var (
	spelling  = normalize.Options{Spelling: true, Version: hooks.Latest}
	translate = normalize.Options{Spelling: true, TranslateHelm: true, Version: hooks.Latest}
)

// fixCase is one input fixed with opts: into out, or refused with err.
type fixCase struct {
	name string
	opts normalize.Options
	in   string
	out  string // "" with err set: refused
	err  string
}

func runFixCases(t *testing.T, cases []fixCase, crlf bool) {
	t.Helper()
	conv := func(s string) string {
		if crlf {
			return strings.ReplaceAll(s, "\n", "\r\n")
		}
		return s
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fx, err := FixFile("f.yaml", []byte(conv(c.in)), c.opts)
			if c.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.err)
				if !strings.Contains(c.err, "unknown anchor") { // YAML Argo CD cannot read either
					assert.Contains(t, err.Error(), "by hand")
				}
				assert.NotContains(t, err.Error(), "internal")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, conv(c.out), string(fx.After))
			again, err := FixFile("f.yaml", fx.After, c.opts)
			require.NoError(t, err)
			assert.False(t, again.Changed(), "fixing the result again changes nothing:\n%s", again.After)
		})
	}
}

func TestFixAnchorsAndAliases(t *testing.T) {
	runFixCases(t, []fixCase{
		{
			name: "an anchor and its alias under the same key are fixed together, both kept",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n  annotations:\n    argocd.argoproj.io/hook: *h\n",
			// An alias to an anchor of an earlier document: Argo CD cannot read it either.
			err: "unknown anchor",
		},
		{
			name: "an anchored value no alias reads is rewritten, its anchor kept",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync  # c\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h PreSync  # c\n",
		},
		{
			name: "an anchored number and its alias become the same string",
			opts: spelling,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/sync-wave: &w 5\n    other: *w\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/sync-wave: &w \"5\"\n    other: *w\n",
		},
		{
			name: "a tag stays while the type does, goes when it changes; the anchor stays",
			opts: spelling,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: !!str \"presync\"\n    argocd.argoproj.io/sync-wave: &w !!int 5\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: !!str \"PreSync\"\n    argocd.argoproj.io/sync-wave: &w \"5\"\n",
		},
		{
			name: "an anchored Helm hook no alias reads is translated on its line",
			opts: translate,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: &h pre-install  # first\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: &h PreSync  # first\n",
		},
		{
			name: "an anchored Helm hook goes with its aliases",
			opts: translate,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: &h pre-install\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n  annotations:\n    helm.sh/hook: *h\n",
			// An alias to an anchor of an earlier document: Argo CD cannot read it either.
			err: "unknown anchor",
		},
		{
			name: "annotations that are an alias, with nothing to fix, are left alone",
			opts: allFixes,
			in:   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: &a\n    team: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: *a\n",
			// An alias to an anchor of an earlier document: Argo CD cannot read it either.
			err: "unknown anchor",
		},
		{
			name: "refused: the anchor is also read under another key",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync\n    other: *h\n",
			err:  `f.yaml:6: cannot fix argocd.argoproj.io/hook in place: its value has the anchor &h, and *h at line 7 would change with it; set argocd.argoproj.io/hook to "PreSync" by hand`,
		},
		{
			name: "refused: the value is an alias of a label",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  labels:\n    phase: &p presync\n  annotations:\n    argocd.argoproj.io/hook: *p\n",
			err:  `f.yaml:8: cannot fix argocd.argoproj.io/hook in place: its value is the alias *p of line 6`,
		},
		{
			name: "refused: the anchor is read in a document that is not an object",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync\n---\nsettings: {phase: *h}\n",
			// An alias to an anchor of an earlier document: Argo CD cannot read it either.
			err: "unknown anchor",
		},
		{
			name: "refused: annotations shared by two objects",
			opts: spelling,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations: &a\n    argocd.argoproj.io/hook: presync\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n  annotations: *a\n",
			// An alias to an anchor of an earlier document: Argo CD cannot read it either.
			err: "unknown anchor",
		},
		{
			name: "refused: removing a Helm hook whose anchor another annotation reads",
			opts: translate,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: &h pre-install\n    note: *h\n",
			err:  `f.yaml:6: cannot remove helm.sh/hook in place: it holds the anchor &h, which *h at line 7 still reads; edit it by hand`,
		},
	}, false)
}

// Regression: an anchored hook value used to stop the whole run with an
// "internal" error; now the one file is reported and the others are fixed.
func TestFixKeepsGoingPastAFileItCannotFix(t *testing.T) {
	dir := t.TempDir()
	bad := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync\n    other: *h\n"
	good := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n  annotations:\n    argocd.argoproj.io/hook: presync\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(bad), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "b.yaml"), []byte(good), 0o644))
	fixes, err := Fix([]string{dir}, spelling)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "a.yaml")+":6: cannot fix argocd.argoproj.io/hook in place")
	assert.Contains(t, err.Error(), "by hand")
	assert.NotContains(t, err.Error(), "internal")
	require.Len(t, fixes, 1)
	assert.Equal(t, filepath.Join(dir, "b.yaml"), fixes[0].File)
	assert.Equal(t, strings.Replace(good, "presync", "PreSync", 1), string(fixes[0].After))
}

func TestFixKeepsLineEndings(t *testing.T) {
	h, err := normalize.ParseSelectorHook("app=migrate", "PreSync")
	require.NoError(t, err)
	selector := normalize.Options{Spelling: true, Selectors: []normalize.SelectorHook{h}, Version: hooks.Latest}
	cases := []fixCase{
		{
			name: "lines added to annotations and spec",
			opts: allFixes,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: presync\nspec:\n  template: {}\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\nspec:\n  template: {}\n  backoffLimit: 2\n  activeDeadlineSeconds: 600\n",
		},
		{
			name: "an annotations mapping added",
			opts: selector,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: migrate\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: migrate\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n",
		},
		{
			name: "entries added under an empty annotations key",
			opts: selector,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:   # none yet\n  labels:\n    app: migrate\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:   # none yet\n    argocd.argoproj.io/hook: PreSync\n  labels:\n    app: migrate\n",
		},
		{
			name: "a Helm hook translated on its line",
			opts: translate,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: pre-install  # run first\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: PreSync  # run first\n",
		},
		{
			name: "the last line has no line break",
			opts: normalize.Options{Spelling: true, BeforeHookCreation: true, Version: hooks.Latest},
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: PreSync",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation",
		},
	}
	t.Run("LF", func(t *testing.T) { runFixCases(t, cases, false) })
	t.Run("CRLF", func(t *testing.T) { runFixCases(t, cases, true) })
	t.Run("CRLF output has no bare LF", func(t *testing.T) {
		for _, c := range cases {
			fx, err := FixFile("f.yaml", []byte(strings.ReplaceAll(c.in, "\n", "\r\n")), c.opts)
			require.NoError(t, err)
			assert.Equal(t, strings.Count(string(fx.After), "\n"), strings.Count(string(fx.After), "\r\n"), c.name)
		}
	})
}

// Regression: a CRLF file got LF lines inserted.
func TestFixCRLFFile(t *testing.T) {
	in := "apiVersion: batch/v1\r\nkind: Job\r\nmetadata:\r\n  name: migrate   # trailing comment\r\n  annotations:\r\n    argocd.argoproj.io/hook: presync  # typo\r\n    helm.sh/hook-weight: \"-2\"\r\nspec:\r\n  template:\r\n    spec:\r\n      restartPolicy: Never\r\n"
	fx, err := FixFile("x.yaml", []byte(in), allFixes)
	require.NoError(t, err)
	assert.Equal(t, "apiVersion: batch/v1\r\nkind: Job\r\nmetadata:\r\n  name: migrate   # trailing comment\r\n  annotations:\r\n    argocd.argoproj.io/hook: PreSync  # typo\r\n    argocd.argoproj.io/sync-wave: \"-2\"\r\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\r\nspec:\r\n  template:\r\n    spec:\r\n      restartPolicy: Never\r\n  backoffLimit: 2\r\n  activeDeadlineSeconds: 600\r\n", string(fx.After))
}

func TestFixTranslateHelmKeepsComments(t *testing.T) {
	runFixCases(t, []fixCase{
		{
			name: "a trailing comment stays on the translated line",
			opts: translate,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install  # run first\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync  # run first\n",
		},
		{
			name: "every Helm hook line keeps its place, quoting and comments",
			opts: translate,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    # runs before the app\n    helm.sh/hook: pre-install,pre-upgrade   # first\n    team: shop\n    helm.sh/hook-weight: \"-5\" # early\n    helm.sh/hook-delete-policy: 'before-hook-creation'\t# tab\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    # runs before the app\n    argocd.argoproj.io/hook: PreSync   # first\n    team: shop\n    argocd.argoproj.io/sync-wave: \"-5\" # early\n    argocd.argoproj.io/hook-delete-policy: 'BeforeHookCreation'\t# tab\n",
		},
		{
			name: "a quoted key and value",
			opts: translate,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    \"helm.sh/hook\": \"post-install\" # then\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: \"PostSync\" # then\n",
		},
		{
			name: "a multi-line value is removed and the translation added at the end",
			opts: translate,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install,\n      pre-upgrade\n    team: shop\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    team: shop\n    argocd.argoproj.io/hook: PreSync\n",
		},
	}, false)
}

// An entry ends where its value closes, not where indentation says: lines
// are never inserted inside a flow collection or quoted scalar.
func TestFixFindsWhereEntriesEnd(t *testing.T) {
	runFixCases(t, []fixCase{
		{
			name: "a flow sequence closing at its key's indentation",
			opts: allFixes,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\nspec:\n  template: {}\n  args: [\n    \"a\", 'b]',\n  ]  # end\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\nspec:\n  template: {}\n  args: [\n    \"a\", 'b]',\n  ]  # end\n  backoffLimit: 2\n  activeDeadlineSeconds: 600\n",
		},
		{
			name: "a flow mapping closing left of its key",
			opts: allFixes,
			in:   "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\nspec:\n  template: {\n    a: \"}\"\n}\n",
			out:  "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation\nspec:\n  template: {\n    a: \"}\"\n}\n  backoffLimit: 2\n  activeDeadlineSeconds: 600\n",
		},
	}, false)
}

func TestFixEmptyAndNonStringValues(t *testing.T) {
	runFixCases(t, []fixCase{
		{
			name: "empty annotation values become empty strings",
			opts: spelling,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x:\n    y:   # c\n    z: &e\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x: \"\"\n    y: \"\"   # c\n    z: &e \"\"\n",
		},
		{
			name: "values Argo CD reads as booleans or numbers (YAML 1.1) are quoted in the file",
			opts: spelling,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x: yes  # c\n    y: 0777\n    z: !!str on\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    x: \"yes\"  # c\n    y: \"0777\"\n    z: !!str on\n",
		},
		{
			name: "an empty Helm hook, never run by Argo CD, is not translated",
			opts: normalize.Options{Spelling: true, TranslateHelm: true, KeepHelmDropped: true, Version: hooks.Latest},
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook:\n",
			out:  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: \"\"\n",
		},
		{
			name: "refused: every annotation would go",
			opts: translate,
			in:   "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook-weight:\n",
			err:  `f.yaml:5: cannot remove every annotation in place ("annotations:" would be left without a value); edit it by hand`,
		},
	}, false)
}

func TestFixRefusesSymlinks(t *testing.T) {
	outside, tree := t.TempDir(), t.TempDir()
	src := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: presync\n"
	clean := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	target := filepath.Join(outside, "job.yaml")
	require.NoError(t, os.WriteFile(target, []byte(src), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(outside, "clean.yaml"), []byte(clean), 0o644))
	link := filepath.Join(tree, "job.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	require.NoError(t, os.Symlink(filepath.Join(outside, "clean.yaml"), filepath.Join(tree, "clean.yaml")))
	require.NoError(t, os.WriteFile(filepath.Join(tree, "own.yaml"), []byte(src), 0o644))

	fixes, err := Fix([]string{tree}, spelling)
	require.Error(t, err)
	assert.Equal(t, link+": is a symbolic link (to "+target+"); hookguard fix does not write through links, so it was not changed: run it on the file the link points to", err.Error(),
		"only the link that needs a fix is reported")
	require.Len(t, fixes, 1)
	assert.Equal(t, filepath.Join(tree, "own.yaml"), fixes[0].File)

	// Write refuses a link too, even when handed one directly.
	fx, err := FixFile(link, []byte(src), spelling)
	require.NoError(t, err)
	assert.ErrorContains(t, Write(fx), link+": is a symbolic link")
	got, _ := os.ReadFile(target)
	assert.Equal(t, src, string(got), "the file outside the tree is untouched")
	info, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, info.Mode()&os.ModeSymlink, "the link is still a link")
}

func TestFixRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	assert.ErrorContains(t, Write(FileFix{File: dir, Before: nil, After: []byte("x")}), dir+": not a regular file")
	if runtime.GOOS != "windows" {
		_, err := Fix([]string{os.DevNull}, spelling)
		assert.ErrorContains(t, err, os.DevNull+": not a regular file")
	}
}

func TestWriteReplacesTheFileKeepingItsMode(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "job.yaml")
	src := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: presync\n"
	require.NoError(t, os.WriteFile(file, []byte(src), 0o600))
	require.NoError(t, os.Chmod(file, 0o640))
	fx, err := FixFile(file, []byte(src), spelling)
	require.NoError(t, err)
	require.NoError(t, Write(fx))
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(fx.After), string(got))
	if runtime.GOOS != "windows" {
		info, err := os.Stat(file)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o640), info.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	// A fix made from text the file no longer holds is not written.
	assert.ErrorContains(t, Write(fx), file+": changed since hookguard read it")
}

// FuzzFixFile: any input either fails cleanly (never with an "internal"
// error: what cannot be fixed in place is refused up front) or fixes into
// YAML whose second fix changes nothing, whatever its line breaks.
func FuzzFixFile(f *testing.F) {
	f.Add("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: presync\nspec:\n  template: {}\n")
	f.Add("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    argocd.argoproj.io/sync-wave: 5\n    helm.sh/hook: pre-install\n")
	f.Add("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n")
	f.Add("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: &h presync\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: b\n  annotations:\n    argocd.argoproj.io/hook: *h\n    other: *h\n")
	f.Add("apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: p\r\n  annotations:\r\n    helm.sh/hook: pre-install  # run first\r\n    helm.sh/hook-weight: &w 5\r\nspec:\r\n  containers: []\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		fx, err := FixFile("f.yaml", []byte(in), allFixes)
		if err != nil {
			if strings.Contains(err.Error(), "internal") {
				t.Fatalf("%v\n%q", err, in)
			}
			return
		}
		again, err := FixFile("f.yaml", fx.After, allFixes)
		if err != nil {
			t.Fatalf("fixed text does not fix again: %v\n%s", err, fx.After)
		}
		if again.Changed() {
			t.Fatalf("fix is not idempotent:\n%q\n---\n%q", fx.After, again.After)
		}
	})
}
