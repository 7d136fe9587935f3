package hookguard.rules.lifecycle["hook-generate-name-accumulates_test"]

import data.hookguard.rules.lifecycle["hook-generate-name-accumulates"] as rule

_hook(policies, spec) := {"index": 0, "ref": "Job x", "kind": "Job", "name": "", "generateName": "m-", "raw": {"spec": spec}, "argocd": {"role": "hook", "deletePolicies": policies}}

test_fail_default_policy if {
	count(rule.report) == 1 with input as {"objects": [_hook(["BeforeHookCreation"], {})]}
}

test_success_hook_succeeded if {
	rule.report == set() with input as {"objects": [_hook(["HookSucceeded"], {})]}
}

test_success_ttl if {
	rule.report == set() with input as {"objects": [_hook(["BeforeHookCreation"], {"ttlSecondsAfterFinished": 600})]}
}
