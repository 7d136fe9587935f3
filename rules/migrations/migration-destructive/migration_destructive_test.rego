package hookguard.rules.migrations["migration-destructive_test"]

import data.hookguard.rules.migrations["migration-destructive"] as rule

_hook(command, args) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook", "phases": ["PreSync"]}, "raw": {"spec": {"template": {"spec": {"containers": [{"name": "m", "command": command, "args": args}]}}}}}

test_fail_heredoc_drop_table if {
	script := "psql \"$DATABASE_URL\" <<'SQL'\nbegin;\nDrop Table users;\ncommit;\nSQL\n"
	r := rule.report with input as {"objects": [_hook(["/bin/sh", "-c"], [script])]}
	some v in r
	contains(v.msg, "drops a database, schema or table")
}

test_fail_split_rails_reset if {
	count(rule.report) > 0 with input as {"objects": [_hook(["bundle", "exec"], ["rails", "db:reset"])]}
}

test_fail_flyway_clean if {
	count(rule.report) > 0 with input as {"objects": [_hook(["flyway"], ["-url=jdbc:x", "clean"])]}
}

test_fail_redis_flushall if {
	count(rule.report) > 0 with input as {"objects": [_hook(["sh", "-c", "redis-cli -h cache FLUSHALL"], [])]}
}

test_success_django_migrate if {
	rule.report == set() with input as {"objects": [_hook(["python", "manage.py", "migrate", "--noinput"], [])]}
}

test_success_flyway_migrate_clean_disabled if {
	rule.report == set() with input as {"objects": [_hook(["flyway", "-cleanDisabled=true", "migrate"], [])]}
}

test_success_curl_smoke_test if {
	rule.report == set() with input as {"objects": [_hook(["/bin/sh", "-c", "curl -s -o /dev/null http://api/health"], [])]}
}

test_success_postsync_is_not_checked if {
	obj := object.union(_hook(["sh", "-c", "DROP TABLE x"], []), {"argocd": {"role": "hook", "phases": ["PostSync"]}})
	rule.report == set() with input as {"objects": [obj]}
}
