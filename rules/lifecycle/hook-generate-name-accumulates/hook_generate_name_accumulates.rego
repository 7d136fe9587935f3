# METADATA
# title: generateName hooks pile up
# description: >-
#   A generateName hook gets a new name in every sync. Without HookSucceeded or
#   HookFailed (BeforeHookCreation only matches the same name) and without a
#   ttlSecondsAfterFinished, every sync leaves one more object in the cluster.
# custom:
#   id: hook-generate-name-accumulates
#   severity: warning
#   remediation: Add hook-delete-policy HookSucceeded (and HookFailed to clean up failures too).
#   kinds: [Job]
package hookguard.rules.lifecycle["hook-generate-name-accumulates"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "generateName"], msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	lib.generate_name_only(obj)
	not "HookSucceeded" in obj.argocd.deletePolicies
	not "HookFailed" in obj.argocd.deletePolicies
	not _has_ttl(obj)
	msg := sprintf("%s: a generateName hook gets a new name every sync and its delete policy (%s) never removes it, so one more object is left in the cluster per sync", [obj.ref, lib.join(obj.argocd.deletePolicies)])
}

_has_ttl(obj) if {
	obj.kind == "Job"
	"ttlSecondsAfterFinished" in object.keys(object.get(obj.raw, "spec", {}))
}
