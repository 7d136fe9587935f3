package hookguard.rules.lifecycle["hook-backoff-limit_test"]

import data.hookguard.rules.lifecycle["hook-backoff-limit"] as rule

_job(spec) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": spec}}

_cfg := {"maxBackoffLimit": 3}

test_fail_missing if {
	r := rule.report with input as {"objects": [_job({"template": {}})], "config": _cfg}
	some v in r
	contains(v.msg, "no spec.backoffLimit")
}

test_fail_too_high if {
	r := rule.report with input as {"objects": [_job({"backoffLimit": 10})], "config": _cfg}
	some v in r
	contains(v.msg, "above the maximum 3")
}

test_success_within_limit if {
	rule.report == set() with input as {"objects": [_job({"backoffLimit": 0})], "config": _cfg}
}

# backoffLimit: null is an unset field once decoded (k8s.io/api batch/v1
# JobSpec.BackoffLimit is a *int32), so the API default of 6 applies.
test_fail_null_backoff_limit_is_unset if {
	obj := {"index": 0, "ref": "Job m", "kind": "Job", "raw": {"spec": {"backoffLimit": null}}, "argocd": {"role": "hook"}}
	r := rule.report with input as {"objects": [obj], "config": _cfg}
	some v in r
	contains(v.msg, "has no spec.backoffLimit")
}
