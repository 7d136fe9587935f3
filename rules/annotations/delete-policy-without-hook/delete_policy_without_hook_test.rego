package hookguard.rules.annotations["delete-policy-without-hook_test"]

import data.hookguard.rules.annotations["delete-policy-without-hook"] as rule

test_fail_policy_on_configmap if {
	obj := {"index": 0, "ref": "ConfigMap a", "annotations": {"argocd.argoproj.io/hook-delete-policy": "HookSucceeded"}, "argocd": {"role": "resource", "waveSource": "default"}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "does nothing")
}

test_fail_weight_becomes_wave if {
	obj := {"index": 0, "ref": "ConfigMap a", "annotations": {"helm.sh/hook-weight": "5"}, "argocd": {"role": "resource", "waveSource": "helm.sh/hook-weight"}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "sync wave")
}

test_success_on_hook if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"argocd.argoproj.io/hook-delete-policy": "HookSucceeded"}, "argocd": {"role": "hook", "waveSource": "default"}}
	rule.report == set() with input as {"objects": [obj]}
}
