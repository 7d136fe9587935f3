# METADATA
# title: Hook deletes a Namespace or CRD
# description: >-
#   A Namespace or CustomResourceDefinition is a hook with HookSucceeded or
#   HookFailed. Argo CD deletes it after the sync, and with it everything it
#   holds: every object in the namespace, every custom resource of the CRD.
# custom:
#   id: hook-deletes-namespace
#   severity: error
#   remediation: Make the Namespace or CRD a normal resource (ordered with a negative sync wave) instead of a hook.
#   kinds: [Namespace, CustomResourceDefinition]
package hookguard.rules.lifecycle["hook-deletes-namespace"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "annotations"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind in {"Namespace", "CustomResourceDefinition"}
	policies := [p | some p in obj.argocd.deletePolicies; p in {"HookSucceeded", "HookFailed"}]
	count(policies) > 0
	msg := sprintf("%s is a hook with %s: Argo CD deletes it after the sync, and with it %s", [obj.ref, lib.join(policies), _contents(obj.kind)])
}

_contents("Namespace") := "every object in the namespace"

_contents("CustomResourceDefinition") := "every custom resource of that kind"
