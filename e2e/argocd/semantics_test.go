package argocd

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/sync/hook"
	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/sync/ignore"
	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/sync/syncwaves"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/hookguard/hookguard/internal/hooks"
)

// absent marks an annotation that is not set at all (unlike "").
const absent = "\x00absent"

// Values with case slips, spaces, empty items, duplicates, Helm names in the
// Argo key, unsupported Helm hooks, and strings strconv.Atoi refuses.
var (
	argoHooks = []string{absent, "", " ", "PreSync", "presync", "PreSync, PostSync", "Skip", "Skip,PreSync",
		"PreSync,PreSync", "Sync,Garbage", "PostDelete", "PostDelete,PreSync", "SyncFail", " Sync ,", "PRESYNC", "pre-install"}
	helmHooks = []string{absent, "pre-install", "crd-install", "crd-install,pre-install", "test", "pre-install, post-install",
		"pre-upgrade,pre-rollback", " crd-install", "post-delete", "pre-install,pre-upgrade"}
	argoPolicies = []string{absent, "HookSucceeded", "hook-succeeded", "BeforeHookCreation,HookFailed", "", "HookSucceeded,HookSucceeded", " HookFailed "}
	helmPolicies = []string{absent, "hook-succeeded", "before-hook-creation,hook-failed", "HookSucceeded"}
	waves        = []string{absent, "-1", "+3", " 5", "1.5", "", "five", "007"}
	weights      = []string{absent, "7", "-2", "x", ""}
)

type verdict struct {
	IsHook, Skip, Ignore bool
	Types                []string
	DeletePolicies       []string
	Wave                 int
}

// argoVerdict asks Argo CD's own gitops-engine functions.
func argoVerdict(ann map[string]any) verdict {
	obj := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": "x", "annotations": ann},
	}}
	v := verdict{IsHook: hook.IsHook(obj), Skip: hook.Skip(obj), Ignore: ignore.Ignore(obj), Wave: syncwaves.Wave(obj)}
	for _, t := range hook.Types(obj) {
		v.Types = append(v.Types, string(t))
	}
	for _, p := range hook.DeletePolicies(obj) {
		v.DeletePolicies = append(v.DeletePolicies, string(p))
	}
	return v
}

// ourVerdict asks hookguard's semantics package.
func ourVerdict(strs map[string]string, readable bool) verdict {
	f := hooks.Analyze(strs, readable, hooks.Latest)
	v := verdict{IsHook: f.IsHook, Skip: f.Skip, Ignore: f.Ignored, Wave: f.Wave}
	for _, t := range f.Types {
		v.Types = append(v.Types, string(t))
	}
	for _, p := range f.DeletePolicies {
		v.DeletePolicies = append(v.DeletePolicies, string(p))
	}
	return v
}

func compare(t *testing.T, ann map[string]any) bool {
	t.Helper()
	strs := map[string]string{}
	readable := true
	for k, v := range ann {
		if s, ok := v.(string); ok {
			strs[k] = s
		} else {
			strs[k] = fmt.Sprint(v)
			readable = false
		}
	}
	want, got := argoVerdict(ann), ourVerdict(strs, readable)
	if !reflect.DeepEqual(want, got) {
		t.Errorf("annotations %q:\n  Argo CD:   %+v\n  hookguard: %+v", ann, want, got)
		return false
	}
	return true
}

// TestSemanticsAgreeWithGitopsEngine compares every combination of the value
// pools above, each also with a non-string annotation beside it.
func TestSemanticsAgreeWithGitopsEngine(t *testing.T) {
	n, failures := 0, 0
	set := func(m map[string]any, k, v string) {
		if v != absent {
			m[k] = v
		}
	}
	for _, ah := range argoHooks {
		for _, hh := range helmHooks {
			for _, ap := range argoPolicies {
				for _, hp := range helmPolicies {
					for _, w := range waves {
						for _, wt := range weights {
							for _, nonString := range []bool{false, true} {
								ann := map[string]any{}
								set(ann, hooks.AnnotationHook, ah)
								set(ann, hooks.AnnotationHelmHook, hh)
								set(ann, hooks.AnnotationHookDeletePolicy, ap)
								set(ann, hooks.AnnotationHelmDeletePolicy, hp)
								set(ann, hooks.AnnotationSyncWave, w)
								set(ann, hooks.AnnotationHelmWeight, wt)
								if nonString {
									ann["example.com/replicas"] = int64(5) // an unquoted number
								}
								n++
								if !compare(t, ann) {
									failures++
									if failures > 20 {
										t.Fatalf("stopping after %d disagreements", failures)
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("hookguard and gitops-engine agree on %d of %d annotation combinations", n-failures, n)
}

// FuzzSemanticsAgree compares arbitrary strings; the pools above are its seeds.
func FuzzSemanticsAgree(f *testing.F) {
	for i := range argoHooks {
		f.Add(argoHooks[i], helmHooks[i%len(helmHooks)], argoPolicies[i%len(argoPolicies)], waves[i%len(waves)], weights[i%len(weights)])
	}
	f.Fuzz(func(t *testing.T, ah, hh, ap, w, wt string) {
		compare(t, map[string]any{
			hooks.AnnotationHook: ah, hooks.AnnotationHelmHook: hh, hooks.AnnotationHookDeletePolicy: ap,
			hooks.AnnotationSyncWave: w, hooks.AnnotationHelmWeight: wt,
		})
	})
}
