package hookguard.rules.lifecycle["hook-named-without-before-hook-creation_test"]

import data.hookguard.rules.lifecycle["hook-named-without-before-hook-creation"] as rule

_hook(policies) := {"index": 0, "ref": "Job myapp/smoke-test", "kind": "Job", "raw": {"spec": {}}, "name": "smoke-test", "annotations": {"argocd.argoproj.io/hook-delete-policy": "x"}, "argocd": {"role": "hook", "explicitDeletePolicies": policies}}

test_fail_succeeded_only if {
	r := rule.report with input as {"objects": [_hook(["HookSucceeded"])]}
	some v in r
	contains(v.msg, "after a failed sync the old object stays")
}

test_success_default_policy if {
	rule.report == set() with input as {"objects": [_hook([])]}
}

test_success_with_before_hook_creation if {
	rule.report == set() with input as {"objects": [_hook(["BeforeHookCreation", "HookSucceeded"])]}
}

test_success_generate_name if {
	obj := object.union(_hook(["HookSucceeded"]), {"name": ""})
	rule.report == set() with input as {"objects": [obj]}
}

_named(kind, spec) := {"index": 0, "ref": sprintf("%s a", [kind]), "kind": kind, "name": "a", "raw": {"spec": spec}, "annotations": {"argocd.argoproj.io/hook-delete-policy": "HookSucceeded"}, "argocd": {"role": "hook", "explicitDeletePolicies": ["HookSucceeded"]}}

# Only Jobs and Pods run something that a stale object replays or refuses
# (an immutable spec.template, a Completed or Failed status read again:
# argo-cd #7430, #14929; ../shared/argocd-semantics.md A2); another kind is
# applied over as any named object.
test_success_configmap_has_no_run_to_repeat if {
	rule.report == set() with input as {"objects": [_named("ConfigMap", {})]}
}

# ttlSecondsAfterFinished removes the finished Job (the TTL controller), so
# the stale object lives only that long: a warning, not an error.
test_fail_ttl_bounds_the_window if {
	r := rule.report with input as {"objects": [_named("Job", {"ttlSecondsAfterFinished": 600})]}
	some v in r
	v.severity == "warning"
	contains(v.msg, "ttlSecondsAfterFinished of 600 s")
}
