package hookguard.rules.lifecycle["hook-deletes-namespace_test"]

import data.hookguard.rules.lifecycle["hook-deletes-namespace"] as rule

_ns(policies) := {"index": 0, "ref": "Namespace shop", "kind": "Namespace", "argocd": {"role": "hook", "deletePolicies": policies}}

test_fail_namespace_hook_succeeded if {
	r := rule.report with input as {"objects": [_ns(["HookSucceeded"])]}
	some v in r
	contains(v.msg, "every object in the namespace")
}

test_success_before_hook_creation if {
	rule.report == set() with input as {"objects": [_ns(["BeforeHookCreation"])]}
}
