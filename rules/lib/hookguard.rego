# Shared helpers for hookguard rules. The input is one set of objects (an app,
# or the files linted together); every object carries the hook facts Argo CD
# derives from it (input.objects[_].argocd), computed in Go by internal/hooks.
package hookguard.lib

import data.hookguard.argocd

# Role names and version switches come from internal/hooks through the
# generated package hookguard.argocd: no rule spells one.
roles := argocd.roles

# since.<switch> is the first Argo CD release with a behaviour.
since := argocd.since

# last_without.<switch> is the last release without it (for "... and older").
last_without := argocd.last_without

# is_hook: the object runs as a sync hook or as an app-deletion hook.
is_hook(obj) if obj.argocd.role in _hook_roles

_hook_roles := {roles.hook, roles.deleteHook}

# sync_hook: the object runs as a hook in at least one sync phase.
sync_hook(obj) if obj.argocd.role == roles.hook

# resource: a plain resource, applied in the Sync phase and pruned when removed.
resource(obj) if obj.argocd.role == roles.resource

# dropped: a hook with no type Argo CD runs: silently never applied.
dropped(obj) if obj.argocd.role == roles.dropped

# violation builds a result at the object's first line.
violation(obj, msg) := {"object": obj.index, "msg": msg}

# violation_at builds a result at a field path of the object.
violation_at(obj, path, msg) := {"object": obj.index, "msg": msg, "path": path}

# graded_at is violation_at with a severity of its own, apart from the
# rule's default (info for the benign case of a hazard class).
graded_at(obj, path, msg, severity) := {"object": obj.index, "msg": msg, "path": path, "severity": severity}

# helm_phases maps each Helm sync hook value to its Argo CD phase
# (gitops-engine pkg/sync/hook/helm/type.go): install and upgrade alike.
helm_phases := argocd.helm_phases

# helm_sync_types are the Argo CD phases an object's Helm hook values map to.
helm_sync_types(obj) := {t |
	some item in split(object.get(obj.annotations, "helm.sh/hook", ""), ",")
	t := helm_phases[trim_space(item)]
}

annotation_path(key) := ["metadata", "annotations", key]

_workload_kinds := {"Job", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

# pod_spec_path: where the pod spec of a workload lives.
pod_spec_path(obj) := ["spec"] if obj.kind == "Pod"

pod_spec_path(obj) := ["spec", "template", "spec"] if obj.kind in _workload_kinds

pod_spec_path(obj) := ["spec", "jobTemplate", "spec", "template", "spec"] if obj.kind == "CronJob"

pod_spec(obj) := object.get(obj.raw, pod_spec_path(obj), {})

# containers: every container and init container with its field path.
containers(obj) := [c |
	base := pod_spec_path(obj)
	spec := pod_spec(obj)
	some field in ["initContainers", "containers"]
	list := object.get(spec, field, [])
	is_array(list)
	some i, container in list
	is_object(container)
	c := {"container": container, "path": array.concat(base, [field, sprintf("%d", [i])])}
]

# command_text: command and args of a container as one string, so a script
# split across command and args (sh -c "...") reads as the shell would run it.
command_text(container) := concat(" ", [sprintf("%v", [x]) |
	some field in ["command", "args"]
	list := object.get(container, field, [])
	is_array(list)
	some x in list
])

# quoted list for messages: ["a","b"] -> "a, b"
join(xs) := concat(", ", [sprintf("%v", [x]) | some x in xs])

has_annotation(obj, key) if object.get(obj.annotations, key, null) != null

# has_name: the hook has a fixed metadata.name (not only generateName).
has_name(obj) if obj.name != ""

generate_name_only(obj) if {
	obj.name == ""
	obj.generateName != ""
}

# parse_image splits an image reference into repository, tag and digest.
# "nginx", "docker.io/library/nginx" and "index.docker.io/library/nginx" are
# the same repository.
parse_image(image) := {"repo": _normal_repo(repo), "tag": tag, "digest": digest} if {
	parts := split(image, "@")
	digest := _digest(parts)
	name := parts[0]
	segments := split(name, "/")
	last := segments[count(segments) - 1]
	tag := _tag(last)
	repo := trim_suffix(name, _tag_suffix(tag))
}

_digest(parts) := parts[1] if count(parts) > 1

_digest(parts) := "" if count(parts) == 1

_tag(last) := t if {
	contains(last, ":")
	t := split(last, ":")[1]
}

_tag(last) := "" if not contains(last, ":")

_tag_suffix("") := ""

_tag_suffix(tag) := concat("", [":", tag]) if tag != ""

_normal_repo(repo) := r if {
	r1 := trim_prefix(trim_prefix(repo, "index.docker.io/"), "docker.io/")
	r := trim_prefix(r1, "library/")
}

# workload: a non-hook object that runs the app's release: a long-running
# controller. Plain Jobs and CronJobs are left out: they usually run tools
# (kubectl, oc, helm) whose version has nothing to do with the release.
workload(obj) if {
	resource(obj)
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
}

# where names an object's source for messages: "file:line", or the file alone
# for a rendered object whose line in its template is unknown.
where(obj) := sprintf("%s:%d", [obj.file, obj.line]) if obj.line > 0

where(obj) := obj.file if obj.line <= 0
