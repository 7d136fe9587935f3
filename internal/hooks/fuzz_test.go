package hooks

import (
	"slices"
	"testing"
)

// FuzzAnalyze checks invariants of the derived facts on arbitrary annotation
// values: never a panic, a delete policy always, phases only when synced,
// and a role that agrees with the other facts.
func FuzzAnalyze(f *testing.F) {
	for _, s := range [][6]string{
		{"PreSync", "", "", "", "", ""},
		{"presync", "", "", "pre-upgrade", "", ""},
		{"Skip,PreSync", "HookSucceeded", "-1", "", "", ""},
		{"PostDelete,PreSync", "hook-succeeded", " 5", "", "hook-failed", "7"},
		{"", "", "+3", "crd-install", "", "x"},
		{"Sync,,Sync, ", "BeforeHookCreation,HookFailed", "1.5", "test", "before-hook-creation", "2"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], true)
	}
	f.Fuzz(func(t *testing.T, hook, policy, wave, helmHook, helmPolicy, weight string, present bool) {
		ann := map[string]string{}
		if present || hook != "" {
			ann[AnnotationHook] = hook
		}
		for k, v := range map[string]string{AnnotationHookDeletePolicy: policy, AnnotationSyncWave: wave, AnnotationHelmHook: helmHook, AnnotationHelmDeletePolicy: helmPolicy, AnnotationHelmWeight: weight} {
			if v != "" {
				ann[k] = v
			}
		}
		for _, v := range []Version{Latest, {2, 9, 0}, {3, 2, 0}, {3, 4, 0}} {
			fa := Analyze(ann, true, v)
			if len(fa.DeletePolicies) == 0 {
				t.Fatal("no delete policy")
			}
			if fa.Skip && (fa.IsHook || len(fa.Phases) > 0) {
				t.Fatalf("skipped object is a hook or has phases: %+v", fa)
			}
			if fa.Ignored != (fa.IsHook && len(fa.Types) == 0) {
				t.Fatalf("Ignored disagrees with IsHook/Types: %+v", fa)
			}
			switch fa.Role {
			case RoleHook, RoleResource:
				if len(fa.Phases) == 0 {
					t.Fatalf("role %s without phases: %+v", fa.Role, fa)
				}
			case RoleDropped:
				if len(fa.Phases) > 0 || len(fa.DeleteTypes) > 0 || fa.Skip {
					t.Fatalf("dropped object still runs: %+v", fa)
				}
			}
			if fa.Role == RoleResource && !slices.Equal(fa.Phases, []HookType{Sync}) {
				t.Fatalf("resource outside Sync: %+v", fa)
			}
			SyncTasks([]Object{{Kind: "Job", Name: "x", Facts: fa}})
		}
	})
}
