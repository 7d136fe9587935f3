# METADATA
# title: Hook Job TTL races Argo CD (2.14 and older)
# description: >-
#   On Argo CD 2.14 and older, the TTL controller can delete a finished hook
#   Job (ttlSecondsAfterFinished) before Argo CD has read its result, and the
#   sync hangs "waiting for completion of hook". Argo CD 3.0 added a hook
#   finalizer that prevents this; the rule applies when the target Argo CD
#   version (argocdVersion) is older than 3.0.
# custom:
#   id: hook-ttl-after-finished
#   severity: warning
#   remediation: Drop ttlSecondsAfterFinished from hook Jobs and use a hook delete policy, or upgrade to Argo CD 3.0 or newer.
package hookguard.rules.lifecycle["hook-ttl-after-finished"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["spec", "ttlSecondsAfterFinished"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind == "Job"
	"ttlSecondsAfterFinished" in object.keys(object.get(obj.raw, "spec", {}))
	not input.config.hookFinalizer
	msg := sprintf("%s: the hook Job sets ttlSecondsAfterFinished; on Argo CD 2.14 and older (the target is %s) the Job can be deleted before Argo CD reads its result, and the sync hangs waiting for the hook", [obj.ref, input.config.argocdVersion])
}
