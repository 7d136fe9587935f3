package hookguard.rules.lifecycle["hook-ttl-after-finished_test"]

import data.hookguard.rules.lifecycle["hook-ttl-after-finished"] as rule

_job := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"ttlSecondsAfterFinished": 0}}}

test_fail_old_argocd if {
	r := rule.report with input as {"objects": [_job], "config": {"hookFinalizer": false, "argocdVersion": "2.14.0"}}
	some v in r
	contains(v.msg, "2.14 and older (the target is 2.14.0)")
}

test_success_hook_finalizer if {
	rule.report == set() with input as {"objects": [_job], "config": {"hookFinalizer": true, "argocdVersion": "3.6.1"}}
}
