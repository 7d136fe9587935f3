# METADATA
# title: Long-running workload used as a hook
# description: >-
#   A Deployment, StatefulSet, DaemonSet or ReplicaSet is a hook and stays
#   after a successful sync. Its pods do not finish; Argo CD counts the hook
#   done once it is rolled out and healthy (getOperationPhase maps health to
#   the hook's result). With BeforeHookCreation, the default, it is deleted
#   and created again at the start of every sync, an outage each time; with
#   HookFailed alone it keeps running after a successful sync as a hook,
#   outside the app's resources. A hook with HookSucceeded is left alone: Argo
#   CD deletes it once the sync succeeds, so it is a temporary workload by
#   design (an image pre-puller DaemonSet that a later hook waits for).
# custom:
#   id: hook-long-running-kind
#   severity: warning
#   remediation: Run hook work in a Job (or Pod) that exits; keep long-running workloads as normal resources ordered with sync waves; if the workload is meant to live only during the sync, add the HookSucceeded delete policy.
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet]
package hookguard.rules.lifecycle["hook-long-running-kind"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(_key(obj)), msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
	not "HookSucceeded" in obj.argocd.deletePolicies
	msg := sprintf("%s is a hook: its pods never finish, Argo CD counts it done once rolled out, and %s", [obj.ref, _deletion(obj)])
}

_key(obj) := "argocd.argoproj.io/hook" if lib.has_annotation(obj, "argocd.argoproj.io/hook")

_key(obj) := "helm.sh/hook" if not lib.has_annotation(obj, "argocd.argoproj.io/hook")

_deletion(obj) := "BeforeHookCreation deletes and recreates it on every sync" if "BeforeHookCreation" in obj.argocd.deletePolicies

# HookFailed alone (BeforeHookCreation is the default only without any
# policy): a successful sync leaves it running.
_deletion(obj) := "nothing deletes it after a successful sync (HookFailed acts only on a failed one): it keeps running as a hook, outside the app's resources" if not "BeforeHookCreation" in obj.argocd.deletePolicies
