package hookguard.rules.annotations["helm-hook-dropped_test"]

import data.hookguard.rules.annotations["helm-hook-dropped"] as rule

test_fail_helm_test_pod if {
	obj := {"index": 0, "ref": "Pod test-connection", "annotations": {"helm.sh/hook": "test"}, "argocd": {"role": "dropped", "invalidHelmHooks": [{"key": "helm.sh/hook", "value": "test"}]}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "never applied")
	contains(v.msg, "helm test")
}

test_success_pre_install if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"helm.sh/hook": "pre-install"}, "argocd": {"role": "hook", "invalidHelmHooks": []}}
	rule.report == set() with input as {"objects": [obj]}
}

test_success_argo_type_present if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"helm.sh/hook": "test", "argocd.argoproj.io/hook": "presync"}, "argocd": {"role": "dropped", "invalidHelmHooks": [{"key": "helm.sh/hook", "value": "test"}]}}
	rule.report == set() with input as {"objects": [obj]}
}

test_fail_post_delete_on_old_argocd if {
	obj := {"index": 0, "ref": "Job cleanup", "annotations": {"helm.sh/hook": "post-delete"}, "argocd": {"role": "dropped", "invalidHelmHooks": [{"key": "helm.sh/hook", "value": "post-delete"}]}}
	r := rule.report with input as {"objects": [obj], "config": {"argocdVersion": "2.9.0"}}
	some v in r
	contains(v.msg, "need Argo CD 2.10 (post-delete)")
}

_dropped(value) := {"index": 0, "ref": "Pod p", "annotations": {"helm.sh/hook": value}, "argocd": {"role": "dropped", "invalidHelmHooks": [{"key": "helm.sh/hook", "value": v} | some v in split(value, ",")]}}

test_fail_test_hooks_are_info if {
	r := rule.report with input as {"objects": [_dropped("test,test-success")]}
	some v in r
	v.severity == "info"
}

test_fail_rollback_warns if {
	r := rule.report with input as {"objects": [_dropped("pre-rollback")]}
	some v in r
	v.severity == "warning"
}
