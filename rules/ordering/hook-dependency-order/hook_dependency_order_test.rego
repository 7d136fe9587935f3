package hookguard.rules.ordering["hook-dependency-order_test"]

import data.hookguard.rules.ordering["hook-dependency-order"] as rule

_hook := {
	"index": 0, "ref": "Job shop/migrate", "kind": "Job", "namespace": "shop", "name": "migrate", "file": "a.yaml", "line": 1,
	"argocd": {"role": "hook"}, "tasks": [{"phase": "PreSync", "wave": 0, "position": 0}],
	"raw": {"spec": {"template": {"spec": {
		"serviceAccountName": "migrator",
		"containers": [{"name": "m", "env": [{"name": "DB", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}]}],
	}}}},
}

_secret(tasks, role) := {"index": 1, "ref": "Secret shop/db", "kind": "Secret", "namespace": "shop", "name": "db", "file": "b.yaml", "line": 3, "argocd": {"role": role}, "tasks": tasks}

test_fail_secret_created_in_sync if {
	r := rule.report with input as {"objects": [_hook, _secret([{"phase": "Sync", "wave": 0, "position": 1}], "resource")]}
	count(r) == 1
	some v in r
	contains(v.msg, "creates later (Sync, wave 0)")
	v.path == ["spec", "template", "spec", "containers", "0", "env", "0"]
}

test_fail_secret_never_applied if {
	r := rule.report with input as {"objects": [_hook, _secret([], "dropped")]}
	some v in r
	contains(v.msg, "never applies")
}

test_success_secret_created_earlier if {
	secret := _secret([{"phase": "PreSync", "wave": -1, "position": 0}], "hook")
	hook := object.union(_hook, {"tasks": [{"phase": "PreSync", "wave": 0, "position": 1}]})
	rule.report == set() with input as {"objects": [hook, secret]}
}

test_success_secret_not_in_set if {
	rule.report == set() with input as {"objects": [_hook]}
}

_post_delete(sa) := {"index": 0, "ref": "Job cleanup", "kind": "Job", "name": "cleanup", "namespace": "", "tasks": [], "raw": {"spec": {"template": {"spec": {"serviceAccountName": sa}}}}, "argocd": {"role": "delete-hook", "deleteTypes": ["PostDelete"]}}

_sa(role) := {"index": 1, "ref": "ServiceAccount app", "kind": "ServiceAccount", "name": "app", "namespace": "", "file": "a.yaml", "line": 1, "tasks": [], "argocd": {"role": role, "deleteTypes": []}}

# PostDelete hooks start only after every app resource is gone: argo-cd
# v3.6.1 controller/appcontroller.go:1445-1476 deletes the resources and
# returns while any remain, then 1480-1492 runs executePostDeleteHooks
# (docs/user-guide/sync-waves.md:87-94).
test_fail_post_delete_uses_app_service_account if {
	r := rule.report with input as {"objects": [_post_delete("app"), _sa("resource")]}
	some v in r
	contains(v.msg, "deletion hangs")
}

test_success_post_delete_brings_its_own if {
	rule.report == set() with input as {"objects": [_post_delete("app"), _sa("delete-hook")]}
}

test_success_post_delete_target_is_created_again if {
	sa := object.union(_sa("hook"), {"argocd": {"role": "hook", "deleteTypes": ["PostDelete"]}})
	rule.report == set() with input as {"objects": [_post_delete("app"), sa]}
}
