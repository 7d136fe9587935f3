# METADATA
# title: Hook without an owning team
# description: Every hook must carry the team label, so a stuck sync pages the right people.
# custom:
#   id: team-owner-label
#   severity: warning
#   remediation: Add the label team to the hook's metadata.
package hookguard.rules.custom["team-owner-label"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata"], sprintf("%s has no team label", [obj.ref])) if {
	some obj in input.objects
	lib.is_hook(obj)
	not obj.raw.metadata.labels.team
}
