package hookguard.rules.lifecycle["post-delete-hook-lingers_test"]

import data.hookguard.rules.lifecycle["post-delete-hook-lingers"] as rule

_hook(policies) := {"index": 0, "ref": "Job cleanup", "argocd": {"deleteTypes": ["PostDelete"], "deletePolicies": policies}}

test_fail_default_policy if {
	count(rule.report) == 1 with input as {"objects": [_hook(["BeforeHookCreation"])]}
}

test_success_hook_succeeded if {
	rule.report == set() with input as {"objects": [_hook(["HookSucceeded"])]}
}
