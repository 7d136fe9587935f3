package hookguard.rules.lifecycle["hook-job-suspended_test"]

import data.hookguard.rules.lifecycle["hook-job-suspended"] as rule

_job(spec) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": spec}}

test_fail_suspended if {
	count(rule.report) == 1 with input as {"objects": [_job({"suspend": true})]}
}

test_success_not_suspended if {
	rule.report == set() with input as {"objects": [_job({"suspend": false})]}
}
