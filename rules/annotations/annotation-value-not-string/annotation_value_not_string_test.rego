package hookguard.rules.annotations["annotation-value-not-string_test"]

import data.hookguard.rules.annotations["annotation-value-not-string"] as rule

test_fail_unquoted_wave_on_a_job_fails_generation if {
	obj := {"index": 0, "ref": "Job a", "kind": "Job", "annotations": {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/sync-wave": "5"}, "nonStringAnnotations": [{"key": "argocd.argoproj.io/sync-wave", "type": "an integer"}]}
	r := rule.report with input as {"objects": [obj]}
	count(r) == 1
	some v in r
	contains(v.msg, "is an integer, not a string")
	contains(v.msg, "manifest generation fails")
}

test_fail_hook_crd_becomes_plain_resource if {
	obj := {"index": 0, "ref": "CustomResourceDefinition a", "kind": "CustomResourceDefinition", "annotations": {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/sync-wave": "5"}, "nonStringAnnotations": [{"key": "argocd.argoproj.io/sync-wave", "type": "an integer"}]}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "applied as a plain resource")
}

test_fail_boolean_on_crd_resource if {
	obj := {"index": 0, "ref": "CustomResourceDefinition a", "kind": "CustomResourceDefinition", "annotations": {"x": "true"}, "nonStringAnnotations": [{"key": "x", "type": "a boolean"}]}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "sync wave and sync options are ignored")
}

test_success_all_strings if {
	obj := {"index": 0, "ref": "Job a", "kind": "Job", "annotations": {"argocd.argoproj.io/sync-wave": "5"}, "nonStringAnnotations": []}
	rule.report == set() with input as {"objects": [obj]}
}
