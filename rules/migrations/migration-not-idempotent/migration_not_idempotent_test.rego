package hookguard.rules.migrations["migration-not-idempotent_test"]

import data.hookguard.rules.migrations["migration-not-idempotent"] as rule

_hook(command) := {"index": 0, "ref": "Job a", "kind": "Job", "argocd": {"role": "hook"}, "raw": {"spec": {"template": {"spec": {"containers": [{"name": "m", "command": command}]}}}}}

test_fail_create_table if {
	r := rule.report with input as {"objects": [_hook(["sh", "-c", "psql -c 'create table users (id int)'"])]}
	some v in r
	contains(v.msg, "without IF NOT EXISTS")
}

test_fail_insert_without_upsert if {
	r := rule.report with input as {"objects": [_hook(["sh", "-c", "psql <<EOF\nINSERT INTO roles VALUES (1, 'admin');\nEOF"])]}
	some v in r
	contains(v.msg, "ON CONFLICT")
}

# Messages quote the statement and the name it touches, nothing else of the
# command line (its connection string above all).
test_fail_quotes_statement_and_name_only if {
	r := rule.report with input as {"objects": [_hook(["sh", "-c", "psql postgres://u:S3CR3T@db/app -c 'create  table users(id int); INSERT INTO roles(id) VALUES (1)'"])]}
	msgs := concat("\n", [v.msg | some v in r])
	contains(msgs, `runs "create table users" without IF NOT EXISTS`)
	contains(msgs, `runs "INSERT INTO roles" without ON CONFLICT`)
	not contains(msgs, "S3CR3T")
	not contains(msgs, "(id")
}

test_fail_add_column if {
	count(rule.report) == 1 with input as {"objects": [_hook(["sh", "-c", "psql -c 'ALTER TABLE users ADD COLUMN age int'"])]}
}

test_fail_django_prompt if {
	r := rule.report with input as {"objects": [_hook(["python", "manage.py", "migrate"])]}
	some v in r
	contains(v.msg, "--noinput")
}

test_success_idempotent_sql if {
	sql := "CREATE TABLE IF NOT EXISTS users (id int); CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON users (id); INSERT INTO roles VALUES (1) ON CONFLICT DO NOTHING; ALTER TABLE users ADD COLUMN IF NOT EXISTS age int;"
	rule.report == set() with input as {"objects": [_hook(["sh", "-c", sql])]}
}

test_success_django_noinput if {
	rule.report == set() with input as {"objects": [_hook(["python", "manage.py", "migrate", "--noinput"])]}
}
