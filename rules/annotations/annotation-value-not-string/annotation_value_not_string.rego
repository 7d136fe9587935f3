# METADATA
# title: Annotation value is not a string
# description: >-
#   An annotation value is not a YAML string (an unquoted number, a YAML 1.1
#   boolean such as yes or on, or an empty value). Argo CD's resource tracking
#   writes its own annotation into every object but CRDs and refuses such a
#   map, so the whole app's manifest generation fails; on a CRD, Argo CD reads
#   no annotations at all (an empty value reads as ""), so a hook silently
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
	msg := sprintf("%s: annotation %s is %s, not a string; %s", [obj.ref, item.key, item.type, _effect(obj)])
}

# Argo CD's tracking (argo-cd util/kube SetAppInstanceAnnotation) reads the
# annotations of every object but CRDs as a map of strings and fails the
# app's manifest generation when one is not (docs/research/argocd-yaml-reading.md).
_effect(obj) := "Argo CD's resource tracking refuses the object, so the whole app's manifest generation fails" if obj.kind != "CustomResourceDefinition"

_effect(obj) := sprintf("Argo CD then reads none of this object's annotations%s", [_consequence(obj)]) if obj.kind == "CustomResourceDefinition"

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
