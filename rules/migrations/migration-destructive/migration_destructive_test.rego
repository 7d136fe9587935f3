package hookguard.rules.migrations["migration-destructive_test"]

import data.hookguard.rules.migrations["migration-destructive"] as rule

_hook(command, args) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook", "phases": ["PreSync"]}, "raw": {"spec": {"template": {"spec": {"containers": [{"name": "m", "command": command, "args": args}]}}}}}

test_fail_heredoc_drop_table if {
	script := "psql \"$DATABASE_URL\" <<'SQL'\nbegin;\nDrop Table users;\ncommit;\nSQL\n"
	r := rule.report with input as {"objects": [_hook(["/bin/sh", "-c"], [script])]}
	some v in r
	contains(v.msg, "drops a database, schema or table")
	contains(v.msg, `("Drop Table")`)
}

# The message quotes the tool and its action, not the connection string
# between them.
test_fail_migrate_down_quotes_no_url if {
	r := rule.report with input as {"objects": [_hook(["migrate"], ["-path", "/m", "-database", "postgres://app:S3CR3T@db/app", "down"])]}
	some v in r
	contains(v.msg, `runs migrate down or drop ("migrate ... down")`)
	not contains(v.msg, "S3CR3T")
	not contains(v.msg, "postgres://")
}

test_fail_drop_table_quotes_no_dsn if {
	r := rule.report with input as {"objects": [_hook(["sh", "-c"], [`psql "postgresql://u:S3CR3T@h/d" -c "DROP   TABLE x"`])]}
	some v in r
	contains(v.msg, `("DROP TABLE")`)
	not contains(v.msg, "S3CR3T")
}

test_fail_truncate_quotes_keyword if {
	r := rule.report with input as {"objects": [_hook(["sh", "-c", `psql -c "TRUNCATE orders;"`], [])]}
	some v in r
	contains(v.msg, `truncates a table ("TRUNCATE")`)
}

test_fail_split_rails_reset if {
	count(rule.report) > 0 with input as {"objects": [_hook(["bundle", "exec"], ["rails", "db:reset"])]}
}

test_fail_flyway_clean if {
	r := rule.report with input as {"objects": [_hook(["flyway"], ["-url=jdbc:x", "-password=S3CR3T", "clean"])]}
	some v in r
	contains(v.msg, `("flyway ... clean")`)
	not contains(v.msg, "S3CR3T")
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
