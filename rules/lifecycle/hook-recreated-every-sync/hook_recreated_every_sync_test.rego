package hookguard.rules.lifecycle["hook-recreated-every-sync_test"]

import data.hookguard.lib
import data.hookguard.rules.lifecycle["hook-recreated-every-sync"] as rule

_hook(kind, name, explicit) := {
	"index": 0, "ref": sprintf("%s app/%s", [kind, name]), "kind": kind, "group": "", "name": name, "generateName": "", "namespace": "app",
	"annotations": {"helm.sh/hook": "pre-install,pre-upgrade"},
	"argocd": {"role": lib.roles.hook, "deletePolicies": _effective(explicit), "explicitDeletePolicies": explicit},
	"raw": {},
}

_effective(explicit) := explicit if count(explicit) > 0

_effective(explicit) := ["BeforeHookCreation"] if count(explicit) == 0

_deployment(pod_spec) := {
	"index": 1, "ref": "Deployment app/web", "kind": "Deployment", "name": "web", "generateName": "", "namespace": "app",
	"annotations": {}, "argocd": {"role": lib.roles.resource, "deletePolicies": ["BeforeHookCreation"], "explicitDeletePolicies": []},
	"raw": {"metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}}},
}

_reads_secret(name) := _deployment({"containers": [{"name": "web", "image": "web:1", "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": name, "key": "password"}}}]}]})

_mounts_config(name) := _deployment({"containers": [{"name": "web", "image": "web:1"}], "volumes": [{"name": "config", "configMap": {"name": name}}]})

_msgs(r) := concat("\n", [v.msg | some v in r])

test_fail_pvc_default_policy if {
	r := rule.report with input as {"objects": [_hook("PersistentVolumeClaim", "data", [])]}
	count(r) == 1
	m := _msgs(r)
	contains(m, "PersistentVolumeClaim app/data: a PersistentVolumeClaim hook is deleted and recreated at the start of every sync: its volume's data is lost")
	contains(m, "(no delete policy is set, and BeforeHookCreation is the default)")
	some v in r
	v.path == ["metadata", "annotations", "helm.sh/hook"]
}

test_fail_secret_read_by_the_app if {
	r := rule.report with input as {"objects": [_hook("Secret", "db", ["BeforeHookCreation"]), _reads_secret("db")]}
	count(r) == 1
	m := _msgs(r)
	contains(m, "Secret app/db: a Secret hook that Deployment app/web reads is deleted and recreated at the start of every sync")
	contains(m, "randAlphaNum")
	contains(m, "(delete policy BeforeHookCreation)")
}

test_fail_config_map_mounted_by_the_app if {
	r := rule.report with input as {"objects": [_hook("ConfigMap", "web-config", []), _mounts_config("web-config")]}
	contains(_msgs(r), "a ConfigMap hook that Deployment app/web reads is deleted and recreated at the start of every sync: changes made to it since the last sync are reverted")
}

test_fail_secret_kept_by_helm if {
	s := object.union(_hook("Secret", "admin", []), {"annotations": {"helm.sh/resource-policy": "keep"}})
	r := rule.report with input as {"objects": [s]}
	count(r) == 1
	contains(_msgs(r), "a Secret hook that Helm keeps (helm.sh/resource-policy: keep) is deleted and recreated")
}

test_fail_two_readers if {
	sts := object.union(_reads_secret("db"), {"index": 2, "kind": "StatefulSet", "ref": "StatefulSet app/worker"})
	r := rule.report with input as {"objects": [_hook("Secret", "db", []), _reads_secret("db"), sts]}
	contains(_msgs(r), "that Deployment app/web, StatefulSet app/worker read is deleted")
}

test_fail_secret_named_by_a_custom_resource if {
	cr := {
		"index": 1, "ref": "Postgresql app/db", "kind": "Postgresql", "name": "db-cluster", "namespace": "app",
		"argocd": {"role": lib.roles.resource}, "raw": {"spec": {"users": {"superuser": {"secretName": "db"}}}},
	}
	count(rule.report) == 1 with input as {"objects": [_hook("Secret", "db", []), cr]}
}

test_fail_before_hook_creation_and_succeeded if {
	r := rule.report with input as {"objects": [_hook("Secret", "db", ["BeforeHookCreation", "HookSucceeded"]), _reads_secret("db")]}
	contains(_msgs(r), "HookSucceeded also deletes it after every successful sync, so the app runs without it between syncs")
}

test_fail_succeeded_only if {
	r := rule.report with input as {"objects": [_hook("Secret", "db", ["HookSucceeded"]), _reads_secret("db")]}
	m := _msgs(r)
	contains(m, "a Secret hook that Deployment app/web reads is created at every sync and deleted after every successful one (HookSucceeded): the app runs without it between syncs")
	not contains(m, "recreated at the start")
}

test_fail_pvc_succeeded_only if {
	r := rule.report with input as {"objects": [_hook("PersistentVolumeClaim", "data", ["HookSucceeded"])]}
	contains(_msgs(r), "its volume's data is lost with it")
}

test_fail_operator_custom_resource if {
	cr := object.union(_hook("ArgoCD", "argocd", []), {"group": "argoproj.io"})
	r := rule.report with input as {"objects": [cr]}
	m := _msgs(r)
	contains(m, "an ArgoCD hook is deleted and recreated")
	contains(m, "tears down what it declares")
}

test_fail_namespace_before_hook_creation if {
	r := rule.report with input as {"objects": [_hook("Namespace", "tenant", [])]}
	contains(_msgs(r), "everything in the namespace is deleted with it")
}

test_success_job_hook if {
	rule.report == set() with input as {"objects": [_hook("Job", "migrate", [])]}
}

test_success_run_custom_resources if {
	objs := [object.union(_hook(k, "smoke", []), {"index": i, "group": g}) |
		some i, [k, g] in [["Workflow", "argoproj.io"], ["AnsibleJob", "tower.ansible.com"], ["PipelineRun", "tekton.dev"], ["AnalysisRun", "argoproj.io"]]
	]
	rule.report == set() with input as {"objects": objs}
}

test_success_builtin_kinds_that_lose_nothing if {
	objs := [object.union(_hook(k, "x", []), {"index": i, "group": g}) |
		some i, [k, g] in [["PodDisruptionBudget", "policy"], ["HorizontalPodAutoscaler", "autoscaling"], ["ValidatingWebhookConfiguration", "admissionregistration.k8s.io"], ["LimitRange", ""]]
	]
	rule.report == set() with input as {"objects": objs}
}

test_fail_load_balancer_service if {
	svc := object.union(_hook("Service", "web", []), {"raw": {"spec": {"type": "LoadBalancer"}}})
	r := rule.report with input as {"objects": [svc]}
	contains(_msgs(r), "a LoadBalancer gets a new external address")
}

test_success_cluster_ip_service if {
	rule.report == set() with input as {"objects": [_hook("Service", "web", [])]}
}

# A custom kind that shares a built-in name reads as a custom resource.
test_fail_custom_kind_named_service if {
	ksvc := object.union(_hook("Service", "web", []), {"group": "serving.knative.dev"})
	r := rule.report with input as {"objects": [ksvc]}
	contains(_msgs(r), "its controller sees it deleted")
}

test_fail_cluster_api_is_custom if {
	c := object.union(_hook("Cluster", "prod", []), {"group": "cluster.x-k8s.io"})
	count(rule.report) == 1 with input as {"objects": [c]}
}

test_success_hook_scaffolding if {
	objs := [object.union(_hook(k, "hook-runner", ["BeforeHookCreation", "HookSucceeded"]), {"index": i}) |
		some i, k in ["ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "NetworkPolicy"]
	]
	rule.report == set() with input as {"objects": objs}
}

test_success_long_running_workload if {
	rule.report == set() with input as {"objects": [_hook("Deployment", "web", [])]}
}

test_success_secret_read_only_by_hooks if {
	job := object.union(_reads_secret("db"), {"kind": "Job", "ref": "Job app/migrate", "argocd": {"role": lib.roles.hook}})
	rule.report == set() with input as {"objects": [_hook("Secret", "db", []), job]}
}

test_success_secret_nobody_reads if {
	rule.report == set() with input as {"objects": [_hook("Secret", "db", []), _reads_secret("other")]}
}

# The Deployment, its labels, selector, ServiceAccount and container, and an
# Ingress backend share the ConfigMap's name without reading it.
test_success_same_name_is_not_a_reference if {
	pod := {"serviceAccountName": "web-config", "containers": [{"name": "web-config", "image": "web:1", "ports": [{"name": "web-config", "containerPort": 80}]}]}
	dep := object.union(_deployment(pod), {"raw": {"metadata": {"name": "web-config", "labels": {"app": "web-config"}}, "spec": {"selector": {"matchLabels": {"app": "web-config"}}}}})
	ing := {
		"index": 2, "ref": "Ingress app/web-config", "kind": "Ingress", "name": "web-config", "namespace": "app", "argocd": {"role": lib.roles.resource},
		"raw": {"spec": {"rules": [{"http": {"paths": [{"backend": {"service": {"name": "web-config"}}}]}}]}},
	}
	rule.report == set() with input as {"objects": [_hook("ConfigMap", "web-config", []), dep, ing]}
}

# A ConfigMap and a Secret share a name; the app reads only the Secret.
test_success_reference_of_the_other_kind if {
	rule.report == set() with input as {"objects": [_hook("ConfigMap", "db", []), _reads_secret("db")]}
}

test_fail_ingress_tls_secret if {
	ing := {
		"index": 1, "ref": "Ingress app/web", "kind": "Ingress", "name": "web", "namespace": "app", "argocd": {"role": lib.roles.resource},
		"raw": {"spec": {"tls": [{"hosts": ["shop.example.com"], "secretName": "web-tls"}]}},
	}
	r := rule.report with input as {"objects": [_hook("Secret", "web-tls", []), ing]}
	contains(_msgs(r), "a Secret hook that Ingress app/web reads")
}

test_fail_env_from_config_map if {
	dep := _deployment({"containers": [{"name": "web", "image": "web:1", "envFrom": [{"configMapRef": {"name": "web-env"}}]}]})
	count(rule.report) == 1 with input as {"objects": [_hook("ConfigMap", "web-env", []), dep]}
}

test_success_reader_in_another_namespace if {
	dep := object.union(_reads_secret("db"), {"namespace": "other"})
	rule.report == set() with input as {"objects": [_hook("Secret", "db", []), dep]}
}

test_success_hook_failed_only if {
	rule.report == set() with input as {"objects": [_hook("PersistentVolumeClaim", "data", ["HookFailed"])]}
}

test_success_generate_name if {
	pvc := object.union(_hook("PersistentVolumeClaim", "", []), {"generateName": "scratch-"})
	rule.report == set() with input as {"objects": [pvc]}
}

test_success_delete_hook if {
	pvc := object.union(_hook("PersistentVolumeClaim", "data", []), {"argocd": {"role": lib.roles.deleteHook}})
	rule.report == set() with input as {"objects": [pvc]}
}

test_success_plain_resource if {
	pvc := object.union(_hook("PersistentVolumeClaim", "data", []), {"argocd": {"role": lib.roles.resource}})
	rule.report == set() with input as {"objects": [pvc]}
}

# hook-deletes-namespace reports a Namespace deleted by HookSucceeded.
test_success_namespace_succeeded_only if {
	rule.report == set() with input as {"objects": [_hook("Namespace", "tenant", ["HookSucceeded"])]}
}
