# METADATA
# title: Resource with only generateName
# description: >-
#   A resource that is not a hook has metadata.generateName and no
#   metadata.name. Argo CD applies resources with kubectl apply, which refuses
#   generated names ("cannot use generate name with apply"), so the dry run
#   fails and the whole sync stops (Argo CD's e2e TestNamingNonHookResource).
#   Only hooks, which Argo CD creates, may use generateName. With the
#   Replace=true sync option Argo CD creates the object instead, so the rule
#   stays silent there.
# custom:
#   id: resource-generate-name
#   severity: error
#   remediation: Give the resource a fixed metadata.name, or make it a hook (argocd.argoproj.io/hook) if a new copy should run on every sync.
package hookguard.rules.lifecycle["resource-generate-name"]

import data.hookguard.lib

report contains lib.violation_at(obj, ["metadata", "generateName"], msg) if {
	some obj in input.objects
	lib.resource(obj)
	lib.generate_name_only(obj)
	not "Replace=true" in obj.argocd.syncOptions
	msg := sprintf("%s is not a hook but has only generateName: kubectl apply refuses generated names, so the sync fails at its dry run", [obj.ref])
}
