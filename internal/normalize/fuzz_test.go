package normalize

import (
	"testing"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// FuzzNormalize runs every filter over arbitrary manifests: never a panic;
// afterwards every scalar annotation Argo CD reads is a string, and a second pass
// changes nothing (normalization is a fixed point). What a Helm translation
// must keep (Argo CD's behaviour) is checked inside the filter itself.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    argocd.argoproj.io/hook: presync\n    argocd.argoproj.io/sync-wave: 5\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: x}]\n",
		"apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: m-\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-1\"\n    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\nspec: {}\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n    flag: yes\n    empty:\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {app.kubernetes.io/component: migration}\n",
	} {
		f.Add(s)
	}
	selector, err := ParseSelectorHook("app.kubernetes.io/component=migration", "PreSync,wave=-1")
	if err != nil {
		f.Fatal(err)
	}
	opts := Options{Spelling: true, TranslateHelm: true, BeforeHookCreation: true, BackoffLimit: 3, ActiveDeadlineSeconds: 600,
		Selectors: []SelectorHook{selector}, Version: hooks.Latest}
	f.Fuzz(func(t *testing.T, src string) {
		objs, err := manifest.Loader{}.Parse("fuzz.yaml", []byte(src))
		if err != nil {
			return
		}
		out, err := Objects(objs, opts, nil)
		if err != nil {
			return // a refusal with a message is fine; a panic is not
		}
		for _, o := range out {
			_, notString := o.Annotations()
			for _, n := range notString {
				// A list or mapping cannot be made a string; the lint rule
				// annotation-value-not-string blocks it.
				if n.Type != "a list" && n.Type != "a mapping" {
					t.Fatalf("%s: annotation %s left %s", o.Ref(), n.Key, n.Type)
				}
			}
		}
		data, err := manifest.Encode(out)
		if err != nil {
			t.Fatalf("normalized objects do not encode: %v", err)
		}
		again, err := manifest.Loader{}.Parse("again.yaml", data)
		if err != nil {
			t.Fatalf("normalized output does not parse: %v\n%s", err, data)
		}
		var changes []Change
		if _, err := Objects(again, opts, func(c Change) { changes = append(changes, c) }); err != nil {
			t.Fatalf("second pass failed: %v", err)
		}
		if len(changes) > 0 {
			t.Fatalf("normalization is not a fixed point: %v\n%s", changes, data)
		}
	})
}
