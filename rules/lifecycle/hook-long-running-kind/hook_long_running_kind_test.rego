package hookguard.rules.lifecycle["hook-long-running-kind_test"]

import data.hookguard.rules.lifecycle["hook-long-running-kind"] as rule

test_fail_deployment_hook if {
	obj := {"index": 0, "ref": "Deployment a", "kind": "Deployment", "annotations": {"argocd.argoproj.io/hook": "PreSync"}, "argocd": {"role": "hook", "deletePolicies": ["BeforeHookCreation"]}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "recreates it on every sync")
}

test_success_deployment_resource if {
	obj := {"index": 0, "ref": "Deployment a", "kind": "Deployment", "annotations": {}, "argocd": {"role": "resource", "deletePolicies": ["BeforeHookCreation"]}}
	rule.report == set() with input as {"objects": [obj]}
}
