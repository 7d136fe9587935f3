package hookguard.rules.images["hook-image-unpinned_test"]

import data.hookguard.rules.images["hook-image-unpinned"] as rule

_hook(image) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": image}]}}}}}

test_fail_latest if {
	r := rule.report with input as {"objects": [_hook("myapp/config-validator:latest")]}
	some v in r
	contains(v.msg, "tagged latest")
	v.path == ["spec", "template", "spec", "containers", "0", "image"]
}

test_fail_no_tag if {
	count(rule.report) == 1 with input as {"objects": [_hook("registry:5000/team/app")]}
}

test_success_tag if {
	rule.report == set() with input as {"objects": [_hook("registry:5000/team/app:v1.2.0")]}
}

test_success_digest if {
	rule.report == set() with input as {"objects": [_hook("app@sha256:0123")]}
}
