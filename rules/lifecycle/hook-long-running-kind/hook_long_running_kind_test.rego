package hookguard.rules.lifecycle["hook-long-running-kind_test"]

import data.hookguard.rules.lifecycle["hook-long-running-kind"] as rule

_obj(kind, role, policies) := {"index": 0, "ref": sprintf("%s a", [kind]), "kind": kind, "annotations": {"argocd.argoproj.io/hook": "PreSync"}, "argocd": {"role": role, "deletePolicies": policies}}

test_fail_deployment_hook if {
	r := rule.report with input as {"objects": [_obj("Deployment", "hook", ["BeforeHookCreation"])]}
	some v in r
	contains(v.msg, "recreates it on every sync")
}

test_fail_hook_failed_only if {
	r := rule.report with input as {"objects": [_obj("StatefulSet", "hook", ["HookFailed"])]}
	some v in r
	contains(v.msg, "keeps running")
}

test_success_deployment_resource if {
	rule.report == set() with input as {"objects": [_obj("Deployment", "resource", ["BeforeHookCreation"])]}
}

# jupyterhub's hook-image-puller: a DaemonSet PreSync hook with
# before-hook-creation,hook-succeeded, deleted once the sync succeeds.
test_success_temporary_daemonset if {
	rule.report == set() with input as {"objects": [_obj("DaemonSet", "hook", ["BeforeHookCreation", "HookSucceeded"])]}
}

test_success_hook_succeeded_only if {
	rule.report == set() with input as {"objects": [_obj("Deployment", "hook", ["HookSucceeded"])]}
}
