# METADATA
# title: Destructive command in a sync hook
# description: >-
#   A PreSync or Sync hook runs a command that destroys data: SQL DROP
#   DATABASE/SCHEMA/TABLE, TRUNCATE or an unbounded DELETE, or a migration
#   tool's reset, drop, clean or downgrade (rails db:reset, manage.py flush,
#   flyway clean, liquibase dropAll, prisma migrate reset, alembic downgrade,
#   knex migrate:rollback, migrate down), or a Redis FLUSHALL/FLUSHDB. Hooks
#   run on every sync, not once.
# custom:
#   id: migration-destructive
#   severity: error
#   remediation: Move destructive steps out of sync hooks into a reviewed, one-off Job; keep hooks to forward, additive migrations.
#   kinds: [Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package hookguard.rules.migrations["migration-destructive"]

import data.hookguard.lib

# Patterns are case-insensitive and match the command line with command and
# args joined, so shell scripts and heredoc SQL are seen as they run. The
# message quotes only what a pattern captures (the statement or the tool and
# its action, joined by "..."), never the text between: that is where a
# command carries its connection string and password.
_patterns := {
	`\b(drop\s+(?:database|schema|table))\b`: "drops a database, schema or table",
	`\b(truncate\s+table)\b|\b(truncate)\s+[a-z_"][\w."]*\s*(?:;|cascade\b|restart\b|$)`: "truncates a table",
	`\b(delete\s+from)\s+[\w."]+\s*(?:;|$)`: "deletes every row of a table",
	`\b((?:rails|rake)\s+db:(?:drop|reset|schema:load|purge))\b`: "resets the Rails database",
	`\b(manage\.py\s+(?:flush|reset_db|sqlflush))\b|\b(django-admin\s+(?:flush|reset_db))\b`: "empties the Django database",
	`\b(flyway)\b[^\n;&|]*\s(clean)\b`: "runs flyway clean, dropping every object in the schema",
	`\b(liquibase)\b[^\n;&|]*\b(drop-?all)\b`: "runs liquibase dropAll",
	`\b(prisma\s+migrate\s+reset)\b`: "runs prisma migrate reset",
	`\b(prisma\s+db\s+push)\b[^\n;&|]*(--(?:force-reset|accept-data-loss))\b`: "pushes a Prisma schema with data loss",
	`\b(alembic)\b[^\n;&|]*\s(downgrade)\b`: "runs an alembic downgrade",
	`\b(knex)\b[^\n;&|]*\s(migrate:(?:rollback|down))\b`: "rolls knex migrations back",
	`\b(sequelize(?:-cli)?\s+db:(?:drop|migrate:undo))`: "drops or undoes Sequelize migrations",
	`\b(migrate)\b[^\n;&|]*\s(down|drop)(?:\s|$)`: "runs migrate down or drop",
	`\b(flush(?:all|db))\b`: "flushes Redis",
	`\b(dropdb)\b|\b(dropDatabase)\s*\(`: "drops a database",
}

report contains lib.violation_at(obj, c.path, msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	some phase in obj.argocd.phases
	phase in {"PreSync", "Sync"}
	some c in lib.containers(obj)
	some found in _destructive(lib.command_text(c.container))
	msg := sprintf("%s: container %q %s (%q) in a %s hook, which runs on every sync", [obj.ref, object.get(c.container, "name", "?"), found.what, found.quoted, phase])
}

# _destructive is a function of a script's text alone: OPA computes it once
# per distinct script.
_destructive(text) := [{"what": what, "quoted": _quoted(found[0])} |
	some pattern, what in _line_patterns
	found := regex.find_all_string_submatch_n(pattern, text, 1)
	count(found) > 0
]

_line_patterns := {concat("", ["(?im)", pattern]): what | some pattern, what in _patterns}

_quoted(match) := concat(" ... ", [regex.replace(part, `\s+`, " ") |
	some i, part in match
	i > 0
	part != ""
])
