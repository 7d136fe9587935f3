# METADATA
# title: Hook can run forever
# description: >-
#   A Job or Pod hook has no activeDeadlineSeconds. Argo CD's sync has no
#   timeout by default, so a hook that hangs (a stuck connection, an image
#   that never pulls) blocks this sync and every later one until someone
#   terminates it.
# custom:
#   id: hook-deadline-missing
#   severity: warning
#   remediation: Set activeDeadlineSeconds on the hook (spec.activeDeadlineSeconds of the Job or Pod).
#   kinds: [Job, Pod]
package hookguard.rules.lifecycle["hook-deadline-missing"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["spec"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind in {"Job", "Pod"}
	not _has_deadline(obj)
	msg := sprintf("%s: the hook has no activeDeadlineSeconds; %s", [obj.ref, _blocks(obj)])
}

_blocks(obj) := "Argo CD's sync has no timeout by default, so if it hangs it blocks this and every later sync" if lib.sync_hook(obj)

# A delete hook runs when the Application is deleted: it holds the deletion.
_blocks(obj) := "if it hangs, the Application's deletion waits for it forever" if not lib.sync_hook(obj)

_has_deadline(obj) if object.get(object.get(obj.raw, "spec", {}), "activeDeadlineSeconds", null) != null

# A deadline on the Job's pods bounds each attempt, and backoffLimit the attempts.
_has_deadline(obj) if {
	obj.kind == "Job"
	"activeDeadlineSeconds" in object.keys(lib.pod_spec(obj))
}
