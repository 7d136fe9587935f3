# METADATA
# title: Annotation value is not a string
# description: >-
#   An annotation value is not a YAML string (an unquoted number, a YAML 1.1
#   boolean such as yes or on, or an empty value). Under annotation-based
#   resource tracking, Argo CD's default since {since.annotationTracking}, the
#   repo-server reads the annotations of every object but CRDs as strings
#   while it writes its tracking annotation and refuses any other value, an
#   empty one included, so the whole app's manifest generation fails and
#   nothing is synced. On a CRD, and under label tracking (the default up to
#   {lastWithout.annotationTracking}), Argo CD reads an empty value as "" and
#   with any other non-string value reads none of the object's annotations,
#   so a hook silently becomes a plain resource applied in the Sync phase at
#   wave 0.
# custom:
#   id: annotation-value-not-string
#   severity: error
#   remediation: Quote the value (sync-wave "5", not 5).
package hookguard.rules.annotations["annotation-value-not-string"]

import data.hookguard.lib

# Whether the object stops the generation is internal/hooks' GenerationFails
# (argo-cd reposerver/repository/repository.go:1843-1846).
report contains lib.violation_at(obj, lib.annotation_path(item.key), msg) if {
	some obj in input.objects
	some item in obj.nonStringAnnotations
	not _read_as_empty(obj, item)
	msg := sprintf("%s: annotation %s is %s, not a string; %s", [obj.ref, item.key, item.type, _effect(obj)])
}

# An empty value Argo CD reads as "": the object keeps its other annotations.
report contains lib.graded_at(obj, lib.annotation_path(item.key), msg, "warning") if {
	some obj in input.objects
	some item in obj.nonStringAnnotations
	_read_as_empty(obj, item)
	msg := sprintf("%s: annotation %s is %s, not a string; Argo CD reads it as an empty string", [obj.ref, item.key, item.type])
}

_read_as_empty(obj, item) if {
	not obj.generationFails
	item.null
	obj.argocd.annotationsReadable
}

_effect(obj) := "Argo CD's resource tracking refuses the object, so the whole app's manifest generation fails and nothing is synced" if obj.generationFails

_effect(obj) := sprintf("Argo CD then reads none of this object's annotations%s", [_consequence(obj)]) if not obj.generationFails

_hook_keys := {"argocd.argoproj.io/hook", "helm.sh/hook"}

_consequence(obj) := ", so its hook annotation is ignored and it is applied as a plain resource in the Sync phase, wave 0" if {
	_has_hook_key(obj)
}

_consequence(obj) := ", so its sync wave and sync options are ignored" if {
	not _has_hook_key(obj)
}

_has_hook_key(obj) if {
	some key in _hook_keys
	lib.has_annotation(obj, key)
}
