# Unit tests of the custom rules: hookguard verify testdata/config/policy
package hookguard.rules.custom["team-owner-label_test"]

import data.hookguard.argocd
import data.hookguard.rules.custom["team-owner-label"] as rule

_hook(labels) := {"index": 0, "ref": "Job m", "argocd": {"role": argocd.roles.hook}, "raw": {"metadata": {"labels": labels}}}

test_fail_hook_without_team if {
	some v in rule.report with input as {"objects": [_hook({})]}
	v.msg == "Job m has no team label"
}

test_success_hook_with_team if {
	count(rule.report) == 0 with input as {"objects": [_hook({"team": "payments"})]}
}

test_success_resource_without_team if {
	obj := object.union(_hook({}), {"argocd": {"role": argocd.roles.resource}})
	count(rule.report) == 0 with input as {"objects": [obj]}
}
