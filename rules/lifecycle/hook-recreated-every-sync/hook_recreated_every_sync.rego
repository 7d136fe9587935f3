# METADATA
# title: Stateful hook recreated on every sync
# description: >-
#   A named sync hook that holds state has BeforeHookCreation among its delete
#   policies (the default when none is set), or HookSucceeded. Hooks run on
#   every sync, so Argo CD deletes it at the start of every sync and creates it
#   again from the render: a PersistentVolumeClaim's volume data is lost, a
#   Secret's values generated at render (randAlphaNum, genCA) change under the
#   running app, changes to a ConfigMap are reverted, a Namespace or CRD takes
#   its contents with it, a LoadBalancer or NodePort Service gets a new
#   address, and an operator tears down and rebuilds what a custom resource
#   declares. With HookSucceeded it is deleted again after every successful
#   sync, and the app runs without it until the next one. Reported kinds:
#   PersistentVolumeClaim, PersistentVolume, Namespace, CustomResourceDefinition,
#   LoadBalancer and NodePort Services, custom resources other than runs
#   (Workflow, ...Job, ...Run), and a Secret or ConfigMap that a non-hook object
#   of the app refers to by name (env, envFrom, volumes, imagePullSecrets, tls,
#   a custom resource's secret field) or that carries helm.sh/resource-policy
#   keep. Left out: Jobs and Pods, the RBAC and ServiceAccounts made for hooks,
#   other built-in kinds that lose nothing when recreated, long-running
#   workloads (hook-long-running-kind), a Secret or ConfigMap only hooks read,
#   and a Namespace or CRD deleted by HookSucceeded alone
#   (hook-deletes-namespace). The severity is a warning for every kind; the
#   message names the kind and says what it loses, data included.
# custom:
#   id: hook-recreated-every-sync
#   severity: warning
#   remediation: Make it a normal resource, created before the hooks that read it with a negative sync wave, so Argo CD updates it in place; set values a chart generates at render (randAlphaNum) explicitly, because Argo CD renders the chart again on every sync.
package hookguard.rules.lifecycle["hook-recreated-every-sync"]

import data.hookguard.lib

report contains lib.violation_at(obj, lib.annotation_path(_key(obj)), msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	lib.has_name(obj)
	_stateful(obj)
	name := obj.name

	# Indexed by name: OPA groups _mentions by name once, not once per hook.
	mentions := [m | some m in _mentions; m.name == name]
	readers := sort({m.ref | some m in mentions; m.kind == obj.kind; _same_namespace(obj, m)})
	_holds_state(obj, readers)
	msg := sprintf("%s: %s %s", [obj.ref, _subject(obj, readers), _what(obj)])
}

# The built-in kinds whose object is state; the other built-in kinds (Jobs
# and Pods, the RBAC and ServiceAccounts made for hooks, PodDisruptionBudgets,
# workloads, which hook-long-running-kind reports) lose nothing when
# recreated.
_stateful_builtin := {"PersistentVolumeClaim", "PersistentVolume", "Secret", "ConfigMap", "Namespace", "CustomResourceDefinition", "Service"}

_stateful(obj) if {
	_builtin_group(obj.group)
	obj.kind in _stateful_builtin
	not obj.kind == "Service"
}

# A Service keeps its address only as long as it exists: a LoadBalancer or
# NodePort one gets a new external address or port.
_stateful(obj) if {
	_builtin_group(obj.group)
	obj.kind == "Service"
	object.get(obj.raw, ["spec", "type"], "ClusterIP") in {"LoadBalancer", "NodePort"}
}

# A custom resource, unless it is a run (Workflow, AnsibleJob, PipelineRun).
_stateful(obj) if {
	not _builtin_group(obj.group)
	not _run_kind(obj.kind)
}

_builtin_group(group) if group in {"", "apps", "batch", "policy", "autoscaling", "extensions"}

# Kubernetes' own groups (apps, rbac.authorization.k8s.io); Cluster API's
# x-k8s.io groups are custom.
_builtin_group(group) if endswith(group, ".k8s.io")

_run_kind(kind) if kind in {"Workflow", "Pod"}

_run_kind(kind) if endswith(kind, "Job")

_run_kind(kind) if endswith(kind, "Run")

# A Secret or ConfigMap counts when the app reads it or the chart keeps it.
_holds_state(obj, _) if not obj.kind in {"Secret", "ConfigMap"}

_holds_state(obj, readers) if {
	obj.kind in {"Secret", "ConfigMap"}
	count(readers) > 0
}

_holds_state(obj, _) if {
	obj.kind in {"Secret", "ConfigMap"}
	_kept(obj)
}

_kept(obj) if obj.annotations["helm.sh/resource-policy"] == "keep"

_subject(obj, readers) := sprintf("%s %s hook that %s %s", [_article(obj.kind), obj.kind, lib.join(readers), _verb(readers)]) if {
	count(readers) > 0
}

_subject(obj, readers) := sprintf("%s %s hook that Helm keeps (helm.sh/resource-policy: keep)", [_article(obj.kind), obj.kind]) if {
	count(readers) == 0
	_kept(obj)
}

_subject(obj, readers) := sprintf("%s %s hook", [_article(obj.kind), obj.kind]) if {
	count(readers) == 0
	not _kept(obj)
}

_verb(readers) := "reads" if count(readers) == 1

_verb(readers) := "read" if count(readers) > 1

_bhc(obj) if "BeforeHookCreation" in obj.argocd.deletePolicies

_succeeded(obj) if "HookSucceeded" in obj.argocd.deletePolicies

_what(obj) := sprintf("is deleted and recreated at the start of every sync: %s%s (%s)", [_loss(obj), _then_succeeded(obj), _policy(obj)]) if _bhc(obj)

# HookSucceeded alone: hook-deletes-namespace reports it for a Namespace or CRD.
_what(obj) := sprintf("is created at every sync and deleted after every successful one (HookSucceeded): the app runs without it between syncs%s", [_gone(obj)]) if {
	not _bhc(obj)
	_succeeded(obj)
	not obj.kind in {"Namespace", "CustomResourceDefinition"}
}

_policy(obj) := "no delete policy is set, and BeforeHookCreation is the default" if count(obj.argocd.explicitDeletePolicies) == 0

_policy(obj) := sprintf("delete policy %s", [lib.join(obj.argocd.explicitDeletePolicies)]) if count(obj.argocd.explicitDeletePolicies) > 0

_then_succeeded(obj) := "; HookSucceeded also deletes it after every successful sync, so the app runs without it between syncs" if _succeeded(obj)

_then_succeeded(obj) := "" if not _succeeded(obj)

_loss(obj) := _builtin_loss[obj.kind] if _builtin_group(obj.group)

_loss(obj) := "its controller sees it deleted and tears down what it declares (an operator's instance and its data), then builds it again, and changes made to it since the last sync are lost" if {
	not _builtin_group(obj.group)
}

_builtin_loss := {
	"PersistentVolumeClaim": "its volume's data is lost, the new claim is bound to a new, empty volume, and while a pod still mounts the old claim its deletion waits, and the sync with it",
	"PersistentVolume": "the claim bound to it is released, and with reclaimPolicy Delete its storage and data are deleted",
	"Secret": "it is missing while it is recreated, and a value generated at render (randAlphaNum, genCA) is new each time, so credentials change under the running app, whose pods keep the old ones until they restart",
	"ConfigMap": "changes made to it since the last sync are reverted, and it is missing while it is recreated, so a pod starting then cannot mount it",
	"Namespace": "everything in the namespace is deleted with it",
	"CustomResourceDefinition": "every custom resource of that kind is deleted with it",
	"Service": "a LoadBalancer gets a new external address and a NodePort a new port, so clients outside the cluster lose it",
}

_gone(obj) := object.get(_builtin_gone, obj.kind, "") if _builtin_group(obj.group)

_gone(obj) := "" if not _builtin_group(obj.group)

_builtin_gone := {
	"PersistentVolumeClaim": ", and its volume's data is lost with it",
	"Secret": ", and pods that start then cannot read it",
	"ConfigMap": ", and pods that start then cannot mount it",
}

_article(kind) := "an" if regex.match(`^[AEIOU]`, kind)

_article(kind) := "a" if not regex.match(`^[AEIOU]`, kind)

_key(obj) := "argocd.argoproj.io/hook-delete-policy" if lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")

_key(obj) := "helm.sh/hook-delete-policy" if {
	not lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")
	lib.has_annotation(obj, "helm.sh/hook-delete-policy")
}

_key(obj) := "argocd.argoproj.io/hook" if {
	not lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")
	not lib.has_annotation(obj, "helm.sh/hook-delete-policy")
	lib.has_annotation(obj, "argocd.argoproj.io/hook")
}

_key(obj) := "helm.sh/hook" if {
	not lib.has_annotation(obj, "argocd.argoproj.io/hook-delete-policy")
	not lib.has_annotation(obj, "helm.sh/hook-delete-policy")
	not lib.has_annotation(obj, "argocd.argoproj.io/hook")
}

# The names of the Secret and ConfigMap hooks, the only strings _mentions
# looks for.
_candidates := {obj.name |
	some obj in input.objects
	lib.sync_hook(obj)
	obj.kind in {"Secret", "ConfigMap"}
	lib.has_name(obj)
}

# _mentions: where a non-hook object of the app names a candidate in a field
# whose path says what it refers to (env secretKeyRef, volumes' secret and
# configMap, envFrom, imagePullSecrets, Ingress tls secretName, a custom
# resource's existingSecret): a Deployment or Service that only shares the
# name is no reader. One walk over each object.
_mentions contains {"name": value, "kind": kind, "namespace": other.namespace, "ref": other.ref} if {
	count(_candidates) > 0
	some other in input.objects
	lib.resource(other)
	walk(other.raw, [path, value])
	is_string(value)
	value in _candidates
	not "metadata" in path
	some kind, pattern in _reference_keys
	_path_says(path, pattern)
}

_reference_keys := {"Secret": `(?i)secret`, "ConfigMap": `(?i)configmap`}

_path_says(path, pattern) if {
	some key in path
	is_string(key)
	regex.match(pattern, key)
}

_same_namespace(a, b) if a.namespace == b.namespace

_same_namespace(a, _) if a.namespace == ""

_same_namespace(_, b) if b.namespace == ""
