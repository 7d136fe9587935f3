# METADATA
# title: Unknown hook type
# description: >-
#   An argocd.argoproj.io/hook item is not one of the exact, case-sensitive
#   types Argo CD accepts (PreSync, Sync, PostSync, SyncFail, Skip, and
#   PostDelete/PreDelete on recent versions). Argo CD drops the item without a
#   message; when no valid type is left, it drops the whole resource. An
#   empty value counts too: the object is a hook with no type, and Argo CD
#   drops it.
# custom:
#   id: hook-type-unknown
#   severity: error
#   remediation: Spell the hook type exactly as Argo CD does (PreSync, Sync, PostSync, SyncFail, Skip, PostDelete, PreDelete).
package hookguard.rules.annotations["hook-type-unknown"]

import data.hookguard.lib

# argocd.argoproj.io/hook: "" makes the object a hook (the key is present)
# with no type: ignore.Ignore drops it (gitops-engine pkg/sync/hook/hook.go,
# pkg/sync/ignore/ignore.go).
report contains lib.violation_at(obj, lib.annotation_path("argocd.argoproj.io/hook"), msg) if {
	some obj in input.objects
	lib.dropped(obj)
	trim_space(object.get(obj.annotations, "argocd.argoproj.io/hook", "x")) == ""
	count(obj.argocd.invalidHelmHooks) == 0
	msg := sprintf("%s: argocd.argoproj.io/hook is empty; Argo CD counts the object as a hook with no type and drops it: it is never applied", [obj.ref])
}

report contains lib.violation_at(obj, lib.annotation_path(item.key), msg) if {
	some obj in input.objects
	some item in obj.argocd.invalidHookTypes
	msg := sprintf("%s: %s %q is not a hook type Argo CD knows%s; %s", [obj.ref, item.key, item.value, _hint(item), _outcome(obj)])
}

_hint(item) := sprintf(" (did you mean %q?)", [_suggestion(item)]) if _suggestion(item) != ""

_hint(item) := sprintf(" (it needs Argo CD %s or newer; the target is %s)", [lib.since.postDelete, input.config.argocdVersion]) if {
	_suggestion(item) == ""
	item.value == "PostDelete"
}

_hint(item) := sprintf(" (it needs Argo CD %s or newer; the target is %s)", [lib.since.preDelete, input.config.argocdVersion]) if {
	_suggestion(item) == ""
	item.value == "PreDelete"
}

_hint(item) := "" if {
	_suggestion(item) == ""
	not item.value in {"PostDelete", "PreDelete"}
}

_outcome(obj) := "Argo CD ignores it and, with no valid type left, drops the whole resource: it is never applied" if lib.dropped(obj)

_outcome(obj) := sprintf("Argo CD ignores it and uses the Helm hook types instead (%s)", [lib.join(obj.argocd.types)]) if {
	not lib.dropped(obj)
	obj.argocd.typesFrom == "helm"
}

_outcome(obj) := sprintf("Argo CD ignores it and keeps only %s", [lib.join(_kept(obj))]) if {
	not lib.dropped(obj)
	obj.argocd.typesFrom != "helm"
}

_kept(obj) := array.concat(obj.argocd.types, obj.argocd.deleteTypes)

_suggestion(item) := object.get(item, "suggestion", "")
