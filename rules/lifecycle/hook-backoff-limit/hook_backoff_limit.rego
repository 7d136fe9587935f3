# METADATA
# title: Hook Job retries too often
# description: >-
#   A Job hook has no explicit spec.backoffLimit (Kubernetes then retries a
#   failing pod 6 times with growing back-off, minutes before Argo CD sees the
#   failure), or one above the configured maximum (maxBackoffLimit, default 3).
# custom:
#   id: hook-backoff-limit
#   severity: warning
#   remediation: Set spec.backoffLimit on the hook Job to a small number (0 to {settings.maxBackoffLimit}).
#   kinds: [Job]
#   parameters:
#     maxBackoffLimit:
#       type: integer
#       default: 3
#       description: The highest spec.backoffLimit accepted on a hook Job.
package hookguard.rules.lifecycle["hook-backoff-limit"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["spec"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind == "Job"
	# backoffLimit: with no value is unset: the API server defaults it to 6.
	object.get(object.get(obj.raw, "spec", {}), "backoffLimit", null) == null
	msg := sprintf("%s: the hook Job has no spec.backoffLimit, so a failing pod is retried 6 times with growing back-off before Argo CD sees the hook fail", [obj.ref])
}

report contains lib.violation_at(obj, ["spec", "backoffLimit"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind == "Job"
	limit := obj.raw.spec.backoffLimit
	is_number(limit)
	limit > input.config.maxBackoffLimit
	msg := sprintf("%s: the hook Job's backoffLimit %d is above the maximum %d: a failing hook holds the sync through every retry", [obj.ref, limit, input.config.maxBackoffLimit])
}
