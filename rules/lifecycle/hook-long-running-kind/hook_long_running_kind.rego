# METADATA
# title: Long-running workload used as a hook
# description: >-
#   A Deployment, StatefulSet, DaemonSet or ReplicaSet is a hook. Its pods do
#   not finish; Argo CD counts it done once it is rolled out, and with the
#   default BeforeHookCreation policy deletes and recreates it on every sync,
#   an outage each time.
# custom:
#   id: hook-long-running-kind
#   severity: warning
#   remediation: Run hook work in a Job (or Pod) that exits; keep long-running workloads as normal resources ordered with sync waves.
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet]
package hookguard.rules.lifecycle["hook-long-running-kind"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(_key(obj)), msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
	msg := sprintf("%s is a hook: its pods never finish, Argo CD counts it done once rolled out, and %s", [obj.ref, _deletion(obj)])
}

_key(obj) := "argocd.argoproj.io/hook" if lib.has_annotation(obj, "argocd.argoproj.io/hook")

_key(obj) := "helm.sh/hook" if not lib.has_annotation(obj, "argocd.argoproj.io/hook")

_deletion(obj) := "BeforeHookCreation deletes and recreates it on every sync" if "BeforeHookCreation" in obj.argocd.deletePolicies

_deletion(obj) := "its delete policy removes it after the sync" if not "BeforeHookCreation" in obj.argocd.deletePolicies
