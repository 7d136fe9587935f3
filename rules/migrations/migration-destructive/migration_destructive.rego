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
# args joined, so shell scripts and heredoc SQL are seen as they run.
_patterns := {
	`\bdrop\s+(database|schema|table)\b`: "drops a database, schema or table",
	`\btruncate\s+table\b|\btruncate\s+[a-z_"][\w."]*\s*(;|cascade\b|restart\b|$)`: "truncates a table",
	`\bdelete\s+from\s+[\w."]+\s*(;|$)`: "deletes every row of a table",
	`\b(rails|rake)\s+db:(drop|reset|schema:load|purge)\b`: "resets the Rails database",
	`\bmanage\.py\s+(flush|reset_db|sqlflush)\b|\bdjango-admin\s+(flush|reset_db)\b`: "empties the Django database",
	`\bflyway\b[^\n;&|]*\sclean\b`: "runs flyway clean, dropping every object in the schema",
	`\bliquibase\b[^\n;&|]*\bdrop-?all\b`: "runs liquibase dropAll",
	`\bprisma\s+migrate\s+reset\b`: "runs prisma migrate reset",
	`\bprisma\s+db\s+push\b[^\n;&|]*--(force-reset|accept-data-loss)\b`: "pushes a Prisma schema with data loss",
	`\balembic\b[^\n;&|]*\sdowngrade\b`: "runs an alembic downgrade",
	`\bknex\b[^\n;&|]*\smigrate:(rollback|down)\b`: "rolls knex migrations back",
	`\bsequelize(-cli)?\s+db:(drop|migrate:undo)`: "drops or undoes Sequelize migrations",
	`\bmigrate\b[^\n;&|]*\s(down|drop)(\s|$)`: "runs migrate down or drop",
	`\bflush(all|db)\b`: "flushes Redis",
	`\bdropdb\b|\bdropDatabase\s*\(`: "drops a database",
}

report contains lib.violation_at(obj, c.path, msg) if {
	some obj in input.objects
	lib.sync_hook(obj)
	some phase in obj.argocd.phases
	phase in {"PreSync", "Sync"}
	some c in lib.containers(obj)
	text := lib.command_text(c.container)
	some pattern, what in _patterns
	found := regex.find_n(concat("", ["(?im)", pattern]), text, 1)
	count(found) > 0
	msg := sprintf("%s: container %q %s (%q) in a %s hook, which runs on every sync", [obj.ref, object.get(c.container, "name", "?"), what, trim_space(found[0]), phase])
}
