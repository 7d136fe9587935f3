package hookguard.rules.lifecycle["post-delete-hook-lingers_test"]

import data.hookguard.rules.lifecycle["post-delete-hook-lingers"] as rule

_hook(policies) := _delete_hook(["PostDelete"], policies)

_delete_hook(types, policies) := {"index": 0, "ref": "Job cleanup", "argocd": {"deleteTypes": types, "deletePolicies": policies}}

test_fail_default_policy if {
	r := rule.report with input as {"objects": [_hook(["BeforeHookCreation"])], "config": {"argocdVersion": "3.6.1"}}
	count(r) == 1
	some v in r
	contains(v.msg, "the target is 3.6.1")
}

test_success_hook_succeeded if {
	rule.report == set() with input as {"objects": [_hook(["HookSucceeded"])], "config": {"argocdVersion": "3.6.1"}}
}

# A PreDelete hook carries the app's tracking and is deleted with its
# resources (argo-cd v3.3.0 controller/hook.go:116-122); e2e TestPreDeleteHook
# expects the pod gone (v3.6.1 test/e2e/hook_test.go:65-87), TestPostDeleteHook
# expects the PostDelete pod to stay (hook_test.go:150-162).
test_success_pre_delete_goes_with_the_app if {
	rule.report == set() with input as {"objects": [_delete_hook(["PreDelete"], ["BeforeHookCreation"])], "config": {"argocdVersion": "3.6.1"}}
}
