package hookguard.rules.annotations["sync-wave-invalid_test"]

import data.hookguard.rules.annotations["sync-wave-invalid"] as rule

test_fail_space_falls_back_to_weight if {
	obj := {"index": 0, "ref": "Job a", "argocd": {
		"invalidWaves": [{"key": "argocd.argoproj.io/sync-wave", "value": " 5", "suggestion": "5"}],
		"wave": 7, "waveSource": "helm.sh/hook-weight",
	}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	contains(v.msg, "runs in wave 7 (from helm.sh/hook-weight)")
}

test_fail_decimal if {
	obj := {"index": 0, "ref": "Job a", "argocd": {"invalidWaves": [{"key": "argocd.argoproj.io/sync-wave", "value": "1.5"}], "wave": 0, "waveSource": "default"}}
	r := rule.report with input as {"objects": [obj]}
	count(r) == 1
}

test_success_integer if {
	obj := {"index": 0, "ref": "Job a", "argocd": {"invalidWaves": [], "wave": -1, "waveSource": "argocd.argoproj.io/sync-wave"}}
	rule.report == set() with input as {"objects": [obj]}
}
