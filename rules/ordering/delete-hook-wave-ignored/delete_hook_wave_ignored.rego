# METADATA
# title: Wave on a delete hook is ignored
# description: >-
#   A PreDelete or PostDelete hook has argocd.argoproj.io/sync-wave or
#   helm.sh/hook-weight. Argo CD creates all delete hooks of a phase at once,
#   in no set order (controller/hook.go executeHooks has no waves), so the
#   wave orders nothing: a delete hook that needs another to finish first
#   can start before it.
# custom:
#   id: delete-hook-wave-ignored
#   severity: info
#   remediation: Do not rely on waves between delete hooks; make each delete hook independent, or do the ordered steps inside one Job.
package hookguard.rules.ordering["delete-hook-wave-ignored"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(key), msg) if {
	some obj in input.objects
	count(obj.argocd.deleteTypes) > 0
	not lib.sync_hook(obj)
	some key in ["argocd.argoproj.io/sync-wave", "helm.sh/hook-weight"]
	lib.has_annotation(obj, key)
	msg := sprintf("%s: %s on a %s hook orders nothing; Argo CD creates the delete hooks of a phase all at once", [obj.ref, key, lib.join(obj.argocd.deleteTypes)])
}
