# METADATA
# title: Helm hook Argo CD never runs
# description: >-
#   helm.sh/hook holds only values Argo CD does not run (test, test-success,
#   test-failure, pre-rollback, post-rollback, or unknown ones) and there is no
#   Argo CD hook type. The object still counts as a hook, so Argo CD drops it:
#   it is never applied, and nothing says so.
#   Argo CD not running Helm test hooks is intended, so those are info;
#   rollback-only and unknown values warn.
# custom:
#   id: helm-hook-dropped
#   severity: warning
#   remediation: Remove the object from what Argo CD renders (source.helm.skipTests for tests) or give it an Argo CD hook type.
package hookguard.rules.annotations["helm-hook-dropped"]

import data.hookguard.lib

# Argo CD not running Helm tests is intended: those are info; rollback-only
# and unknown values warn.
report contains lib.graded_at(obj, lib.annotation_path("helm.sh/hook"), msg, _severity(values)) if {
	some obj in input.objects
	lib.dropped(obj)
	lib.has_annotation(obj, "helm.sh/hook")
	not lib.has_annotation(obj, "argocd.argoproj.io/hook")
	values := [item.value | some item in obj.argocd.invalidHelmHooks]
	msg := sprintf("%s: helm.sh/hook %q has no value Argo CD runs (%s%s); Argo CD drops the object: it is never applied", [obj.ref, obj.annotations["helm.sh/hook"], lib.join(values), _why(values)])
}

_severity(values) := "info" if {
	count(values) > 0
	every v in values {
		startswith(v, "test")
	}
}

_severity(values) := "warning" if {
	some v in values
	not startswith(v, "test")
}

_severity(values) := "warning" if count(values) == 0

_why(values) := ": Helm test hooks only run under `helm test`" if {
	some v in values
	startswith(v, "test")
}

_why(values) := sprintf(": Helm delete hooks need Argo CD %s (post-delete) or %s (pre-delete); the target is %s", [lib.since.postDelete, lib.since.preDelete, input.config.argocdVersion]) if {
	not _has_test(values)
	some v in values
	v in {"post-delete", "pre-delete"}
}

_why(values) := "" if {
	not _has_test(values)
	not _has_delete(values)
}

_has_delete(values) if {
	some v in values
	v in {"post-delete", "pre-delete"}
}

_has_test(values) if {
	some v in values
	startswith(v, "test")
}
