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

report contains lib.violation_at(b, ["metadata", "generateName"], msg) if {
	some a in input.objects
	some b in input.objects
	a.index < b.index
	lib.sync_hook(a)
	lib.sync_hook(b)
	lib.generate_name_only(a)
	lib.generate_name_only(b)
	a.generateName == b.generateName
	a.kind == b.kind
	a.namespace == b.namespace
	some phase in a.argocd.phases
	phase in b.argocd.phases
	msg := sprintf("%s: generateName %q, kind, namespace and phase %s are the same as %s (%s:%d), so Argo CD gives both the same name and they collide", [b.ref, b.generateName, phase, a.ref, a.file, a.line])
}
