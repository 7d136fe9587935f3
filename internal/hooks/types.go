// Package hooks owns Argo CD's sync-hook semantics: how the hook, delete-policy
// and sync-wave annotations (and their Helm equivalents) are parsed, and in
// what order Argo CD runs the resulting tasks. Every other package asks this
// one; none re-derives these facts.
//
// The code mirrors small contracts of argoproj/argo-cd (v3.6) instead of
// importing it (see DEVELOPERS.md): paths in comments are argo-cd repo paths,
// "GE" meaning gitops-engine/pkg/ inside that repo.
package hooks

import (
	"maps"
	"strings"
)

// Annotation keys read by Argo CD (GE sync/common/types.go) and Helm.
const (
	AnnotationHook             = "argocd.argoproj.io/hook"
	AnnotationHookDeletePolicy = "argocd.argoproj.io/hook-delete-policy"
	AnnotationSyncWave         = "argocd.argoproj.io/sync-wave"
	AnnotationSyncOptions      = "argocd.argoproj.io/sync-options"
	AnnotationHelmHook         = "helm.sh/hook"
	AnnotationHelmDeletePolicy = "helm.sh/hook-delete-policy"
	AnnotationHelmWeight       = "helm.sh/hook-weight"
)

// HookType is a value of argocd.argoproj.io/hook (GE sync/common/types.go).
type HookType string

const (
	PreSync    HookType = "PreSync"
	Sync       HookType = "Sync"
	PostSync   HookType = "PostSync"
	SyncFail   HookType = "SyncFail"
	Skip       HookType = "Skip"
	PostDelete HookType = "PostDelete" // controller/hook.go, v2.10+
	PreDelete  HookType = "PreDelete"  // controller/hook.go, v3.3+
)

// syncHookTypes are the values common.NewHookType accepts: exact and case-sensitive.
var syncHookTypes = []HookType{PreSync, Sync, PostSync, SyncFail, Skip}

// DeletePolicy is a value of argocd.argoproj.io/hook-delete-policy.
type DeletePolicy string

const (
	HookSucceeded      DeletePolicy = "HookSucceeded"
	HookFailed         DeletePolicy = "HookFailed"
	BeforeHookCreation DeletePolicy = "BeforeHookCreation"
)

var deletePolicies = []DeletePolicy{HookSucceeded, HookFailed, BeforeHookCreation}

// Helm hook values that Argo CD maps (GE sync/hook/helm/type.go).
var helmSyncHooks = map[string]HookType{
	"pre-install":  PreSync,
	"pre-upgrade":  PreSync,
	"post-install": PostSync,
	"post-upgrade": PostSync,
}

// HelmSyncHooks are the Helm hook values Argo CD runs in a sync, with the
// phase each maps to: install and upgrade alike.
func HelmSyncHooks() map[string]HookType { return maps.Clone(helmSyncHooks) }

// Helm delete hooks, mapped by the controller (controller/hook.go hookTypeAnnotations).
var helmDeleteHooks = map[string]HookType{
	"post-delete": PostDelete,
	"pre-delete":  PreDelete,
}

// helmCRDInstall alone is not a hook for Argo CD (GE sync/hook/helm/hook.go).
const helmCRDInstall = "crd-install"

// Helm delete policies (GE sync/hook/helm/delete_policy.go).
var helmDeletePolicies = map[string]DeletePolicy{
	"before-hook-creation": BeforeHookCreation,
	"hook-succeeded":       HookSucceeded,
	"hook-failed":          HookFailed,
}

// SplitCSV is GetAnnotationCSVs (GE sync/resource/annotations.go): split on
// ",", trim spaces, drop empty items and duplicates, keep order.
func SplitCSV(value string) []string {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" || seen[item] {
			continue
		}
		seen[item] = true
		out = append(out, item)
	}
	return out
}

// fold reduces a value to lower-case letters and digits, so that case and
// separator slips ("pre-sync", "PRESYNC", "hook_succeeded") compare equal.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// CanonicalHookType returns the exact Argo CD spelling of a hook type that was
// written with a case or separator slip, e.g. "presync" -> PreSync. It knows
// the delete-hook types too, and the Helm names written in the Argo key
// ("pre-install" -> PreSync).
func CanonicalHookType(value string) (HookType, bool) {
	f := fold(value)
	for _, t := range append(append([]HookType{}, syncHookTypes...), PostDelete, PreDelete) {
		if fold(string(t)) == f {
			return t, true
		}
	}
	for helm, t := range helmSyncHooks {
		if fold(helm) == f {
			return t, true
		}
	}
	for helm, t := range helmDeleteHooks {
		if fold(helm) == f {
			return t, true
		}
	}
	return "", false
}

// CanonicalDeletePolicy returns the exact Argo CD spelling of a delete policy
// written with a slip, including the Helm spelling ("hook-succeeded").
func CanonicalDeletePolicy(value string) (DeletePolicy, bool) {
	f := fold(value)
	for _, p := range deletePolicies {
		if fold(string(p)) == f {
			return p, true
		}
	}
	return "", false
}

// CanonicalHelmDeletePolicy returns the Helm spelling of a policy written with a slip.
func CanonicalHelmDeletePolicy(value string) (string, bool) {
	f := fold(value)
	for helm := range helmDeletePolicies {
		if fold(helm) == f {
			return helm, true
		}
	}
	return "", false
}

// CanonicalHelmHook returns the Helm spelling of a hook value written with a slip.
func CanonicalHelmHook(value string) (string, bool) {
	f := fold(value)
	for _, helm := range helmHookValues {
		if fold(helm) == f {
			return helm, true
		}
	}
	return "", false
}

// helmHookValues are all values Helm itself defines for helm.sh/hook.
var helmHookValues = []string{
	"pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-delete", "post-delete",
	"pre-rollback", "post-rollback", "test", "test-success", "test-failure", "crd-install",
}
