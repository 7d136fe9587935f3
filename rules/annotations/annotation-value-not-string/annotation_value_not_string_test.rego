package hookguard.rules.annotations["annotation-value-not-string_test"]

import data.hookguard.rules.annotations["annotation-value-not-string"] as rule

_obj(kind, annotations, items, fails, readable) := {
	"index": 0, "ref": sprintf("%s a", [kind]), "kind": kind, "annotations": annotations,
	"nonStringAnnotations": items, "generationFails": fails,
	"argocd": {"annotationsReadable": readable},
}

_int_wave := [{"key": "argocd.argoproj.io/sync-wave", "type": "an integer", "null": false}]

_hook := {"argocd.argoproj.io/hook": "PreSync", "argocd.argoproj.io/sync-wave": "5"}

test_fail_unquoted_wave_on_a_job_fails_generation if {
	r := rule.report with input as {"objects": [_obj("Job", _hook, _int_wave, true, false)]}
	count(r) == 1
	some v in r
	contains(v.msg, "is an integer, not a string")
	contains(v.msg, "manifest generation fails and nothing is synced")
	not v.severity
}

test_fail_hook_crd_becomes_plain_resource if {
	r := rule.report with input as {"objects": [_obj("CustomResourceDefinition", _hook, _int_wave, false, false)]}
	some v in r
	contains(v.msg, "applied as a plain resource")
}

test_fail_boolean_on_crd_resource if {
	items := [{"key": "x", "type": "a boolean", "null": false}]
	r := rule.report with input as {"objects": [_obj("CustomResourceDefinition", {"x": "true"}, items, false, false)]}
	some v in r
	contains(v.msg, "sync wave and sync options are ignored")
}

# A null value on a tracked object stops the generation as well.
test_fail_null_on_a_tracked_object if {
	items := [{"key": "note", "type": "empty (null)", "null": true}]
	r := rule.report with input as {"objects": [_obj("ConfigMap", {"note": ""}, items, true, true)]}
	some v in r
	contains(v.msg, "manifest generation fails")
	not v.severity
}

# On a CRD (or under label tracking) a null value reads as "": a warning.
test_fail_null_on_a_crd_reads_empty if {
	items := [{"key": "note", "type": "empty (null)", "null": true}]
	r := rule.report with input as {"objects": [_obj("CustomResourceDefinition", {"note": ""}, items, false, true)]}
	count(r) == 1
	some v in r
	contains(v.msg, "reads it as an empty string")
	v.severity == "warning"
}

test_success_all_strings if {
	rule.report == set() with input as {"objects": [_obj("Job", {"argocd.argoproj.io/sync-wave": "5"}, [], false, true)]}
}
