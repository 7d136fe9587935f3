package hooks

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// What Argo CD does, in words, for the plan and messages. Each sentence
// restates a fact modelled in this package; nothing outside it writes one.

// SkippedReason is why a Skip object is never applied.
const SkippedReason = AnnotationHook + ": Skip: Argo CD never applies it and never reports it OutOfSync"

// SyncFailNote says when the SyncFail phase runs (GE sync/sync_context.go).
const SyncFailNote = "only when a step above fails; not on dry-run failure, invalid tasks or Terminate"

// DeletionNote is the order of Application deletion (controller/hook.go).
const DeletionNote = "PreDelete, then the app's resources are deleted, then PostDelete"

// DroppedReason says why Argo CD never applies a dropped object: the hook
// items it ignores, each with its likely spelling.
func DroppedReason(f Facts, v Version) string {
	var items []string
	for _, inv := range append(append([]Invalid{}, f.InvalidHookTypes...), f.InvalidHelmHooks...) {
		s := fmt.Sprintf("%s %q", inv.Key, inv.Value)
		if inv.Suggestion != "" {
			s += fmt.Sprintf(" (did you mean %q?)", inv.Suggestion)
		}
		items = append(items, s)
	}
	if len(items) == 0 {
		return "a hook annotation with no hook type Argo CD " + v.String() + " runs"
	}
	return "no hook type Argo CD " + v.String() + " runs: " + strings.Join(items, ", ")
}

// GenerationFailsReason is why an object stops the app before any sync
// (GenerationFails).
const GenerationFailsReason = "an annotation value is not a string (null included): Argo CD's resource tracking reads the annotations of every object but CRDs as strings, so the app's manifest generation fails and nothing is synced"

// WaveDelayEnv is the controller's environment variable for the pause
// between waves.
const WaveDelayEnv = "ARGOCD_SYNC_WAVE_DELAY"

// WaveDelaySeconds reads ARGOCD_SYNC_WAVE_DELAY as the controller does: a
// value strconv.Atoi refuses keeps the default.
func WaveDelaySeconds(lookup func(string) string) int {
	if n, err := strconv.Atoi(lookup(WaveDelayEnv)); err == nil {
		return n
	}
	return DefaultWaveDelaySeconds
}

// DeletionEffect says what a delete policy removes and when (argocd-semantics
// A2): generated is a generateName hook; deleteTypes are the object's delete
// hook types when it runs only on Application deletion. A PreDelete hook
// carries the app's tracking and goes with the app's resources (argo-cd
// v3.3.0 controller/hook.go:116-122, e2e TestPreDeleteHook); a PostDelete
// hook is created after them and stays unless its policy removes it
// (controller/hook.go:224-254, e2e hook_test.go:112-124).
func DeletionEffect(p DeletePolicy, generated bool, deleteTypes []HookType) string {
	postDelete, preDelete := slices.Contains(deleteTypes, PostDelete), slices.Contains(deleteTypes, PreDelete)
	switch {
	case postDelete && p == HookSucceeded:
		return "HookSucceeded: deleted once the delete hooks succeed"
	case postDelete && p == HookFailed:
		return "HookFailed: deleted when a delete hook fails"
	case postDelete:
		return "BeforeHookCreation: never triggers again; the hook stays after the app is deleted"
	case preDelete && p == HookSucceeded:
		return "HookSucceeded: deleted once it succeeds; it is removed with the app's resources in any case"
	case preDelete && p == HookFailed:
		return "HookFailed: deleted when it fails; it is removed with the app's resources in any case"
	case preDelete:
		return "BeforeHookCreation: never triggers again; the hook is removed with the app's resources (it carries the app's tracking)"
	case p == HookSucceeded:
		return "HookSucceeded: deleted when the whole sync succeeds (not when this hook finishes)"
	case p == HookFailed:
		return "HookFailed: deleted when the sync fails (every completed hook with HookFailed, even successful ones)"
	case generated:
		return "BeforeHookCreation: matches nothing (a new name every sync), so the hook is never deleted"
	default:
		return "BeforeHookCreation: deleted at the start of the next sync, before it is created again"
	}
}
