# METADATA
# title: Helm install-only or upgrade-only hook runs on every sync
# description: >-
#   Argo CD maps Helm's pre-install and pre-upgrade alike to PreSync, and
#   post-install and post-upgrade alike to PostSync, and runs every hook on
#   every sync: it has no install and no upgrade. An install-only Job or Pod
#   (pre-install without pre-upgrade, post-install without post-upgrade),
#   written as one-time setup, runs again on every sync: work that fails or
#   duplicates on a second run (creating a database, a user or a certificate,
#   seeding data) breaks or repeats each time. A pre-upgrade-only Job or Pod
#   runs on the first sync too, before any of the app's resources exist, where
#   what it upgrades or checks is missing. The rule reads only hooks whose type
#   Argo CD takes from helm.sh/hook (no valid argocd.argoproj.io/hook overrides
#   it), and only Jobs and Pods, the hooks that run work (a Secret or ConfigMap
#   hook that is recreated is hook-recreated-every-sync's). It leaves alone
#   install-only hooks whose every container only checks, waits or prints
#   (echo, sleep, curl or wget without a request body, nc, pg_isready, kubectl
#   get, wait or rollout status, a "check" subcommand of the image) or makes a
#   change that is the same the second time (kubectl apply or patch, label or
#   annotate with --overwrite, delete with --ignore-not-found, create with
#   --dry-run, or a known tool that only does such a change: linkerd's
#   extension-init, which patches its namespace's labels), since repeating
#   them is harmless; and post-upgrade-only hooks,
#   since PostSync waits for the Sync phase's resources to be applied and
#   healthy, so even on the first sync they find the release in place.
# custom:
#   id: helm-install-upgrade-mismatch
#   severity: warning
#   remediation: If the work is safe to repeat, say so by listing both sides (pre-install,pre-upgrade or post-install,post-upgrade) or by setting argocd.argoproj.io/hook; otherwise make it idempotent (check before it creates), or for an upgrade-only hook make it succeed when there is nothing to upgrade yet.
#   kinds: [Job, Pod]
package hookguard.rules.annotations["helm-install-upgrade-mismatch"]

import data.hookguard.lib

# The Helm hook pairs Argo CD folds into one sync phase each.
_pairs := [
	{"install": "pre-install", "upgrade": "pre-upgrade", "phase": lib.helm_phases["pre-install"]},
	{"install": "post-install", "upgrade": "post-upgrade", "phase": lib.helm_phases["post-install"]},
]

report contains lib.violation_at(obj, lib.annotation_path("helm.sh/hook"), msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	obj.argocd.typesFrom == "helm"
	obj.kind in {"Job", "Pod"}
	values := _helm_hooks(obj)
	some pair in _pairs
	some side in {"install", "upgrade"}
	_only(values, pair, side)
	_reported(pair, side)
	not _exempt(obj, side)
	msg := sprintf("%s: helm.sh/hook %q: %s; Argo CD has no install or upgrade, so it runs as %s on every sync, the first included: %s", [obj.ref, obj.annotations["helm.sh/hook"], _helm_does(pair, side), pair.phase, _hazard(pair, side)])
}

_helm_hooks(obj) := {v |
	some item in split(obj.annotations["helm.sh/hook"], ",")
	v := trim_space(item)
	v != ""
}

_only(values, pair, "install") if {
	pair.install in values
	not pair.upgrade in values
}

_only(values, pair, "upgrade") if {
	pair.upgrade in values
	not pair.install in values
}

_helm_does(pair, "install") := sprintf("%s without %s, which Helm runs once, at install", [pair.install, pair.upgrade])

_helm_does(pair, "upgrade") := sprintf("%s without %s, which Helm skips at install", [pair.upgrade, pair.install])

_hazard(pair, "install") := "one-time setup (creating a database, a user or a certificate, seeding data) that fails or duplicates its work on a second run breaks or repeats on every sync" if pair.phase == "PreSync"

_hazard(pair, "install") := "one-time setup after install (seeding data, creating an admin user, registering the release) that fails or duplicates its work on a second run breaks or repeats on every sync" if pair.phase == "PostSync"

_hazard(pair, "upgrade") := "on the first sync it runs before any of the app's resources exist (its ServiceAccount, Secrets, the database or data it upgrades), and if it fails there the first sync stops" if pair.phase == "PreSync"

# A post-upgrade-only hook is left alone: PostSync waits for the Sync phase's
# resources to be applied and healthy, so on the first sync it finds the
# release in place, and afterwards it runs after each change as under Helm.
_reported(_, "install") := true

_reported(pair, "upgrade") if pair.phase == "PreSync"

# Work that is safe to repeat. A pre-upgrade-only hook is never exempt: on
# the first sync what it checks or changes does not exist yet.
_exempt(obj, "install") if _repeatable(obj)

# _repeatable: every container only checks, waits or prints, or makes a change
# that is the same the second time (kubectl apply or patch, label or annotate
# with --overwrite, delete with --ignore-not-found, create with --dry-run).
_repeatable(obj) if {
	cs := lib.containers(obj)
	count(cs) > 0
	every c in cs {
		_repeatable_container(c.container)
	}
}

_argv(container) := [sprintf("%v", [x]) |
	some field in ["command", "args"]
	list := object.get(container, field, [])
	is_array(list)
	some x in list
]

_has_command(container) if count(object.get(container, "command", [])) > 0

_shells := {"sh", "bash", "ash", "dash"}

# A shell script: each of its commands is read.
_repeatable_container(container) if {
	argv := _argv(container)
	count(argv) > 0
	_basename(argv[0]) in (_shells | _wrappers)
	_repeatable_script(concat(" ", argv))
}

# One program run directly (its arguments are not shell text).
_repeatable_container(container) if {
	argv := _argv(container)
	count(argv) > 0
	not _basename(argv[0]) in (_shells | _wrappers)
	not startswith(argv[0], "-")
	not _entrypoint_subcommand(container)
	_allowed(_basename(argv[0]), argv, concat(" ", argv))
}

# Args alone run under the image's entrypoint: a kubectl verb on an image
# that runs kubectl, or a check subcommand (cert-manager's "check api").
_repeatable_container(container) if {
	_entrypoint_subcommand(container)
	argv := array.concat(["kubectl"], _argv(container))
	_allowed("kubectl", argv, concat(" ", argv))
}

_repeatable_container(container) if {
	not _has_command(container)
	args := _argv(container)
	count(args) > 0
	args[0] in {"check", "verify", "healthcheck", "wait"}
}

_entrypoint_subcommand(container) if {
	not _has_command(container)
	args := _argv(container)
	count(args) > 0
	args[0] in {"annotate", "label", "patch"}
}

# A tool whose whole work is a change that is the same the second time,
# known by the image it runs (the repository's last path segment, without
# tag or digest) and a flag of its command line. linkerd's extension-init
# (linkerd/linkerd-extension-init src/main.rs) adds its extension's labels and
# annotations to the namespace with JSON-patch "add" operations, which replace
# a member that exists (RFC 6902 section 4.1): run again, it writes the same.
_idempotent_images := {"extension-init": "--extension"}

_repeatable_container(container) if {
	flag := _idempotent_images[_image_name(container)]
	flag in _argv(container)
}

_image_name(container) := name if {
	image := object.get(container, "image", "")
	is_string(image)
	path := split(split(image, "@")[0], "/")
	name := split(path[count(path) - 1], ":")[0]
}

_entrypoint_subcommand(container) if {
	not _has_command(container)
	args := _argv(container)
	count(args) > 0
	args[0] in {"apply", "create", "delete", "get", "rollout", "wait"}
	contains(object.get(container, "image", ""), "kubectl")
}

_wrappers := {"env", "timeout", "nohup", "tini", "dumb-init"}

_repeatable_script(text) if {
	every segment in regex.split("[;\n|&`]+|\\$\\(", text) {
		_repeatable_segment(segment)
	}
}

# _words: the segment's words without surrounding quotes and brackets.
_words(segment) := [w |
	some raw in regex.split(`\s+`, trim_space(segment))
	w := trim(raw, "\"'(){}")
	w != ""
]

# Words before the command itself: shell keywords, a shell wrapper and its
# flags, timeout and its duration, variable assignments.
_prefix_word := `^(if|then|else|elif|do|while|until|!|fi|done|exec|time|timeout|nohup|(\S*/)?((ba|da|a)?sh|env|tini|dumb-init)|-[A-Za-z-]+|[0-9]+[smh]?|[A-Za-z_][A-Za-z0-9_]*=.*)$`

_command_at(words) := min(firsts) if {
	firsts := [i | some i, x in words; not regex.match(_prefix_word, x)]
	count(firsts) > 0
}

_repeatable_segment(segment) if not _command_at(_words(segment))

_repeatable_segment(segment) if {
	words := _words(segment)
	i := _command_at(words)
	_allowed(_basename(words[i]), array.slice(words, i, count(words)), segment)
}

_basename(path) := parts[count(parts) - 1] if {
	parts := split(path, "/")
}

_read_only_commands := {
	"[", "[[", "]]", "awk", "basename", "break", "case", "cat", "continue", "cut", "date", "dig", "dirname", "echo",
	"esac", "exit", "export", "expr", "false", "for", "getent", "grep", "grpc_health_probe", "head", "host", "hostname",
	"id", "in", "jq", "let", "local", "ls", "nc", "nslookup", "pg_isready", "ping", "printenv", "printf", "read",
	"return", "seq", "set", "shift", "sleep", "sort", "tail", "test", "tr", "true", "uname", "uniq", "wait-for",
	"wait-for-it", "wait-for-it.sh", "wc", "whoami", "yq",
}

# _allowed(cmd, words, text): words start with the command; text is the
# segment or the whole command line, for its flags.
_allowed(cmd, _, _) if cmd in _read_only_commands

_allowed("curl", _, text) if not regex.match(`(\s-X\s*['"]?(?i:POST|PUT|PATCH|DELETE)|\s--request\s+['"]?(?i:POST|PUT|PATCH|DELETE)|\s(-d|--data[a-z-]*|-F|--form[a-z-]*|-T|--upload-file|--json)(\s|=|$))`, text)

_allowed("wget", _, text) if not regex.match(`--post-data|--post-file|--method|--body-data|--body-file`, text)

_allowed("mysqladmin", _, text) if regex.match(`\b(ping|status)\b`, text)

_allowed(cmd, words, text) if {
	cmd in {"kubectl", "oc"}
	verb := _kubectl_verb(words)
	_kubectl_repeatable(verb, words, text)
}

# Flags of kubectl that take the next word as their value.
_kubectl_valued_flags := {"-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server", "--token", "--as", "-l", "--selector"}

_kubectl_verb(words) := {"at": i, "verb": words[i]} if {
	verbs := [j |
		some j, w in words
		j > 0
		not startswith(w, "-")
		not words[j - 1] in _kubectl_valued_flags
	]
	count(verbs) > 0
	i := min(verbs)
}

_kubectl_repeatable(v, _, _) if v.verb in {"get", "wait", "describe", "logs", "version", "cluster-info", "api-resources", "api-versions", "explain", "top", "auth", "apply", "patch"}

_kubectl_repeatable(v, words, _) if {
	v.verb == "rollout"
	count(words) > v.at + 1
	words[v.at + 1] in {"status", "history"}
}

_kubectl_repeatable(v, _, text) if {
	v.verb in {"label", "annotate"}
	contains(text, "--overwrite")
}

_kubectl_repeatable(v, _, text) if {
	v.verb == "delete"
	contains(text, "--ignore-not-found")
}

_kubectl_repeatable(v, _, text) if {
	v.verb == "create"
	contains(text, "--dry-run")
}
