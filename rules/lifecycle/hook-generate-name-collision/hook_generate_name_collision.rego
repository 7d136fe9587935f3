# METADATA
# title: Hooks with the same generateName collide
# description: >-
#   Argo CD names generateName hooks from the generateName, the revision, the
#   phase and the sync start time, so two hooks with the same generateName,
#   kind, namespace and phase get the same name in every sync: one of them is
#   not created, or overwrites the other.
# custom:
#   id: hook-generate-name-collision
#   severity: error
#   remediation: Give each hook its own generateName.
package hookguard.rules.lifecycle["hook-generate-name-collision"]

import data.hookguard.lib

# Hooks grouped by what Argo CD builds their name from (index, not pairs: O(n)).
_groups[key] contains obj.index if {
	some obj in input.objects
	lib.sync_hook(obj)
	lib.generate_name_only(obj)
	some phase in obj.argocd.phases
	key := [obj.generateName, obj.kind, obj.namespace, phase]
}

report contains lib.violation_at(b, ["metadata", "generateName"], msg) if {
	some key, members in _groups
	count(members) > 1
	first := min(members)
	some i in members
	i != first
	a := input.objects[first]
	b := input.objects[i]
	msg := sprintf("%s: generateName %q, kind, namespace and phase %s are the same as %s (%s), so Argo CD gives both the same name and they collide", [b.ref, b.generateName, key[3], a.ref, lib.where(a)])
}
