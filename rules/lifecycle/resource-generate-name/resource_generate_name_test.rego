package hookguard.rules.lifecycle["resource-generate-name_test"]

import data.hookguard.rules.lifecycle["resource-generate-name"] as rule

_obj(role, name, generate, options) := {
	"index": 0, "ref": "ConfigMap settings-…", "name": name, "generateName": generate,
	"argocd": {"role": role, "syncOptions": options},
}

# Argo CD's e2e TestNamingNonHookResource (argo-cd v3.6.1
# test/e2e/hook_test.go:603-613) removes a plain Pod's name and expects the
# sync to fail; TestAutomaticallyNamingUnnamedHook names hooks instead.
test_fail_resource_with_generate_name_only if {
	count(rule.report) == 1 with input as {"objects": [_obj("resource", "", "settings-", [])]}
}

test_success_named_resource if {
	rule.report == set() with input as {"objects": [_obj("resource", "settings", "settings-", [])]}
}

test_success_hook_with_generate_name if {
	rule.report == set() with input as {"objects": [_obj("hook", "", "migrate-", [])]}
}

test_success_replace_creates_it if {
	rule.report == set() with input as {"objects": [_obj("resource", "", "settings-", ["Replace=true"])]}
}
