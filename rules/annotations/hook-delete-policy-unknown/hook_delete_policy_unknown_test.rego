package hookguard.rules.annotations["hook-delete-policy-unknown_test"]

import data.hookguard.rules.annotations["hook-delete-policy-unknown"] as rule

test_fail_helm_spelling_in_argo_key if {
	obj := {"index": 0, "ref": "Job a", "argocd": {
		"invalidDeletePolicies": [{"key": "argocd.argoproj.io/hook-delete-policy", "value": "hook-succeeded", "suggestion": "HookSucceeded"}],
		"explicitDeletePolicies": [], "deletePolicies": ["BeforeHookCreation"],
	}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, `did you mean "HookSucceeded"?`)
	contains(v.msg, "falls back to BeforeHookCreation")
}

test_success_valid_policies if {
	obj := {"index": 0, "ref": "Job a", "argocd": {"invalidDeletePolicies": [], "explicitDeletePolicies": ["HookSucceeded"], "deletePolicies": ["HookSucceeded"]}}
	rule.report == set() with input as {"objects": [obj]}
}
