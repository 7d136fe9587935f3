package hookguard.rules.ordering["delete-hook-wave-ignored_test"]

import data.hookguard.rules.ordering["delete-hook-wave-ignored"] as rule

_hook(role, deletes, annotations) := {"index": 0, "ref": "Job cleanup", "annotations": annotations, "argocd": {"role": role, "deleteTypes": deletes}}

# Delete hooks have no waves: argo-cd v3.6.1 controller/hook.go:99-190
# executeHooks creates every hook of the type at once (CreateResource,
# hook.go:187) and waits for all of them.
test_fail_wave_on_post_delete_hook if {
	count(rule.report) == 1 with input as {"objects": [_hook("delete-hook", ["PostDelete"], {"argocd.argoproj.io/sync-wave": "2"})]}
}

test_fail_helm_weight_on_pre_delete_hook if {
	count(rule.report) == 1 with input as {"objects": [_hook("delete-hook", ["PreDelete"], {"helm.sh/hook-weight": "-5"})]}
}

test_success_wave_on_sync_hook if {
	rule.report == set() with input as {"objects": [_hook("hook", [], {"argocd.argoproj.io/sync-wave": "2"})]}
}

test_success_delete_hook_without_wave if {
	rule.report == set() with input as {"objects": [_hook("delete-hook", ["PostDelete"], {})]}
}
