package hooks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	hk  = AnnotationHook
	dp  = AnnotationHookDeletePolicy
	sw  = AnnotationSyncWave
	hh  = AnnotationHelmHook
	hdp = AnnotationHelmDeletePolicy
	hw  = AnnotationHelmWeight
)

// One case per fact of argocd-semantics.md A1–A3 and section D.
func TestAnalyzeHookTypes(t *testing.T) {
	cases := []struct {
		name    string
		ann     map[string]string
		isHook  bool
		types   []HookType
		phases  []HookType
		role    Role
		skip    bool
		ignored bool
	}{
		{"plain resource", map[string]string{}, false, []HookType{}, []HookType{Sync}, RoleResource, false, false},
		{"A1 exact PreSync", map[string]string{hk: "PreSync"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A1 comma split and trim", map[string]string{hk: "PreSync, PostSync"}, true, []HookType{PreSync, PostSync}, []HookType{PreSync, PostSync}, RoleHook, false, false},
		{"A1 duplicates removed", map[string]string{hk: "PreSync,PreSync"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A1 case slip dropped", map[string]string{hk: "presync"}, true, []HookType{}, []HookType{}, RoleDropped, false, true},
		{"A1 empty value dropped", map[string]string{hk: ""}, true, []HookType{}, []HookType{}, RoleDropped, false, true},
		{"A1 blank value dropped", map[string]string{hk: "  "}, true, []HookType{}, []HookType{}, RoleDropped, false, true},
		{"A1 mixed valid and invalid", map[string]string{hk: "Sync,Garbage"}, true, []HookType{Sync}, []HookType{Sync}, RoleHook, false, false},
		{"A1 Skip alone", map[string]string{hk: "Skip"}, false, []HookType{Skip}, []HookType{}, RoleSkipped, true, false},
		{"A1 Skip combined is a PreSync hook", map[string]string{hk: "Skip,PreSync"}, true, []HookType{Skip, PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A1 SyncFail", map[string]string{hk: "SyncFail"}, true, []HookType{SyncFail}, []HookType{SyncFail}, RoleHook, false, false},
		{"A1 PostDelete only: delete hook, not synced", map[string]string{hk: "PostDelete"}, true, []HookType{}, []HookType{}, RoleDeleteHook, false, true},
		{"A1 PreDelete only", map[string]string{hk: "PreDelete"}, true, []HookType{}, []HookType{}, RoleDeleteHook, false, true},
		{"A1 PostDelete,PreSync: PreSync hook (v3.5+)", map[string]string{hk: "PostDelete,PreSync"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A3 helm pre-install", map[string]string{hh: "pre-install"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A3 helm pre-install,pre-upgrade keeps both types", map[string]string{hh: "pre-install,pre-upgrade"}, true, []HookType{PreSync, PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A3 helm post-upgrade", map[string]string{hh: "post-upgrade"}, true, []HookType{PostSync}, []HookType{PostSync}, RoleHook, false, false},
		{"A3 helm pre and post", map[string]string{hh: "pre-install, post-install"}, true, []HookType{PreSync, PostSync}, []HookType{PreSync, PostSync}, RoleHook, false, false},
		{"A3 helm test dropped", map[string]string{hh: "test"}, true, []HookType{}, []HookType{}, RoleDropped, false, true},
		{"A3 helm pre-rollback dropped", map[string]string{hh: "pre-rollback"}, true, []HookType{}, []HookType{}, RoleDropped, false, true},
		{"A3 crd-install alone is not a hook", map[string]string{hh: "crd-install"}, false, []HookType{}, []HookType{Sync}, RoleResource, false, false},
		{"A3 crd-install,pre-install is PreSync", map[string]string{hh: "crd-install,pre-install"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"A3 helm post-delete is a delete hook", map[string]string{hh: "post-delete"}, true, []HookType{}, []HookType{}, RoleDeleteHook, false, true},
		{"A3 Argo types override Helm types", map[string]string{hk: "PostSync", hh: "pre-install"}, true, []HookType{PostSync}, []HookType{PostSync}, RoleHook, false, false},
		{"D Helm type rescues a typo", map[string]string{hk: "presync", hh: "pre-upgrade"}, true, []HookType{PreSync}, []HookType{PreSync}, RoleHook, false, false},
		{"D Skip with Helm hook is skipped", map[string]string{hk: "Skip", hh: "pre-install"}, false, []HookType{Skip}, []HookType{}, RoleSkipped, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Analyze(c.ann, true, Latest)
			assert.Equal(t, c.isHook, f.IsHook, "IsHook")
			assert.Equal(t, c.types, f.Types, "Types")
			assert.Equal(t, c.phases, f.Phases, "Phases")
			assert.Equal(t, c.role, f.Role, "Role")
			assert.Equal(t, c.skip, f.Skip, "Skip")
			assert.Equal(t, c.ignored, f.Ignored, "Ignored")
		})
	}
}

func TestAnalyzeInvalidItemsAndSuggestions(t *testing.T) {
	f := Analyze(map[string]string{hk: "presync, Pre-Sync,Garbage", dp: "hook-succeeded", hh: "test,pre-instal"}, true, Latest)
	assert.Equal(t, []Invalid{
		{Key: hk, Value: "presync", Suggestion: "PreSync"},
		{Key: hk, Value: "Pre-Sync", Suggestion: "PreSync"},
		{Key: hk, Value: "Garbage"},
	}, f.InvalidHookTypes)
	assert.Equal(t, []Invalid{{Key: dp, Value: "hook-succeeded", Suggestion: "HookSucceeded"}}, f.InvalidDeletePolicies)
	assert.Equal(t, []Invalid{{Key: hh, Value: "test"}, {Key: hh, Value: "pre-instal"}}, f.InvalidHelmHooks)
	assert.True(t, f.Ignored, "no valid type from either key: dropped")
}

func TestAnalyzeDeletePolicies(t *testing.T) {
	cases := []struct {
		name             string
		ann              map[string]string
		policies, explic []DeletePolicy
	}{
		{"A2 default BeforeHookCreation", map[string]string{hk: "PreSync"}, []DeletePolicy{BeforeHookCreation}, []DeletePolicy{}},
		{"A2 explicit replaces default", map[string]string{dp: "HookSucceeded"}, []DeletePolicy{HookSucceeded}, []DeletePolicy{HookSucceeded}},
		{"A2 invalid item dropped, default kept", map[string]string{dp: "hook-succeeded"}, []DeletePolicy{BeforeHookCreation}, []DeletePolicy{}},
		{"A2 case is exact", map[string]string{dp: "hooksucceeded"}, []DeletePolicy{BeforeHookCreation}, []DeletePolicy{}},
		{"A2 comma split", map[string]string{dp: "HookSucceeded, HookFailed"}, []DeletePolicy{HookSucceeded, HookFailed}, []DeletePolicy{HookSucceeded, HookFailed}},
		{"A3 helm policy mapped", map[string]string{hdp: "before-hook-creation"}, []DeletePolicy{BeforeHookCreation}, []DeletePolicy{BeforeHookCreation}},
		{"D Argo and Helm concatenated with duplicates", map[string]string{dp: "HookSucceeded", hdp: "hook-succeeded,hook-failed"},
			[]DeletePolicy{HookSucceeded, HookSucceeded, HookFailed}, []DeletePolicy{HookSucceeded, HookSucceeded, HookFailed}},
		{"A3 helm policies merge even when Argo types override Helm types", map[string]string{hk: "PreSync", hh: "post-install", hdp: "hook-succeeded"},
			[]DeletePolicy{HookSucceeded}, []DeletePolicy{HookSucceeded}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Analyze(c.ann, true, Latest)
			assert.Equal(t, c.policies, f.DeletePolicies)
			assert.Equal(t, c.explic, f.ExplicitDeletePolicies)
		})
	}
}

func TestAnalyzeWaves(t *testing.T) {
	cases := []struct {
		name   string
		ann    map[string]string
		wave   int
		source string
		bad    int
	}{
		{"A4 default 0", map[string]string{}, 0, "default", 0},
		{"A4 negative", map[string]string{sw: "-1"}, -1, sw, 0},
		{"A4 plus sign", map[string]string{sw: "+3"}, 3, sw, 0},
		{"A4 leading space falls back to Helm weight", map[string]string{sw: " 5", hw: "7"}, 7, hw, 1},
		{"A4 decimal is invalid", map[string]string{sw: "1.5"}, 0, "default", 1},
		{"A4 word is invalid", map[string]string{sw: "five"}, 0, "default", 1},
		{"D weight fallback applies to non-hooks", map[string]string{sw: "1.5", hw: "2"}, 2, hw, 1},
		{"D empty wave uses weight", map[string]string{sw: "", hw: "4"}, 4, hw, 1},
		{"A3 Helm weight alone", map[string]string{hh: "pre-install", hw: "-5"}, -5, hw, 0},
		{"A3 sync-wave wins over weight", map[string]string{sw: "1", hw: "9"}, 1, sw, 0},
		{"A3 invalid weight", map[string]string{hw: "x"}, 0, "default", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Analyze(c.ann, true, Latest)
			assert.Equal(t, c.wave, f.Wave)
			assert.Equal(t, c.source, f.WaveSource)
			assert.Len(t, f.InvalidWaves, c.bad)
		})
	}
}

func TestAnalyzeUnreadableAnnotations(t *testing.T) {
	// D: an unquoted sync-wave: 5 next to hook: PreSync makes Argo CD see no
	// annotations at all: a plain Sync resource in wave 0.
	f := Analyze(map[string]string{hk: "PreSync", sw: "5"}, false, Latest)
	assert.False(t, f.IsHook)
	assert.Equal(t, RoleResource, f.Role)
	assert.Equal(t, 0, f.Wave)
	assert.Equal(t, []HookType{Sync}, f.Phases)
}

func TestAnalyzeVersionSwitches(t *testing.T) {
	v := func(s string) Version { x, err := ParseVersion(s); require.NoError(t, err); return x }
	cases := []struct {
		name    string
		version string
		ann     map[string]string
		role    Role
		phases  []HookType
		deletes []HookType
		invalid int
	}{
		{"PostDelete unknown before 2.10", "2.9", map[string]string{hk: "PostDelete"}, RoleDropped, []HookType{}, []HookType{}, 1},
		{"PostDelete from 2.10", "2.10", map[string]string{hk: "PostDelete"}, RoleDeleteHook, []HookType{}, []HookType{PostDelete}, 0},
		{"PreDelete unknown before 3.3", "3.2", map[string]string{hk: "PreDelete"}, RoleDropped, []HookType{}, []HookType{}, 1},
		{"PreDelete from 3.3", "3.3", map[string]string{hk: "PreDelete"}, RoleDeleteHook, []HookType{}, []HookType{PreDelete}, 0},
		// controller/hook.go isHookOfType compares the whole value up to
		// 3.3.2 (v3.3.0 hook.go:46) and splits it from 3.3.3 (hook.go:48)
		// and 3.4.0 (hook.go:49); controller/state.go takes an object with
		// a delete type out of the sync up to 3.3.4 (v3.3.0 state.go:770-783)
		// and keeps it when it also has a sync type from 3.3.5 (state.go:542)
		// and 3.4.0 (state.go:549).
		{"whole-value compare before 3.3", "3.2", map[string]string{hk: "PostSync,PostDelete"}, RoleHook, []HookType{PostSync}, []HookType{}, 0},
		{"whole-value compare in 3.3.2", "3.3.2", map[string]string{hk: "PostSync,PostDelete"}, RoleHook, []HookType{PostSync}, []HookType{}, 0},
		{"split in 3.3.3, mixed taken out of the sync", "3.3.3", map[string]string{hk: "PostSync,PostDelete"}, RoleDeleteHook, []HookType{}, []HookType{PostDelete}, 0},
		{"split in 3.3.4, mixed taken out of the sync", "3.3.4", map[string]string{hk: "PostSync,PostDelete"}, RoleDeleteHook, []HookType{}, []HookType{PostDelete}, 0},
		{"mixed kept in sync from 3.3.5", "3.3.5", map[string]string{hk: "PostSync,PostDelete"}, RoleHook, []HookType{PostSync}, []HookType{PostDelete}, 0},
		{"mixed kept in sync in 3.4.0", "3.4.0", map[string]string{hk: "PostSync,PostDelete"}, RoleHook, []HookType{PostSync}, []HookType{PostDelete}, 0},
		{"mixed kept in sync from 3.5", "3.5", map[string]string{hk: "PostSync,PostDelete"}, RoleHook, []HookType{PostSync}, []HookType{PostDelete}, 0},
		// Skip,PostDelete: a plain Skip while the whole value is compared;
		// from 3.3.3 out of the sync and run on deletion (a delete hook).
		{"Skip,PostDelete before 3.3.3", "3.3.2", map[string]string{hk: "Skip,PostDelete"}, RoleSkipped, []HookType{}, []HookType{}, 0},
		{"Skip,PostDelete from 3.3.3", "3.3.3", map[string]string{hk: "Skip,PostDelete"}, RoleDeleteHook, []HookType{}, []HookType{PostDelete}, 0},
		// An empty hook value: IsHook, no type, so ignore.Ignore drops it
		// (GE pkg/sync/hook/hook.go:26-32, ignore/ignore.go:11).
		{"empty hook value is dropped", "3.6", map[string]string{hk: ""}, RoleDropped, []HookType{}, []HookType{}, 0},
		{"helm post-delete unknown before 2.10", "2.9", map[string]string{hh: "post-delete"}, RoleDropped, []HookType{}, []HookType{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Analyze(c.ann, true, v(c.version))
			assert.Equal(t, c.role, f.Role)
			assert.Equal(t, c.phases, f.Phases)
			assert.Equal(t, c.deletes, f.DeleteTypes)
			assert.Len(t, f.InvalidHookTypes, c.invalid)
		})
	}
	// The hook finalizer: 3.0.0 on, and 2.14.3 alone (reverted in 2.14.4).
	assert.False(t, v("2.14.2").HasHookFinalizer())
	assert.True(t, v("2.14.3").HasHookFinalizer())
	assert.False(t, v("2.14.4").HasHookFinalizer())
	assert.True(t, v("3.0.0").HasHookFinalizer())
	assert.False(t, v("3.3.2").KubeVersionHasPatch())
	assert.True(t, v("3.3.3").KubeVersionHasPatch())
	assert.False(t, v("3.2.12").KubeVersionHasPatch())
	assert.True(t, v("3.4.0").KubeVersionHasPatch())
	assert.True(t, v("v3.0").PassesEmptyEnv())
	assert.False(t, v("2.14").PassesEmptyEnv())
	_, err := ParseVersion("three")
	assert.Error(t, err)
	assert.Equal(t, Latest, v(""))
}

func TestSplitCSV(t *testing.T) {
	assert.Equal(t, []string{"a", "b"}, SplitCSV(" a ,, b,a "))
	assert.Nil(t, SplitCSV(""))
}

// A5: sync-options are CSV like the hook annotations and apply to hooks too;
// Argo CD ignores them when the annotations are unreadable.
func TestAnalyzeSyncOptions(t *testing.T) {
	cases := []struct {
		name     string
		ann      map[string]string
		readable bool
		want     []string
		replace  bool
	}{
		{"A5 Replace and Force on a hook", map[string]string{hk: "PreSync", AnnotationSyncOptions: "Replace=true, Force=true"}, true, []string{"Replace=true", "Force=true"}, true},
		{"A5 duplicates and empty items dropped", map[string]string{AnnotationSyncOptions: "SkipDryRunOnMissingResource=true,,SkipDryRunOnMissingResource=true"}, true, []string{"SkipDryRunOnMissingResource=true"}, false},
		{"A5 exact match: replace=true is not Replace=true", map[string]string{AnnotationSyncOptions: "replace=true"}, true, []string{"replace=true"}, false},
		{"A5 unreadable annotations carry no options", map[string]string{AnnotationSyncOptions: "Replace=true"}, false, []string{}, false},
		{"no options", map[string]string{}, true, []string{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Analyze(c.ann, c.readable, Latest)
			assert.Equal(t, c.want, f.SyncOptions)
			assert.Equal(t, c.replace, f.HasSyncOption("Replace=true"))
		})
	}
}

// A2: when each delete policy acts.
func TestDeletionEffect(t *testing.T) {
	post, pre := []HookType{PostDelete}, []HookType{PreDelete}
	cases := []struct {
		p           DeletePolicy
		generated   bool
		deleteTypes []HookType
		want        string
	}{
		{BeforeHookCreation, false, nil, "deleted at the start of the next sync"},
		{BeforeHookCreation, true, nil, "matches nothing (a new name every sync)"},
		{HookSucceeded, false, nil, "when the whole sync succeeds (not when this hook finishes)"},
		{HookFailed, false, nil, "even successful ones"},
		{HookSucceeded, false, post, "once the delete hooks succeed"},
		{HookFailed, false, post, "when a delete hook fails"},
		{BeforeHookCreation, false, post, "stays after the app is deleted"},
		// PreDelete hooks carry the app's tracking: removed with the app
		// (argo-cd v3.3.0 controller/hook.go:116-122; e2e TestPreDeleteHook
		// expects the pod gone, test/e2e/hook_test.go:83-85).
		{BeforeHookCreation, false, pre, "removed with the app's resources"},
		{HookSucceeded, false, pre, "removed with the app's resources in any case"},
		{BeforeHookCreation, false, []HookType{PreDelete, PostDelete}, "stays after the app is deleted"},
	}
	for _, c := range cases {
		assert.Contains(t, DeletionEffect(c.p, c.generated, c.deleteTypes), c.want)
	}
}
