# METADATA
# title: Delete hook left behind
# description: >-
#   A PostDelete hook without HookSucceeded stays in the cluster after the
#   Application is gone (the default BeforeHookCreation never triggers
#   again), with nothing left to track or remove it. PreDelete hooks carry
#   the app's tracking and are removed with its resources (Argo CD's e2e
#   TestPreDeleteHook), so they do not linger.
# custom:
#   id: post-delete-hook-lingers
#   severity: info
#   remediation: Add argocd.argoproj.io/hook-delete-policy HookSucceeded to the delete hook.
package hookguard.rules.lifecycle["post-delete-hook-lingers"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "annotations"], msg) if {
	some obj in input.objects
	"PostDelete" in obj.argocd.deleteTypes
	not "HookSucceeded" in obj.argocd.deletePolicies
	msg := sprintf("%s is a PostDelete hook without HookSucceeded: it stays in the cluster after the Application is deleted (PostDelete hooks since Argo CD %s; the target is %s)", [obj.ref, lib.since.postDelete, input.config.argocdVersion])
}
