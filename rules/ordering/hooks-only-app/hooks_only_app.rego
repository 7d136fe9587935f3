# METADATA
# title: App made only of hooks
# description: >-
#   Every object of the app is a hook. Argo CD tracks no resources for it, so
#   the app shows nothing, never goes OutOfSync, and automated sync never
#   starts; hooks also do not run on self-heal. Applies when the set is a whole
#   app (a rendered Kustomize or Helm directory, the CMP, or --whole-app).
# custom:
#   id: hooks-only-app
#   severity: warning
#   remediation: Add at least one normal resource (a ConfigMap is enough), or run the work as normal resources ordered with sync waves.
#   scope: app
package hookguard.rules.ordering["hooks-only-app"]

import data.hookguard.lib

report contains lib.violation(input.objects[0], msg) if {
	input.app.complete
	count(input.objects) > 0
	not _has_resource
	msg := sprintf("every one of the app's %d objects is a hook: Argo CD tracks no resource, so the app never goes OutOfSync and automated sync never runs it", [count(input.objects)])
}

_has_resource if {
	some obj in input.objects
	lib.resource(obj)
}
