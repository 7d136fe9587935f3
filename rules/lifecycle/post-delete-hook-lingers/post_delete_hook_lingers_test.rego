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

test_success_pre_delete_goes_with_the_app if {
	rule.report == set() with input as {"objects": [_delete_hook(["PreDelete"], ["BeforeHookCreation"])], "config": {"argocdVersion": "3.6.1"}}
}
