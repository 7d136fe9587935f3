# METADATA
# title: Skip combined with other hook types
# description: >-
#   argocd.argoproj.io/hook combines Skip with other types. Argo CD honours
#   Skip only when it is the only type, so the object is run as a hook instead
#   of being skipped.
# custom:
#   id: hook-skip-combined
#   severity: warning
#   remediation: Use Skip alone to keep Argo CD from applying the object, or remove Skip.
package hookguard.rules.annotations["hook-skip-combined"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path("argocd.argoproj.io/hook"), msg) if {
	some obj in input.objects
	obj.argocd.skipCombined
	others := [t | some t in obj.argocd.types; t != "Skip"]
	msg := sprintf("%s: Skip is combined with %s, so Argo CD ignores Skip and runs the object as a %s hook", [obj.ref, lib.join(others), lib.join(others)])
}
