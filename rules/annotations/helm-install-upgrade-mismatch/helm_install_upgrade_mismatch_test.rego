package hookguard.rules.annotations["helm-install-upgrade-mismatch_test"]

import data.hookguard.lib
import data.hookguard.rules.annotations["helm-install-upgrade-mismatch"] as rule

_job(hook, container) := {
	"index": 0, "ref": "Job default/db-init", "kind": "Job", "name": "db-init",
	"annotations": {"helm.sh/hook": hook},
	"argocd": {"role": lib.roles.hook, "typesFrom": "helm"},
	"raw": {"spec": {"template": {"spec": {"containers": [container]}}}},
}

_sh(script) := {"name": "main", "image": "example/tool:1.0.0", "command": ["/bin/sh", "-c", script]}

_work := _sh("kubectl create secret generic db-admin --from-literal=password=$(head -c 16 /dev/urandom | base64)")

_smoke := _sh("echo \"waiting for the app\"\nsleep 10\nuntil curl -sf http://web/healthz; do sleep 2; done\necho ok")

_msgs(r) := concat("\n", [v.msg | some v in r])

test_fail_pre_install_only_job_that_creates if {
	r := rule.report with input as {"objects": [_job("pre-install", _work)]}
	count(r) == 1
	m := _msgs(r)
	contains(m, `helm.sh/hook "pre-install": pre-install without pre-upgrade, which Helm runs once, at install;`)
	contains(m, "runs as PreSync on every sync, the first included")
	contains(m, "fails or duplicates its work on a second run")
}

test_fail_post_install_only_image_entrypoint if {
	job := _job("post-install", {"name": "seed", "image": "example/seed:1.0.0"})
	r := rule.report with input as {"objects": [job]}
	m := _msgs(r)
	contains(m, "runs as PostSync on every sync, the first included")
	contains(m, "seeding data")
}

test_fail_pre_upgrade_only_even_a_check if {
	job := _job("pre-upgrade", _sh("kubectl get deployment web"))
	r := rule.report with input as {"objects": [job]}
	m := _msgs(r)
	contains(m, "pre-upgrade without pre-install, which Helm skips at install")
	contains(m, "runs as PreSync on every sync, the first included")
	contains(m, "before any of the app's resources exist")
}

test_fail_pre_upgrade_only_with_rollback if {
	r := rule.report with input as {"objects": [_job("pre-upgrade,pre-rollback", _sh("backup-db --to s3://backups/shop"))]}
	count(r) == 1
}

test_fail_script_from_a_mounted_config_map if {
	count(rule.report) == 1 with input as {"objects": [_job("post-install", _sh("sh /scripts/create-admin.sh"))]}
}

test_fail_pod_hook if {
	pod := object.union(_job("pre-install", {}), {"kind": "Pod", "ref": "Pod default/init", "raw": {"spec": {"containers": [_work]}}})
	count(rule.report) == 1 with input as {"objects": [pod]}
}

# pre-install,post-install: both halves are one-sided, each is reported.
test_fail_both_pairs_install_only if {
	r := rule.report with input as {"objects": [_job("pre-install, post-install", _work)]}
	count(r) == 2
	contains(_msgs(r), "as PreSync")
	contains(_msgs(r), "as PostSync")
}

# pre-upgrade,post-install: the pre-upgrade half runs on the first sync,
# the post-install half on every later one.
test_fail_crossed_pairs if {
	r := rule.report with input as {"objects": [_job("pre-upgrade,post-install", _work)]}
	count(r) == 2
}

test_fail_only_the_one_sided_pair if {
	r := rule.report with input as {"objects": [_job("pre-install,pre-upgrade,post-install", _work)]}
	count(r) == 1
	contains(_msgs(r), "post-install without post-upgrade")
}

test_fail_curl_with_request_body if {
	job := _job("post-install", _sh("curl -sf -X POST http://web/api/admin -d '{\"user\":\"admin\"}'"))
	count(rule.report) == 1 with input as {"objects": [job]}
}

test_fail_kubectl_create_through_a_pipe if {
	job := _job("pre-install", _sh("kubectl get ns app || echo missing\ncat /manifests/admin.yaml | kubectl create -f -"))
	count(rule.report) == 1 with input as {"objects": [job]}
}

test_fail_kubectl_create_after_a_namespace_flag if {
	count(rule.report) == 1 with input as {"objects": [_job("pre-install", _sh("kubectl -n shop create secret generic admin --from-literal=password=x"))]}
}

test_fail_kubectl_rollout_restart if {
	count(rule.report) == 1 with input as {"objects": [_job("post-install", _sh("kubectl rollout restart deployment/web"))]}
}

# label without --overwrite fails once the label is there.
test_fail_label_without_overwrite if {
	job := _job("post-install", {"name": "label", "image": "bitnami/kubectl:1.31", "args": ["label", "ns", "shop", "team=shop"]})
	count(rule.report) == 1 with input as {"objects": [job]}
}

# "apply" on an image that is not kubectl's is not kubectl apply.
test_fail_apply_on_another_entrypoint if {
	job := _job("pre-install", {"name": "tf", "image": "hashicorp/terraform:1.9", "args": ["apply", "-auto-approve"]})
	count(rule.report) == 1 with input as {"objects": [job]}
}

test_fail_hidden_behind_env if {
	job := _job("pre-install", {"name": "m", "image": "x", "command": ["/usr/bin/env", "bash", "-c", "psql -c 'CREATE DATABASE app'"]})
	count(rule.report) == 1 with input as {"objects": [job]}
}

# Args alone run under the image's entrypoint: unknown work.
test_fail_args_only_flags if {
	job := _job("post-install", {"name": "m", "image": "example/setup:1.0.0", "args": ["--init", "--admin=root"]})
	count(rule.report) == 1 with input as {"objects": [job]}
}

test_fail_one_container_of_two_does_work if {
	job := _job("pre-install", {})
	two := object.union(job, {"raw": {"spec": {"template": {"spec": {"initContainers": [_sh("until nc -z db 5432; do sleep 1; done")], "containers": [_work]}}}}})
	count(rule.report) == 1 with input as {"objects": [two]}
}

test_success_both_sides_pre if {
	rule.report == set() with input as {"objects": [_job("pre-install,pre-upgrade", _work)]}
}

test_success_both_sides_post_with_rollback if {
	rule.report == set() with input as {"objects": [_job("post-install, post-upgrade,post-rollback", _work)]}
}

test_success_argocd_type_overrides if {
	job := object.union(_job("pre-install", _work), {"annotations": {"argocd.argoproj.io/hook": "PreSync"}, "argocd": {"typesFrom": "argocd"}})
	rule.report == set() with input as {"objects": [job]}
}

test_success_not_a_sync_hook if {
	job := object.union(_job("pre-install", _work), {"argocd": {"role": lib.roles.dropped}})
	rule.report == set() with input as {"objects": [job]}
}

test_success_config_map_is_not_work if {
	cm := object.union(_job("pre-install", {}), {"kind": "ConfigMap", "ref": "ConfigMap default/settings", "raw": {"data": {"a": "b"}}})
	rule.report == set() with input as {"objects": [cm]}
}

test_success_post_install_smoke_test if {
	rule.report == set() with input as {"objects": [_job("post-install", _smoke)]}
}

test_success_post_install_notes if {
	job := _job("post-install", {"name": "notes", "image": "busybox:1.36", "command": ["sh", "-c", "echo 'Visit http://web.example.com'; cat /notes/NOTES.txt"]})
	rule.report == set() with input as {"objects": [job]}
}

test_success_pre_install_wait_check if {
	job := _job("pre-install", _sh("set -e; kubectl wait --for=condition=Established crd/widgets.example.com --timeout=60s && kubectl rollout status deploy/db -n data"))
	rule.report == set() with input as {"objects": [job]}
}

# PostSync waits for the release to be applied and healthy, on the first
# sync too.
test_success_post_upgrade_only if {
	rule.report == set() with input as {"objects": [_job("post-upgrade", _sh("longhorn-manager post-upgrade"))]}
}

test_success_post_upgrade_smoke_test if {
	rule.report == set() with input as {"objects": [_job("post-upgrade", _smoke)]}
}

# Gatekeeper's update-namespace-label: kubectl's entrypoint, label --overwrite.
test_success_label_overwrite_args if {
	job := _job("post-install", {"name": "label", "image": "openpolicyagent/gatekeeper-crds:v3.24.0", "args": ["label", "ns", "gatekeeper-system", "admission.gatekeeper.sh/ignore=no-self-managing", "--overwrite"]})
	rule.report == set() with input as {"objects": [job]}
}

# SPIRE's post-install hook: a patch whose JSON payload spans lines.
test_success_patch_with_multiline_payload if {
	job := _job("post-install", {"name": "patch", "image": "registry.k8s.io/kubectl:v1.34.0", "args": ["patch", "validatingwebhookconfiguration", "spire-webhook", "--type=strategic", "-p", "{\n  \"webhooks\":[\n    {\"name\":\"a.kb.io\",\"failurePolicy\":\"Fail\"}\n  ]\n}"]})
	rule.report == set() with input as {"objects": [job]}
}

# cert-manager's startupapicheck: a check subcommand of the image's entrypoint.
test_success_check_subcommand if {
	job := _job("post-install", {"name": "check", "image": "quay.io/jetstack/cert-manager-startupapicheck:v1.18.0", "args": ["check", "api", "--wait=1m", "-v"]})
	rule.report == set() with input as {"objects": [job]}
}

test_success_create_dry_run_apply if {
	job := _job("pre-install", _sh("kubectl create secret generic tls --from-file=/certs --dry-run=client -o yaml | kubectl apply -f -\nkubectl delete job old-init --ignore-not-found"))
	rule.report == set() with input as {"objects": [job]}
}

test_success_command_array_without_shell if {
	job := _job("pre-install", {"name": "crds", "image": "bitnami/kubectl:1.31", "command": ["kubectl", "apply", "--server-side", "-f", "/crds/"]})
	rule.report == set() with input as {"objects": [job]}
}

test_success_args_only_wget if {
	job := _job("post-install", {"name": "wget", "image": "busybox:1.36", "args": ["wget", "-qO-", "web:80"]})
	rule.report == set() with input as {"objects": [job]}
}

# linkerd-viz's and linkerd-multicluster's namespace-metadata Job: the
# extension-init binary patches its namespace's labels, the same each run.
_extension_init(image) := {"name": "namespace-metadata", "image": image, "args": ["--log-format", "plain", "--extension", "viz", "--namespace", "linkerd-viz", "--linkerd-namespace", "linkerd"]}

test_success_linkerd_extension_init if {
	job := _job("post-install", _extension_init("cr.l5d.io/linkerd/extension-init:v0.1.6"))
	rule.report == set() with input as {"objects": [job]}
}

test_success_linkerd_extension_init_mirrored_by_digest if {
	job := _job("post-install", _extension_init("registry.example:5000/mirror/extension-init@sha256:0123"))
	rule.report == set() with input as {"objects": [job]}
}

# The same image name without the tool's flag, or another image with the
# same flags, is unknown work.
test_fail_extension_init_without_its_flag if {
	job := _job("post-install", {"name": "m", "image": "cr.l5d.io/linkerd/extension-init:v0.1.6", "args": ["--init"]})
	count(rule.report) == 1 with input as {"objects": [job]}
}

test_fail_other_image_with_extension_flag if {
	job := _job("post-install", _extension_init("example/extension-init-db:1.0"))
	count(rule.report) == 1 with input as {"objects": [job]}
}
