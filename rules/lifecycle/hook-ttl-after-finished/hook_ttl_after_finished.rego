# METADATA
# title: Hook Job TTL races Argo CD ({lastWithout.hookFinalizer} and older)
# description: >-
#   On Argo CD {lastWithout.hookFinalizer} and older, the TTL controller can delete a finished hook
#   Job (ttlSecondsAfterFinished) before Argo CD has read its result, and the
#   sync hangs "waiting for completion of hook". Argo CD {since.hookFinalizer} added a hook
#   finalizer that prevents this; the rule applies when the target Argo CD
#   version (argocdVersion) is older than {since.hookFinalizer}.
# custom:
#   id: hook-ttl-after-finished
#   severity: warning
#   remediation: Drop ttlSecondsAfterFinished from hook Jobs and use a hook delete policy, or upgrade to Argo CD {since.hookFinalizer} or newer.
#   kinds: [Job]
package hookguard.rules.lifecycle["hook-ttl-after-finished"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["spec", "ttlSecondsAfterFinished"], msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind == "Job"
	"ttlSecondsAfterFinished" in object.keys(object.get(obj.raw, "spec", {}))
	not input.config.hookFinalizer
	msg := sprintf("%s: the hook Job sets ttlSecondsAfterFinished; on Argo CD %s and older (the target is %s) the Job can be deleted before Argo CD reads its result, and the sync hangs waiting for the hook", [obj.ref, lib.last_without.hookFinalizer, input.config.argocdVersion])
}
