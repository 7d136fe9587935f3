# METADATA
# title: Hook needs an object created later
# description: >-
#   A hook references a ServiceAccount, Secret, ConfigMap or
#   PersistentVolumeClaim (serviceAccountName, volumes, envFrom, secretKeyRef,
#   configMapKeyRef, imagePullSecrets) that the same app creates later in Argo
#   CD's sync order, or never applies. On a first sync the hook's pod cannot
#   start: it waits, or the Job fails, and the sync stops there. A PostDelete
#   hook that uses one of the app's own resources cannot start either: it
#   runs only after every app resource is deleted, so deletion hangs.
# custom:
#   id: hook-dependency-order
#   severity: error
#   remediation: Create what the hook needs before it runs - make it a hook of the same phase with a lower wave, or move it to an earlier wave or phase.
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, ServiceAccount, Secret, ConfigMap, PersistentVolumeClaim]
package hookguard.rules.ordering["hook-dependency-order"]

import data.hookguard.lib

report contains lib.violation_at(hook, ref.path, msg) if {
	some hook in input.objects
	lib.sync_hook(hook)
	count(hook.tasks) > 0
	some ref in _references(hook)
	some target in _by_kind_name[[ref.kind, ref.name]]
	_same_namespace(hook, target)
	when := _created_later(hook, target)
	msg := sprintf("%s (%s) uses %s %q, which %s (%s); on a first sync the hook cannot start", [hook.ref, _at(hook.tasks[0]), ref.kind, ref.name, when, lib.where(target)])
}

# PostDelete hooks start only once every resource of the app is gone
# (argo-cd controller/hook.go): one that needs the app's own ServiceAccount,
# Secret, ConfigMap or PVC cannot start, and the app's deletion hangs.
report contains lib.violation_at(hook, ref.path, msg) if {
	some hook in input.objects
	"PostDelete" in hook.argocd.deleteTypes
	not lib.sync_hook(hook)
	some ref in _references(hook)
	some target in _by_kind_name[[ref.kind, ref.name]]
	_same_namespace(hook, target)
	target.argocd.role in {lib.roles.resource, lib.roles.hook}
	not "PostDelete" in target.argocd.deleteTypes # created again beside the hook
	msg := sprintf("%s is a PostDelete hook that uses %s %q, an app resource (%s); PostDelete hooks start only after every app resource is deleted, so its pod cannot start and the Application's deletion hangs", [hook.ref, ref.kind, ref.name, lib.where(target)])
}

# The app's objects by kind and name, built once: a reference is looked up
# here, never searched for among all objects, so the rule stays linear in
# the objects (rules/README.md). OPA indexes the inner comprehension on key.
_by_kind_name := {key: targets |
	some key in {[o.kind, o.name] | some o in input.objects}
	targets := [t | some t in input.objects; [t.kind, t.name] == key]
}

_at(task) := sprintf("%s, wave %d", [task.phase, task.wave])

_created_later(hook, target) := sprintf("this app creates later (%s)", [_at(target.tasks[0])]) if {
	count(target.tasks) > 0
	target.tasks[0].position > hook.tasks[0].position
}

_created_later(_, target) := sprintf("this app never applies during a sync (it is %s)", [target.argocd.role]) if {
	count(target.tasks) == 0
}

_same_namespace(a, b) if a.namespace == b.namespace

_same_namespace(a, _) if a.namespace == ""

_same_namespace(_, b) if b.namespace == ""

_spec_path(hook, rest) := array.concat(lib.pod_spec_path(hook), rest)

_references(hook) := refs if {
	spec := lib.pod_spec(hook)
	refs := array.concat(_pod_refs(hook, spec), _container_refs(hook))
}

_pod_refs(hook, spec) := [r |
	some r in array.concat(
		[{"kind": "ServiceAccount", "name": spec.serviceAccountName, "path": _spec_path(hook, ["serviceAccountName"])} | is_string(spec.serviceAccountName)],
		array.concat(_volume_refs(hook, spec), _pull_secret_refs(hook, spec)),
	)
]

_pull_secret_refs(hook, spec) := [{"kind": "Secret", "name": s.name, "path": _spec_path(hook, ["imagePullSecrets", sprintf("%d", [i])])} |
	some i, s in object.get(spec, "imagePullSecrets", [])
	is_string(s.name)
]

_volume_sources := {
	"secret": {"kind": "Secret", "field": "secretName"},
	"configMap": {"kind": "ConfigMap", "field": "name"},
	"persistentVolumeClaim": {"kind": "PersistentVolumeClaim", "field": "claimName"},
}

_volume_refs(hook, spec) := array.concat(
	[{"kind": src.kind, "name": name, "path": _spec_path(hook, ["volumes", sprintf("%d", [i]), type])} |
		some i, vol in object.get(spec, "volumes", [])
		some type, src in _volume_sources
		v := vol[type]
		name := v[src.field]
		is_string(name)
		not v.optional == true
	],
	[{"kind": kind, "name": p[key].name, "path": _spec_path(hook, ["volumes", sprintf("%d", [i]), "projected"])} |
		some i, vol in object.get(spec, "volumes", [])
		some p in object.get(object.get(vol, "projected", {}), "sources", [])
		some key, kind in {"secret": "Secret", "configMap": "ConfigMap"}
		is_string(p[key].name)
		not p[key].optional == true
	],
)

_env_sources := {"secretRef": "Secret", "configMapRef": "ConfigMap"}

_key_sources := {"secretKeyRef": "Secret", "configMapKeyRef": "ConfigMap"}

_container_refs(hook) := array.concat(
	[{"kind": kind, "name": src.name, "path": array.concat(c.path, ["envFrom", sprintf("%d", [j])])} |
		some c in lib.containers(hook)
		some j, from in object.get(c.container, "envFrom", [])
		some key, kind in _env_sources
		src := from[key]
		is_string(src.name)
		not src.optional == true
	],
	[{"kind": kind, "name": src.name, "path": array.concat(c.path, ["env", sprintf("%d", [j])])} |
		some c in lib.containers(hook)
		some j, env in object.get(c.container, "env", [])
		some key, kind in _key_sources
		src := env.valueFrom[key]
		is_string(src.name)
		not src.optional == true
	],
)
