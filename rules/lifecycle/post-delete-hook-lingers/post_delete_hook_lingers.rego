# METADATA
# title: Delete hook left behind
# description: >-
#   A PostDelete or PreDelete hook without HookSucceeded stays in the cluster
#   after the Application is gone (the default BeforeHookCreation never
#   triggers again), with nothing left to track or remove it.
# custom:
#   id: post-delete-hook-lingers
#   severity: info
#   remediation: Add argocd.argoproj.io/hook-delete-policy HookSucceeded to the delete hook.
package hookguard.rules.lifecycle["post-delete-hook-lingers"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "annotations"], msg) if {
	some obj in input.objects
	count(obj.argocd.deleteTypes) > 0
	not "HookSucceeded" in obj.argocd.deletePolicies
	msg := sprintf("%s is a %s hook without HookSucceeded: it stays in the cluster after the Application is deleted (delete hooks: PostDelete since Argo CD %s, PreDelete since %s; the target is %s)", [obj.ref, lib.join(obj.argocd.deleteTypes), lib.since.postDelete, lib.since.preDelete, input.config.argocdVersion])
}
