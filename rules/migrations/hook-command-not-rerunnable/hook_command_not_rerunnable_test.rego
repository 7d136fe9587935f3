package hookguard.rules.migrations["hook-command-not-rerunnable_test"]

import data.hookguard.rules.migrations["hook-command-not-rerunnable"] as rule

_facts := {"role": "hook", "typesFrom": "argocd"}

_pod(container) := {"containers": [container], "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "app-data"}}, {"name": "scratch", "emptyDir": {}}]}

_job(container, facts, annotations) := {"index": 0, "ref": "Job shop/setup", "kind": "Job", "annotations": annotations, "argocd": facts, "raw": {"spec": {"template": {"spec": _pod(container)}}}}

_container(command) := {"name": "setup", "command": command, "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "scratch", "mountPath": "/scratch"}]}

_report(command) := r if {
	r := rule.report with input as {"objects": [_job(_container(command), _facts, {})]}
}

_script(script) := _report(["/bin/sh", "-c", script])

_fires(script, command) if {
	some v in _script(script)
	contains(v.msg, sprintf("runs %q", [command]))
}

# Messages quote the command, never its arguments (a literal secret above all).
test_fail_kubectl_create_secret_quotes_command_only if {
	r := _report(["kubectl", "create", "secret", "generic", "db", "--from-literal=password=S3CR3T"])
	count(r) == 1
	some v in r
	v.msg == `Job shop/setup: container "setup" runs "kubectl create", which fails with AlreadyExists once the object exists; hooks run on every sync, so it fails from the second sync on`
	v.path == ["spec", "template", "spec", "containers", "0"]
}

test_fail_each_command if {
	_fires("set -e\nkubectl -n vault create secret generic token --from-literal=t=x", "kubectl create")
	_fires("set -e\nkubectl --namespace=app create configmap cfg --from-file=a", "kubectl create")
	_fires("oc create -f /manifests/route.yaml", "oc create")
	_fires("oc new-project team-a", "oc new-project")
	_fires("createdb -h db -U postgres shop", "createdb")
	_fires("PGPASSWORD=x createuser -h db shop", "createuser")
	_fires("createuser -g readers shop", "createuser")
	_fires("vault secrets enable -path=kv kv-v2", "vault secrets enable")
	_fires("vault login $TOKEN && vault auth enable kubernetes", "vault auth enable")
	_fires("vault audit enable file file_path=/vault/audit.log", "vault audit enable")
	_fires("helm repo add bitnami https://charts.bitnami.com/bitnami && helm install redis bitnami/redis", "helm install")
	_fires("mc alias set s3 http://minio:9000 a b; mc mb s3/uploads", "mc mb")
	_fires("/usr/local/bin/kubectl create namespace team-a", "kubectl create")
}

test_fail_failure_not_handled if {
	_fires("kubectl create namespace team-a || exit 1", "kubectl create")
	_fires("kubectl create namespace team-a || { echo failed; exit 1; }", "kubectl create")
	_fires("kubectl wait --for=condition=Ready pod/db || exit\ncreatedb shop", "createdb")
}

# An if that is closed, or only the word "if" in a message, guards nothing.
test_fail_after_a_closed_if if {
	_fires("if [ -z \"$NS\" ]; then\n  echo \"checking if it exists\"\n  exit 1\nfi\nkubectl create ns \"$NS\"", "kubectl create")
	_fires("if [ -n \"$DEBUG\" ]; then set -x; fi; kubectl create ns team-a", "kubectl create")
	_fires("echo \"creating if missing\"\nhelm install redis bitnami/redis", "helm install")
}

test_fail_continued_line if {
	_fires("kubectl create secret generic app \\\n  --from-literal=a=b \\\n  -n shop", "kubectl create")
}

test_fail_mkdir_on_persistent_volume if {
	r := _script("mkdir /data/uploads && chown 1000 /data/uploads")
	count(r) == 1
	some v in r
	contains(v.msg, `runs "mkdir", which fails once the directory exists on the persistent volume "data" (mkdir without -p)`)
}

test_fail_helm_install_hook_runs_every_sync if {
	facts := {"role": "hook", "typesFrom": "helm"}
	r := rule.report with input as {"objects": [_job(_container(["createdb", "shop"]), facts, {"helm.sh/hook": "post-install"})]}
	some v in r
	endswith(v.msg, "; Argo CD maps Helm install hooks to every sync, not only to the first install")
}

test_fail_init_container if {
	obj := {"index": 0, "ref": "Pod p", "kind": "Pod", "annotations": {}, "argocd": _facts, "raw": {"spec": {"initContainers": [{"name": "init", "command": ["helm", "install", "x", "./chart"]}], "containers": [{"name": "main"}]}}}
	r := rule.report with input as {"objects": [obj]}
	some v in r
	v.path == ["spec", "initContainers", "0"]
}

test_success_rerunnable_forms if {
	_script("kubectl apply -f /manifests") == set()
	_script("kubectl create secret generic app \\\n  --from-literal=a=b \\\n  --dry-run=client -o yaml | kubectl apply -f -") == set()
	_script("helm upgrade --install redis bitnami/redis") == set()
	_script("helm install redis bitnami/redis --dry-run") == set()
	_script("mkdir -p /data/uploads") == set()
	_script("mkdir --parents /data/uploads") == set()
	_script("mc mb --ignore-existing s3/uploads") == set()
	_script("mc mb -p s3/uploads") == set()
	_script("TOKEN=$(kubectl create token argocd-manager -n kube-system)") == set()
	_script("kubectl create job backup-$(date +%s) --from=cronjob/backup") == set()
	_script("kubectl delete secret app --ignore-not-found\nkubectl create secret generic app --from-literal=a=b") == set()
	_script("oc delete secret tls --ignore-not-found=true \\\n  && oc -n shop create secret generic tls --from-file=tls.crt") == set()
	_script("helm plugin install https://github.com/databus23/helm-diff") == set()
	_script("helm install -g bitnami/redis") == set()
	_script("/scripts/createdb.sh shop && mkdir.sh /data/x") == set()
}

test_success_guarded if {
	_script("kubectl create namespace team-a || true") == set()
	_script("kubectl create namespace team-a 2>/dev/null || echo exists") == set()
	_script("kubectl get namespace team-a || kubectl create namespace team-a") == set()
	_script("psql -tc \"SELECT 1 FROM pg_database WHERE datname='shop'\" | grep -q 1 || createdb shop") == set()
	_script("vault secrets list | grep -q '^kv/' || vault secrets enable -path=kv kv-v2") == set()
	_script("[ -d /data/uploads ] || mkdir /data/uploads") == set()
	_script("[ -z \"$(kubectl get ns team-a --ignore-not-found)\" ] && kubectl create ns team-a") == set()
	_script("if ! kubectl get ns team-a; then\n  kubectl create ns team-a\nfi") == set()
	_script("if $MC stat s3/b >/dev/null 2>&1; then\n  echo exists\nelse\n  mc mb s3/b\nfi") == set()
	_script("if ! vault auth list | grep -q kubernetes; then vault auth enable kubernetes; fi") == set()
	_script("if ! createdb shop; then echo exists; fi") == set()
	_script("if [ -f /data/.initialized ]; then\n  exit 0\nfi\nvault secrets enable pki\ntouch /data/.initialized") == set()
	_script("while ! kubectl create ns team-a; do kubectl delete ns team-a --wait; done") == set()
}

# Not a command the shell runs, or a directory that is new in every pod.
test_success_not_a_persistent_failure if {
	_script("echo \"run kubectl create ns team-a first\"") == set()
	_script("# kubectl create ns team-a\nkubectl apply -f ns.yaml") == set()
	_script("mkdir /tmp/work && mkdir /scratch/x") == set()
	_script("mkdir /data") == set()
	_script("mkdir $DATA_DIR/uploads") == set()
	_script("kubectl create -f - <<EOF\napiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: smoke-\nEOF") == set()
}

test_success_not_a_sync_hook if {
	every role in {"resource", "delete-hook", "skipped", "dropped"} {
		r := rule.report with input as {"objects": [_job(_container(["kubectl", "create", "ns", "a"]), {"role": role, "typesFrom": ""}, {})]}
		r == set()
	}
}
