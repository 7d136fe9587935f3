package hookguard.rules.ordering["hooks-only-app_test"]

import data.hookguard.rules.ordering["hooks-only-app"] as rule

_obj(i, role) := {"index": i, "ref": "Job a", "argocd": {"role": role}}

test_fail_only_hooks if {
	count(rule.report) == 1 with input as {"objects": [_obj(0, "hook"), _obj(1, "hook")], "app": {"complete": true}}
}

test_success_with_resource if {
	rule.report == set() with input as {"objects": [_obj(0, "hook"), _obj(1, "resource")], "app": {"complete": true}}
}

test_success_partial_set if {
	rule.report == set() with input as {"objects": [_obj(0, "hook")], "app": {"complete": false}}
}
