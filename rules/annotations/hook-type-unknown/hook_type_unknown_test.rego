package hookguard.rules.annotations["hook-type-unknown_test"]

import data.hookguard.rules.annotations["hook-type-unknown"] as rule

_cfg := {"argocdVersion": "3.6.1"}

_obj(facts) := {"index": 0, "ref": "Job shop/migrate", "argocd": facts}

test_fail_case_slip_drops_resource if {
	facts := {"role": "dropped", "types": [], "deleteTypes": [], "typesFrom": "", "invalidHookTypes": [{"key": "argocd.argoproj.io/hook", "value": "presync", "suggestion": "PreSync"}]}
	r := rule.report with input as {"objects": [_obj(facts)], "config": _cfg}
	count(r) == 1
	some v in r
	contains(v.msg, `did you mean "PreSync"?`)
	contains(v.msg, "drops the whole resource")
	v.path == ["metadata", "annotations", "argocd.argoproj.io/hook"]
}

test_fail_mixed_keeps_valid_types if {
	facts := {"role": "hook", "types": ["Sync"], "deleteTypes": [], "typesFrom": "argocd", "invalidHookTypes": [{"key": "argocd.argoproj.io/hook", "value": "Garbage"}]}
	r := rule.report with input as {"objects": [_obj(facts)], "config": _cfg}
	some v in r
	contains(v.msg, "keeps only Sync")
}

test_fail_post_delete_on_old_version if {
	facts := {"role": "dropped", "types": [], "deleteTypes": [], "typesFrom": "", "invalidHookTypes": [{"key": "argocd.argoproj.io/hook", "value": "PostDelete"}]}
	r := rule.report with input as {"objects": [_obj(facts)], "config": {"argocdVersion": "2.9.0"}}
	some v in r
	contains(v.msg, "2.10 or newer")
}

test_success_valid_types if {
	facts := {"role": "hook", "types": ["PreSync"], "deleteTypes": [], "typesFrom": "argocd", "invalidHookTypes": []}
	r := rule.report with input as {"objects": [_obj(facts)], "config": _cfg}
	r == set()
}

# An empty hook value: IsHook (the key is present) with no type, so
# ignore.Ignore drops the object (gitops-engine v3.6.1
# pkg/sync/hook/hook.go:23-29, pkg/sync/ignore/ignore.go:10-12).
test_fail_empty_hook_value if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"argocd.argoproj.io/hook": ""}, "argocd": {"role": "dropped", "invalidHookTypes": [], "invalidHelmHooks": [], "types": [], "typesFrom": "", "deleteTypes": []}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "is empty")
}

test_success_empty_value_on_a_resource_kept_by_helm if {
	obj := {"index": 0, "ref": "Job a", "annotations": {"argocd.argoproj.io/hook": "", "helm.sh/hook": "pre-install"}, "argocd": {"role": "hook", "invalidHookTypes": [], "invalidHelmHooks": [], "types": ["PreSync"], "typesFrom": "helm", "deleteTypes": []}}
	rule.report == set() with input as {"objects": [obj]}
}
