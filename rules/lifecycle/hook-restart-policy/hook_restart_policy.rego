# METADATA
# title: Hook pod restarts forever
# description: >-
#   A Pod hook whose restartPolicy is Always or unset (the API default is
#   Always) is Healthy as soon as it is Ready, so Argo CD counts the hook as
#   succeeded while it keeps running, and a failing container restarts forever.
#   A Job hook whose pod template has Always or no restartPolicy is rejected by
#   the API server (a Job needs Never or OnFailure), which fails the sync.
# custom:
#   id: hook-restart-policy
#   severity: error
#   remediation: Set restartPolicy to Never (or OnFailure) in the hook's pod spec.
#   kinds: [Pod, Job]
package hookguard.rules.lifecycle["hook-restart-policy"]

import data.hookguard.lib

report contains lib.violation_at(obj, array.concat(lib.pod_spec_path(obj), ["restartPolicy"]), msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	obj.kind in {"Pod", "Job"}
	policy := object.get(lib.pod_spec(obj), "restartPolicy", "")
	policy in {"", "Always"}
	msg := sprintf("%s: %s; %s", [obj.ref, _state(policy), _consequence(obj.kind)])
}

_state("") := "the hook's pod spec has no restartPolicy (the API default is Always)"

_state("Always") := "the hook's pod spec has restartPolicy Always"

_consequence("Pod") := "Argo CD counts the hook Pod as succeeded once it is Ready although it keeps running, and a failing container restarts forever"

_consequence("Job") := "the API server rejects a Job whose pod template restartPolicy is not Never or OnFailure, so the sync fails at this hook"
