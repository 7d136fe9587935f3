# METADATA
# title: Delete policy or hook weight on a non-hook
# description: >-
#   A hook delete policy or helm.sh/hook-weight sits on an object that Argo CD
#   applies as a plain resource. Delete policies do nothing there; a Helm
#   hook-weight becomes the object's sync wave when it has no sync-wave.
# custom:
#   id: delete-policy-without-hook
#   severity: warning
#   remediation: Add the hook annotation the object was meant to have, or remove the hook-only annotations.
package hookguard.rules.annotations["delete-policy-without-hook"]

import data.hookguard.lib

_effects := {
	"argocd.argoproj.io/hook-delete-policy": "does nothing on a resource that is not a hook",
	"helm.sh/hook-delete-policy": "does nothing on a resource that is not a hook",
	"helm.sh/hook-weight": "is used by Argo CD as this resource's sync wave",
}

report contains lib.violation_at(obj, lib.annotation_path(key), msg) if {
	some obj in input.objects
	lib.resource(obj)
	some key, effect in _effects
	lib.has_annotation(obj, key)
	not _weight_overridden(obj, key)
	msg := sprintf("%s is not a hook, but has %s: it %s", [obj.ref, key, effect])
}

# A weight under a valid sync-wave has no effect either; say so the same way.
_weight_overridden(obj, key) if {
	key == "helm.sh/hook-weight"
	obj.argocd.waveSource == "argocd.argoproj.io/sync-wave"
}

report contains lib.violation_at(obj, lib.annotation_path("helm.sh/hook-weight"), msg) if {
	some obj in input.objects
	lib.resource(obj)
	lib.has_annotation(obj, "helm.sh/hook-weight")
	obj.argocd.waveSource == "argocd.argoproj.io/sync-wave"
	msg := sprintf("%s is not a hook, but has helm.sh/hook-weight: it does nothing here, sync-wave sets the wave", [obj.ref])
}
