# METADATA
# title: Hook command fails when run again
# description: >-
#   A sync hook runs on every sync, and Argo CD runs Helm install hooks
#   (pre-install, post-install) on every sync too. This hook's script runs a
#   command that fails once what it creates exists, so it works on the first
#   sync and fails from the second on: kubectl or oc create (without
#   --dry-run=client -o yaml piped to kubectl apply), oc new-project,
#   createdb, createuser, vault secrets/auth/audit enable, helm install
#   (instead of helm upgrade --install), mc mb (without --ignore-existing), or
#   mkdir without -p under a persistent volume. A command guarded by a check
#   (inside an if, after ||, or followed by || true) is left alone.
# custom:
#   id: hook-command-not-rerunnable
#   severity: warning
#   remediation: Make the command safe to run again - kubectl create ... --dry-run=client -o yaml | kubectl apply -f -, helm upgrade --install, mkdir -p, mc mb --ignore-existing - or check that the object exists before creating it.
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package hookguard.rules.migrations["hook-command-not-rerunnable"]

import data.hookguard.lib

report contains lib.violation_at(obj, c.path, msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	some c in lib.containers(obj)
	some problem in _problems(obj, c.container, lib.command_text(c.container))
	msg := sprintf("%s: container %q runs %q, which %s; hooks run on every sync, so it fails from the second sync on%s", [obj.ref, object.get(c.container, "name", "?"), problem.command, problem.why, _helm_install_hint(obj)])
}

# _lines: the script's lines, continuation lines joined.
_lines(text) := split(regex.replace(text, `\\\r?\n`, " "), "\n")

# _command_lines: the lines that are no comment, with their index; the text
# before a line (_before, for the if-blocks it is in) is built only where a
# command matched.
_command_lines(lines) := [{"i": i, "line": line} |
	some i, line in lines
	not startswith(trim_left(line, " \t"), "#")
]

_before(lines, l) := concat("\n", array.slice(lines, 0, l.i))

# A command word where the shell runs a command (the match up to it is the
# text before the command, kept for _guarded): at the start of a line,
# after a separator or a keyword that starts a command, or as the script of
# sh -c; after NAME=value assignments and with a directory path.
_at_command := `(?:^\s*|[;&|({]\s*|\$\(\s*|\b(?:then|do|else|exec|sudo|time|xargs)\s+|\s-[a-z]*c\s+)(?:\w+=\S*\s+)*(?:[\w./-]*/)?`

# Flags between a tool and its subcommand (kubectl -n vault create).
_flags := `(?:\s+--?[\w-]+(?:=\S+|\s+[^-\s;&|]\S*)?)*?`

# The commands that fail once what they create exists: the command named in
# messages (only it, never an argument), its pattern, and what happens.
_commands := [
	{"command": "kubectl create", "word": "kubectl", "re": concat("", [`\bkubectl`, _flags, `\s+create\b`]), "why": "fails with AlreadyExists once the object exists"},
	{"command": "oc create", "word": "oc", "re": concat("", [`\boc`, _flags, `\s+create\b`]), "why": "fails with AlreadyExists once the object exists"},
	{"command": "oc new-project", "word": "oc", "re": concat("", [`\boc`, _flags, `\s+new-project\b`]), "why": "fails once the project exists"},
	{"command": "createdb", "word": "createdb", "re": `\bcreatedb(?:\s|$)`, "why": "fails once the database exists"},
	{"command": "createuser", "word": "createuser", "re": `\bcreateuser(?:\s|$)`, "why": "fails once the role exists"},
	{"command": "vault secrets enable", "word": "vault", "re": concat("", [`\bvault`, _flags, `\s+secrets\s+enable\b`]), "why": "fails once the path is enabled (path is already in use)"},
	{"command": "vault auth enable", "word": "vault", "re": concat("", [`\bvault`, _flags, `\s+auth\s+enable\b`]), "why": "fails once the path is enabled (path is already in use)"},
	{"command": "vault audit enable", "word": "vault", "re": concat("", [`\bvault`, _flags, `\s+audit\s+enable\b`]), "why": "fails once the path is enabled (path is already in use)"},
	{"command": "helm install", "word": "helm", "re": concat("", [`\bhelm`, _flags, `\s+install\b`]), "why": "fails once the release exists (cannot re-use a name that is still in use), where helm upgrade --install does not"},
	{"command": "mc mb", "word": "mc", "re": concat("", [`\bmc`, _flags, `\s+mb\b`]), "why": "fails once the bucket exists"},
]

# The analysis of a script is a function of its text alone, so OPA computes
# it once per distinct script (apps rendered from one chart share theirs);
# only mkdir's volumes depend on the pod.
_problems(obj, container, text) := _command_problems(text) | {p |
	some args in _mkdir_args(text)
	some volume in _persistent_targets(obj, container, args)
	p := {"command": "mkdir", "why": sprintf("fails once the directory exists on the persistent volume %q (mkdir without -p)", [volume])}
}

# _patterns are the commands with their whole line pattern, built once.
_patterns := [object.union(cmd, {"line": concat("", [`^(.*?`, _at_command, `)(`, cmd.re, `)(.*)$`])}) | some cmd in _commands]

_command_problems(text) := {p |
	lines := _lines(text)
	some l in _command_lines(lines)
	some cmd in _patterns
	contains(l.line, cmd.word) # the pattern needs it: skip the regex when absent
	m := regex.find_all_string_submatch_n(cmd.line, l.line, 1)
	count(m) == 1
	not _guarded(m[0][1], m[0][3], _before(lines, l))
	not _exempt(cmd.command, m[0][3], lines)
	p := {"command": cmd.command, "why": cmd.why}
}

_mkdir_line := concat("", [`^(.*?`, _at_command, `)(mkdir)((?:\s.*)?)$`])

# _mkdir_args: the arguments of each unguarded mkdir without -p.
_mkdir_args(text) := [args |
	lines := _lines(text)
	some l in _command_lines(lines)
	contains(l.line, "mkdir")
	m := regex.find_all_string_submatch_n(_mkdir_line, l.line, 1)
	count(m) == 1
	not _guarded(m[0][1], m[0][3], _before(lines, l))
	args := _args(m[0][3])
	not _mkdir_parents(args)
]

_guarded(before, _, _) if regex.match(`\|\||(?:^|\s)(?:elif|while|until|!)\s`, before)

_guarded(before, _, _) if regex.match(`(?:\[|\btest\b|\bgrep\b|\bget\b|\blist\b|\bstat\b|\bdescribe\b|\bstatus\b|\bls\b).*&&`, before)

_guarded(_, after, _) if {
	regex.match(`\|\|`, after)
	not regex.match(`\|\|.*\b(?:exit|false)\b`, after)
}

# After an early successful exit ("already done"; then exit 0): a script
# that checks its own state before it creates anything.
_guarded(_, _, text_before) if regex.match(`(?:^|[\n;]|\bthen\b|&&)\s*(?:exit|return)(?:\s+0)?\s*(?:$|[\n;])`, text_before)

# In an if-block or its condition: more "if" than "fi" at a command position
# before the command (an "if" in an echo's text does not count).
_guarded(before, _, text_before) if {
	text := concat("\n", [text_before, before])
	count(regex.find_n(`(?:^|[\n;&|(]|\bthen\b|\bdo\b|\belse\b|\s-[a-z]*c\s)\s*if\s`, text, -1)) > count(regex.find_n(`(?:^|[\n;])\s*fi\b`, text, -1))
}

# Never fails on a second run: a dry run (create ... --dry-run=client -o yaml
# | kubectl apply), a token (kubectl create token stores nothing), a name
# new on every run, a create after a delete, or a manifest with
# generateName, which kubectl apply cannot create.
_exempt(_, after, _) if regex.match(`--dry-run\b`, after)

_exempt(command, after, _) if {
	command in {"kubectl create", "oc create"}
	regex.match(`^\s+token\b`, after)
}

_exempt(_, after, _) if regex.match(`\$\(\s*date\b|\$\{?RANDOM\b|\buuidgen\b`, after)

_exempt(command, after, _) if {
	command == "helm install"
	regex.match(`(?:^|\s)(?:--generate-name|-g)(?:\s|$)`, after)
}

# Deleted first (kubectl delete ... --ignore-not-found, then create): the
# create never meets the old object.
_exempt(command, _, lines) if {
	command in {"kubectl create", "oc create"}
	some line in lines
	regex.match(`\b(?:kubectl|oc)\b.*\sdelete\s.*--ignore-not-found\b`, line)
}

_exempt(command, after, lines) if {
	command in {"kubectl create", "oc create"}
	regex.match(`(?:^|\s)(?:-f|--filename|-k|--kustomize)\b`, after)
	some line in lines
	contains(line, "generateName")
}

_exempt(command, after, _) if {
	command == "mc mb"
	regex.match(`(?:^|\s)(?:--ignore-existing|-p)\b`, after)
}

# _args: the words of one simple command, quotes removed.
_args(rest) := [trim(w, `"'`) |
	some w in split(trim_space(regex.replace(rest, `[;&|)].*$`, "")), " ")
	w != ""
]

_mkdir_parents(args) if {
	some a in args
	regex.match(`^(?:-[a-zA-Z]*p[a-zA-Z]*|--parents)$`, a)
}

# _persistent_targets: the PersistentVolumeClaim volumes a mkdir target lies
# under (inside the mount, not the mount itself, which exists).
_persistent_targets(obj, container, args) := {m.name |
	claims := {v.name |
		some v in object.get(lib.pod_spec(obj), "volumes", [])
		is_object(object.get(v, "persistentVolumeClaim", null))
	}
	some m in object.get(container, "volumeMounts", [])
	is_object(m)
	m.name in claims
	some a in args
	not startswith(a, "-")
	startswith(a, concat("", [trim_suffix(m.mountPath, "/"), "/"]))
}

# Helm install hooks look like one-off work; Argo CD runs them on every sync.
_helm_install_hint(obj) := "; Argo CD maps Helm install hooks to every sync, not only to the first install" if _install_only(obj)

_helm_install_hint(obj) := "" if not _install_only(obj)

_install_only(obj) if {
	obj.argocd.typesFrom == "helm"
	values := [trim_space(v) | some v in split(object.get(obj.annotations, "helm.sh/hook", ""), ",")]
	every v in values {
		v in {"pre-install", "post-install"}
	}
}
