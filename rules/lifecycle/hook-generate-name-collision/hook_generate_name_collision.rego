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

# What Argo CD builds a generateName hook's name from, per hook and phase.
_keyed := {[key, obj.index] |
	some obj in input.objects
	lib.sync_hook(obj)
	lib.generate_name_only(obj)
	some phase in obj.argocd.phases
	key := [obj.generateName, obj.kind, obj.namespace, phase]
}

# Hooks grouped by that key: a complete rule over the distinct keys (a
# partial rule _groups[key] contains ... costs OPA a check of every key
# against every other; rules/README.md). OPA indexes the inner comprehension
# on key.
_groups := {key: members |
	some key in {k[0] | some k in _keyed}
	members := {i | some k in _keyed; k[0] == key; i := k[1]}
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
