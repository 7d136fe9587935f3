package hookguard.rules.annotations["hook-annotations-mixed_test"]

import data.hookguard.rules.annotations["hook-annotations-mixed"] as rule

test_fail_both_keys if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"argocd.argoproj.io/hook": "PostSync", "helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "hook-succeeded"}, "argocd": {"typesFrom": "argocd", "types": ["PostSync"]}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "only as PostSync")
	contains(v.msg, "delete policy is still merged")
}

test_success_helm_only if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"helm.sh/hook": "pre-install"}, "argocd": {"typesFrom": "helm", "types": ["PreSync"]}}
	rule.report == set() with input as {"objects": [obj]}
}

_mixed(argo, types, helm) := {"index": 0, "ref": "Job a", "annotations": {"argocd.argoproj.io/hook": argo, "helm.sh/hook": helm}, "argocd": {"typesFrom": "argocd", "types": types}}

# hook: Skip alone makes IsHook false and Skip true whatever helm.sh/hook
# says (gitops-engine v3.6.1 pkg/sync/hook/hook.go:23-36), Argo CD's
# documented way to suppress a Helm hook (docs/user-guide/sync-waves.md:274-285).
test_success_skip_suppresses_a_helm_hook if {
	rule.report == set() with input as {"objects": [_mixed("Skip", ["Skip"], "pre-install")]}
}

test_fail_agreeing_vocabularies_are_info if {
	r := rule.report with input as {"objects": [_mixed("PreSync", ["PreSync"], "pre-install,pre-upgrade")]}
	some v in r
	v.severity == "info"
}

test_fail_disagreeing_vocabularies_warn if {
	r := rule.report with input as {"objects": [_mixed("PostSync", ["PostSync"], "pre-install")]}
	some v in r
	v.severity == "warning"
}
