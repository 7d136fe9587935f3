# METADATA
# title: Unknown hook delete policy
# description: >-
#   A hook-delete-policy item (argocd.argoproj.io/hook-delete-policy, or Helm's
#   helm.sh/hook-delete-policy) is not a value Argo CD accepts. Argo CD drops it
#   without a message; with no valid policy left it uses BeforeHookCreation.
# custom:
#   id: hook-delete-policy-unknown
#   severity: error
#   remediation: Use HookSucceeded, HookFailed or BeforeHookCreation (Helm key - hook-succeeded, hook-failed, before-hook-creation).
package hookguard.rules.annotations["hook-delete-policy-unknown"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(item.key), msg) if {
	some obj in input.objects
	some item in obj.argocd.invalidDeletePolicies
	msg := sprintf("%s: %s %q is not a delete policy Argo CD knows%s; Argo CD ignores it%s", [obj.ref, item.key, item.value, _hint(item), _outcome(obj)])
}

_hint(item) := sprintf(" (did you mean %q?)", [_suggestion(item)]) if _suggestion(item) != ""

_hint(item) := "" if _suggestion(item) == ""

_outcome(obj) := " and, with no valid policy left, falls back to BeforeHookCreation" if count(obj.argocd.explicitDeletePolicies) == 0

_outcome(obj) := sprintf(" and uses %s", [lib.join(obj.argocd.deletePolicies)]) if count(obj.argocd.explicitDeletePolicies) > 0

_suggestion(item) := object.get(item, "suggestion", "")
