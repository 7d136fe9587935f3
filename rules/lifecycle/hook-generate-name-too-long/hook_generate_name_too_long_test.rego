package hookguard.rules.lifecycle["hook-generate-name-too-long_test"]

import data.hookguard.rules.lifecycle["hook-generate-name-too-long"] as rule

_hook(gn) := {"index": 0, "ref": "Job x", "kind": "Job", "name": "", "generateName": gn, "argocd": {"role": "hook"}}

test_fail_37 if {
	count(rule.report) == 1 with input as {"objects": [_hook("a-very-long-database-migration-hook-x-")]}
}

test_success_36 if {
	rule.report == set() with input as {"objects": [_hook("a-very-long-database-migration-hook-")]}
}
