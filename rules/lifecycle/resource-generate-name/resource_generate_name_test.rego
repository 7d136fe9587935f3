package hookguard.rules.lifecycle["resource-generate-name_test"]

import data.hookguard.rules.lifecycle["resource-generate-name"] as rule

_obj(role, name, generate, options) := {
	"index": 0, "ref": "ConfigMap settings-…", "name": name, "generateName": generate,
	"argocd": {"role": role, "syncOptions": options},
}

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
