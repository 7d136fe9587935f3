# METADATA
# title: Suspended hook Job
# description: >-
#   A Job hook with spec.suspend true never starts a pod. Argo CD reads a
#   suspended Job as Suspended and waits for it forever.
# custom:
#   id: hook-job-suspended
#   severity: error
#   remediation: Remove spec.suspend from the hook Job.
#   kinds: [Job]
package hookguard.rules.lifecycle["hook-job-suspended"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["spec", "suspend"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind == "Job"
	obj.raw.spec.suspend == true
	msg := sprintf("%s: the hook Job is suspended (spec.suspend: true), so it never runs and Argo CD waits for it forever", [obj.ref])
}
