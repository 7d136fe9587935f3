package hookguard.rules.lifecycle["hook-generate-name-collision_test"]

import data.hookguard.rules.lifecycle["hook-generate-name-collision"] as rule

_hook(i, phases) := {"index": i, "ref": "Job x", "file": "f.yaml", "line": 1, "kind": "Job", "namespace": "", "name": "", "generateName": "migrate-", "argocd": {"role": "hook", "phases": phases}}

test_fail_same_phase if {
	count(rule.report) == 1 with input as {"objects": [_hook(0, ["PreSync"]), _hook(1, ["PreSync"])]}
}

test_success_other_phase if {
	rule.report == set() with input as {"objects": [_hook(0, ["PreSync"]), _hook(1, ["PostSync"])]}
}
