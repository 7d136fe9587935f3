package hookguard.rules.lifecycle["hook-deadline-missing_test"]

import data.hookguard.rules.lifecycle["hook-deadline-missing"] as rule

test_fail_job_without_deadline if {
	obj := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"template": {"spec": {}}}}}
	r := rule.report with input as {"objects": [obj]}
	count(r) == 1
}

test_success_job_deadline if {
	obj := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"activeDeadlineSeconds": 600}}}
	rule.report == set() with input as {"objects": [obj]}
}

test_success_pod_deadline if {
	obj := {"index": 0, "ref": "Pod a", "kind": "Pod", "argocd": {"role": "hook"}, "raw": {"spec": {"activeDeadlineSeconds": 60}}}
	rule.report == set() with input as {"objects": [obj]}
}

# A delete hook that hangs holds the Application's deletion, not later
# syncs: argo-cd v3.6.1 controller/appcontroller.go:1486-1492 returns until
# executePostDeleteHooks is done (docs/user-guide/sync-waves.md:93).
test_fail_delete_hook_holds_the_deletion if {
	obj := {"index": 0, "ref": "Job cleanup", "kind": "Job", "raw": {"spec": {}}, "argocd": {"role": "delete-hook"}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "deletion waits for it forever")
}
