# METADATA
# title: Argo CD and Helm hook annotations mixed
# description: >-
#   The object has a valid argocd.argoproj.io/hook type and a helm.sh/hook
#   annotation. Argo CD then ignores every Helm hook type, but still merges the
#   Helm delete policies and uses the Helm weight when sync-wave is absent,
#   which is rarely what the author expected. Where both say the same
#   (charts that ship both for Argo CD users) the finding is info; hook Skip
#   on a Helm hook, Argo CD's documented way to suppress it, is silent.
# custom:
#   id: hook-annotations-mixed
#   severity: warning
#   remediation: Keep one hook vocabulary per object; for Argo CD, state the type, delete policy and wave with argocd.argoproj.io annotations.
package hookguard.rules.annotations["hook-annotations-mixed"]

import data.hookguard.lib

report contains lib.graded_at(obj, lib.annotation_path("helm.sh/hook"), msg, _severity(obj)) if {
	some obj in input.objects
	obj.argocd.typesFrom == "argocd"
	lib.has_annotation(obj, "helm.sh/hook")
	obj.annotations["helm.sh/hook"] != "crd-install"
	# hook: Skip on a Helm hook is Argo CD's documented way to suppress it.
	obj.argocd.types != ["Skip"]
	msg := sprintf("%s: argocd.argoproj.io/hook %q overrides helm.sh/hook %q, so Argo CD runs it only as %s%s", [obj.ref, obj.annotations["argocd.argoproj.io/hook"], obj.annotations["helm.sh/hook"], lib.join(obj.argocd.types), _merged(obj)])
}

# Charts that ship both vocabularies on purpose, saying the same: info.
_severity(obj) := "info" if _agree(obj)

_severity(obj) := "warning" if not _agree(obj)

_agree(obj) if {
	{t | some t in obj.argocd.types} == lib.helm_sync_types(obj)
	not lib.has_annotation(obj, "helm.sh/hook-weight")
}

_agree(obj) if {
	{t | some t in obj.argocd.types} == lib.helm_sync_types(obj)
	obj.annotations["helm.sh/hook-weight"] == object.get(obj.annotations, "argocd.argoproj.io/sync-wave", obj.annotations["helm.sh/hook-weight"])
}

_merged(obj) := "; the Helm delete policy is still merged in" if {
	lib.has_annotation(obj, "helm.sh/hook-delete-policy")
	not lib.has_annotation(obj, "helm.sh/hook-weight")
}

_merged(obj) := "; the Helm hook-weight still sets the wave" if {
	lib.has_annotation(obj, "helm.sh/hook-weight")
	not lib.has_annotation(obj, "helm.sh/hook-delete-policy")
}

_merged(obj) := "; the Helm delete policy is still merged in and the Helm hook-weight still sets the wave" if {
	lib.has_annotation(obj, "helm.sh/hook-weight")
	lib.has_annotation(obj, "helm.sh/hook-delete-policy")
}

_merged(obj) := "" if {
	not lib.has_annotation(obj, "helm.sh/hook-weight")
	not lib.has_annotation(obj, "helm.sh/hook-delete-policy")
}
