# METADATA
# title: Named hook without BeforeHookCreation
# description: >-
#   A hook with a fixed metadata.name has explicit delete policies that lack
#   BeforeHookCreation. The object from the previous sync is then still there
#   when the hook runs again: with HookSucceeded alone a failed Job stays and
#   the next sync fails with "field is immutable" or re-reads the old failure;
#   with HookFailed alone a completed Job is counted as done without re-running.
# custom:
#   id: hook-named-without-before-hook-creation
#   severity: error
#   remediation: Add BeforeHookCreation to the hook's delete policies (for example "BeforeHookCreation,HookSucceeded"), or use metadata.generateName.
package hookguard.rules.lifecycle["hook-named-without-before-hook-creation"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(_key(obj)), msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	lib.has_name(obj)
	count(obj.argocd.explicitDeletePolicies) > 0
	not "BeforeHookCreation" in obj.argocd.explicitDeletePolicies
	msg := sprintf("%s: the named hook is deleted only by %s, without BeforeHookCreation; %s", [obj.ref, lib.join(obj.argocd.explicitDeletePolicies), _consequence(obj)])
}

_key(obj) := "argocd.argoproj.io/hook-delete-policy" if lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")

_key(obj) := "helm.sh/hook-delete-policy" if not lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")

_consequence(obj) := "after a failed sync the old object stays, and the next sync fails on it (\"field is immutable\") or re-reads its old failure instead of re-running it" if {
	"HookSucceeded" in obj.argocd.explicitDeletePolicies
	not "HookFailed" in obj.argocd.explicitDeletePolicies
}

_consequence(obj) := "after a successful sync the old object stays, and the next sync counts it as done without re-running it (or fails with \"field is immutable\" when its spec changed)" if {
	"HookFailed" in obj.argocd.explicitDeletePolicies
	not "HookSucceeded" in obj.argocd.explicitDeletePolicies
}

# HookSucceeded and HookFailed together delete it after every completed sync,
# but not after a Terminate or a sync that never reached it.
_consequence(obj) := "after a terminated or interrupted sync the old object stays and blocks the next run" if {
	"HookFailed" in obj.argocd.explicitDeletePolicies
	"HookSucceeded" in obj.argocd.explicitDeletePolicies
}
