# METADATA
# title: Named hook without BeforeHookCreation
# description: >-
#   A hook with a fixed metadata.name has explicit delete policies that lack
#   BeforeHookCreation. The object from the previous sync is then still there
#   when the hook runs again: with HookSucceeded alone a failed Job stays and
#   the next sync fails with "field is immutable" or re-reads the old failure;
#   with HookFailed alone a completed Job is counted as done without re-running.
#   Only Jobs and Pods are checked: other kinds have no run to repeat. A Job's
#   ttlSecondsAfterFinished bounds the window (warning, not error).
# custom:
#   id: hook-named-without-before-hook-creation
#   severity: error
#   remediation: Add BeforeHookCreation to the hook's delete policies (for example "BeforeHookCreation,HookSucceeded"), or use metadata.generateName.
package hookguard.rules.lifecycle["hook-named-without-before-hook-creation"]

import data.hookguard.lib

report contains lib.graded_at(obj, lib.annotation_path(_key(obj)), msg, _severity(obj)) if {
	some obj in input.objects
	lib.sync_hook(obj)
	_runs(obj)
	lib.has_name(obj)
	count(obj.argocd.explicitDeletePolicies) > 0
	not "BeforeHookCreation" in obj.argocd.explicitDeletePolicies
	msg := sprintf("%s: the named hook is deleted only by %s, without BeforeHookCreation; %s%s", [obj.ref, lib.join(obj.argocd.explicitDeletePolicies), _consequence(obj), _ttl(obj)])
}

# A Job's ttlSecondsAfterFinished removes the old Job after a while: the
# next sync is blocked only within that window.
_ttl_seconds(obj) := obj.raw.spec.ttlSecondsAfterFinished if {
	obj.kind == "Job"
	is_number(obj.raw.spec.ttlSecondsAfterFinished)
}

_ttl(obj) := sprintf(" (until its ttlSecondsAfterFinished of %d s removes the old Job)", [_ttl_seconds(obj)])

_ttl(obj) := "" if not _ttl_seconds(obj)

_severity(obj) := "warning" if _ttl_seconds(obj)

_severity(obj) := "error" if not _ttl_seconds(obj)

_runs(obj) if obj.kind in {"Job", "Pod"}

_key(obj) := "argocd.argoproj.io/hook-delete-policy" if lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")

_key(obj) := "helm.sh/hook-delete-policy" if not lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")

_consequence(obj) := "after a failed sync the old object stays, and the next sync fails on it (\"field is immutable\") or re-reads its old failure instead of re-running it" if {
	_runs(obj)
	"HookSucceeded" in obj.argocd.explicitDeletePolicies
	not "HookFailed" in obj.argocd.explicitDeletePolicies
}

_consequence(obj) := "after a successful sync the old object stays, and the next sync counts it as done without re-running it (or fails with \"field is immutable\" when its spec changed)" if {
	_runs(obj)
	"HookFailed" in obj.argocd.explicitDeletePolicies
	not "HookSucceeded" in obj.argocd.explicitDeletePolicies
}

# HookSucceeded and HookFailed together delete it after every completed sync,
# but not after a Terminate or a sync that never reached it.
_consequence(obj) := "after a terminated or interrupted sync the old object stays and blocks the next run" if {
	_runs(obj)
	"HookFailed" in obj.argocd.explicitDeletePolicies
	"HookSucceeded" in obj.argocd.explicitDeletePolicies
}

# Other kinds have no run to repeat and no immutable fields: the rule stays
# silent on them rather than guess.
