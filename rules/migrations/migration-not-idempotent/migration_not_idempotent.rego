# METADATA
# title: Hook migration is not idempotent
# description: >-
#   Hooks run on every sync, and again after a failure. This hook's SQL fails
#   or duplicates data on a second run (CREATE TABLE/INDEX/SCHEMA without IF
#   NOT EXISTS, INSERT without ON CONFLICT or another upsert, ALTER TABLE ADD
#   COLUMN without IF NOT EXISTS), or it runs a migration tool in a mode that
#   waits for input (Django migrate without --noinput, prisma migrate dev).
# custom:
#   id: migration-not-idempotent
#   severity: warning
#   remediation: Make every statement safe to re-run (IF NOT EXISTS, ON CONFLICT DO NOTHING) and run migration tools non-interactively (--noinput).
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package hookguard.rules.migrations["migration-not-idempotent"]

import data.hookguard.lib

_sql_objects := `(?:unique\s+)?(?:table|index|schema|sequence|extension|type|database)`

report contains lib.violation_at(obj, c.path, msg) if {
	some obj in input.objects
	lib.is_hook(obj)
	some c in lib.containers(obj)
	text := lib.command_text(c.container)
	some problem in _problems(text)
	msg := sprintf("%s: container %q %s; hooks run on every sync and after every failure", [obj.ref, object.get(c.container, "name", "?"), problem])
}

_problems(text) := {p |
	some m in regex.find_all_string_submatch_n(concat("", [`(?i)\b(create\s+`, _sql_objects, `(?:\s+concurrently)?)\s+(\S+)`]), text, -1)
	lower(m[2]) != "if"
	p := sprintf("runs %q without IF NOT EXISTS, which fails on the second run", [_statement(m[1], m[2])])
} | {p |
	some m in regex.find_all_string_submatch_n(`(?i)\b(add\s+column)\s+(\S+)`, text, -1)
	lower(m[2]) != "if"
	p := sprintf("runs ALTER TABLE %q without IF NOT EXISTS, which fails on the second run", [_statement(m[1], m[2])])
} | {p |
	some statement in split(text, ";")
	m := regex.find_all_string_submatch_n(`(?i)\b(insert\s+into)\s+(\S+)`, statement, 1)
	count(m) > 0
	not regex.match(`(?i)\bon\s+conflict\b|\bon\s+duplicate\s+key\b|\bwhere\s+not\s+exists\b|\binsert\s+ignore\b|\bmerge\s+into\b`, statement)
	p := sprintf("runs %q without ON CONFLICT or another upsert, which duplicates rows or fails on the second run", [_statement(m[0][1], m[0][2])])
} | {p |
	regex.match(`\b(manage\.py|django-admin)\s+migrate\b`, text)
	not regex.match(`--no-?input\b`, text)
	p := "runs Django migrate without --noinput, which can stop at a prompt and hang the hook"
} | {p |
	regex.match(`\bprisma\s+migrate\s+dev\b`, text)
	p := "runs prisma migrate dev, which is interactive and may reset the database; use prisma migrate deploy"
}

# _statement quotes a statement's keywords and the leading SQL name of the
# word after them (users of "users(id"), nothing more of the command line: a
# word that is no name (a connection string, a variable) is left out.
_statement(keywords, word) := concat(" ", array.concat([regex.replace(keywords, `\s+`, " ")], regex.find_n(`^[\w.$"\x60\[\]]+`, word, 1)))
