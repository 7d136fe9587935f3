# METADATA
# title: Annotation value is not a string
# description: >-
#   An annotation value is not a YAML string (an unquoted number, boolean or an
#   empty value). Argo CD reads annotations as a map of strings; one value that
#   is not a string makes it read no annotations at all, so a hook silently
#   becomes a plain resource applied in the Sync phase at wave 0.
# custom:
#   id: annotation-value-not-string
#   severity: error
#   remediation: Quote the value (sync-wave "5", not 5).
package hookguard.rules.annotations["annotation-value-not-string"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(item.key), msg) if {
	some obj in input.objects
	some item in obj.nonStringAnnotations
	msg := sprintf("%s: annotation %s is %s, not a string; Argo CD then reads none of this object's annotations%s", [obj.ref, item.key, item.type, _consequence(obj)])
}

_hook_keys := {"argocd.argoproj.io/hook", "helm.sh/hook"}

_consequence(obj) := ", so its hook annotation is ignored and it is applied as a plain resource in the Sync phase, wave 0" if {
	some key in _hook_keys
	lib.has_annotation(obj, key)
}

_consequence(obj) := ", so its sync wave and sync options are ignored" if {
	not _has_hook_key(obj)
}

_has_hook_key(obj) if {
	some key in _hook_keys
	lib.has_annotation(obj, key)
}
