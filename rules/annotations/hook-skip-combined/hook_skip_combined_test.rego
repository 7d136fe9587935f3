package hookguard.rules.annotations["hook-skip-combined_test"]

import data.hookguard.rules.annotations["hook-skip-combined"] as rule

test_fail_skip_and_presync if {
	obj := {"index": 0, "ref": "Job a", "argocd": {"skipCombined": true, "types": ["Skip", "PreSync"]}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "runs the object as a PreSync hook")
}

test_success_skip_alone if {
	obj := {"index": 0, "ref": "Job a", "argocd": {"skipCombined": false, "types": ["Skip"]}}
	rule.report == set() with input as {"objects": [obj]}
}
