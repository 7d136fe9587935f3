package hookguard.rules.lifecycle["hook-restart-policy_test"]

import data.hookguard.rules.lifecycle["hook-restart-policy"] as rule

_job(policy) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"template": {"spec": policy}}}}

test_fail_pod_unset if {
	obj := {"index": 0, "ref": "Pod a", "kind": "Pod", "argocd": {"role": "hook"}, "raw": {"spec": {"containers": []}}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "restarts forever")
	v.path == ["spec", "restartPolicy"]
}

test_fail_job_always if {
	r := rule.report with input as {"objects": [_job({"restartPolicy": "Always"})]}
	some v in r
	contains(v.msg, "rejects a Job")
}

test_success_job_never if {
	rule.report == set() with input as {"objects": [_job({"restartPolicy": "Never"})]}
}

test_success_not_a_hook if {
	obj := {"index": 0, "ref": "Pod a", "kind": "Pod", "argocd": {"role": "resource"}, "raw": {"spec": {}}}
	rule.report == set() with input as {"objects": [obj]}
}
