package hookguard.rules.images["hook-image-drift_test"]

import data.hookguard.rules.images["hook-image-drift"] as rule

_pod(i, kind, role, image) := {"index": i, "ref": kind, "file": "f.yaml", "line": 1, "kind": kind, "argocd": {"role": role}, "raw": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": image}]}}}}}

test_fail_other_tag if {
	r := rule.report with input as {"objects": [_pod(0, "Job", "hook", "myapp/api:v1.1.0"), _pod(1, "Deployment", "resource", "docker.io/myapp/api:v1.2.0")]}
	some v in r
	contains(v.msg, "another release")
}

test_success_same_tag if {
	rule.report == set() with input as {"objects": [_pod(0, "Job", "hook", "myapp/api:v1.2.0"), _pod(1, "Deployment", "resource", "myapp/api:v1.2.0")]}
}

test_success_other_repo if {
	rule.report == set() with input as {"objects": [_pod(0, "Job", "hook", "curlimages/curl:8"), _pod(1, "Deployment", "resource", "myapp/api:v1.2.0")]}
}

test_success_tool_image_in_plain_job if {
	rule.report == set() with input as {"objects": [_pod(0, "Job", "hook", "ose-cli:v4.12"), _pod(1, "Job", "resource", "ose-cli")]}
}
