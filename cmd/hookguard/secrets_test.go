package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/plan"
	"github.com/hookguard/hookguard/report"
)

// marker is the secret of secretApp: no output of hookguard may show it.
const marker = "S3CR3T-MARKER"

// secretApp is an app whose PreSync hook destroys data (migration-destructive
// fires, an error, so generate blocks) with the password on its command
// lines, in a URL, a flag, an environment assignment and a header, and in its
// env. A custom policy quotes each container's whole command and env, as a
// careless rule would: redaction where findings are made must catch it.
func secretApp(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"job.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/hook-delete-policy: BeforeHookCreation
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 300
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: migrate/migrate:v4.17.0
          command: ["migrate", "-path", "/migrations", "-database", "postgres://app:` + marker + `@db/app", "down"]
          env:
            - name: PGPASSWORD
              value: ` + marker + `
            - name: DATABASE_URL
              value: postgres://app:` + marker + `@db/app
        - name: psql
          image: postgres:16.2
          command: ["sh", "-c", "psql \"postgresql://u:` + marker + `@h/d\" -c \"DROP TABLE x\""]
        - name: truncate
          image: postgres:16.2
          command: ["sh", "-c", "PGPASSWORD=` + marker + ` psql -h db -c 'TRUNCATE TABLE orders'"]
        - name: flyway
          image: flyway/flyway:10.10.0
          command: ["flyway"]
          args: ["-url=jdbc:postgresql://db/app", "-user=app", "-password=` + marker + `", "clean"]
        - name: cache
          image: redis:7.2.4
          command: ["sh", "-c", "curl -fsS -H 'Authorization: Bearer ` + marker + `' http://api/drain && redis-cli -u redis://:` + marker + `@cache:6379 FLUSHALL"]
`,
		".hookguard.yaml": "policies: [policy]\n",
		"policy/echo.rego": `# METADATA
# title: Echoes every command
# custom:
#   id: custom-echo-command
#   severity: info
#   remediation: None; this policy shows what a careless rule would print.
package hookguard.rules.custom["custom-echo-command"]

import data.hookguard.lib

report contains lib.violation_at(obj, c.path, msg) if {
	some obj in input.objects
	some c in lib.containers(obj)
	env := [sprintf("%v=%v", [e.name, e.value]) | some e in object.get(c.container, "env", [])]
	msg := sprintf("runs %q with env %q", [lib.command_text(c.container), concat(" ", env)])
}
`,
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// Secrets on a hook's command line reach no output: no lint format, no plan
// format, not the report generate leaves for Argo CD's UI; the findings that
// quote those commands are still there.
func TestSecretsNeverShown(t *testing.T) {
	dir := secretApp(t)
	noSecret := func(t *testing.T, stdout, stderr string) {
		t.Helper()
		assert.NotContains(t, stdout, marker)
		assert.NotContains(t, stderr, marker)
	}

	// The rules still fire: each destructive container once, and the echo
	// policy once per container, its secrets masked.
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "json")
	require.Equal(t, exitFindings, code, errOut)
	var rep struct {
		Findings []struct{ Rule, Message string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	byRule := map[string][]string{}
	for _, f := range rep.Findings {
		byRule[f.Rule] = append(byRule[f.Rule], f.Message)
	}
	assert.Len(t, byRule["migration-destructive"], 5, "%v", byRule["migration-destructive"])
	assert.Len(t, byRule["custom-echo-command"], 5)
	destructive := strings.Join(byRule["migration-destructive"], "\n")
	for _, quoted := range []string{`"migrate ... down"`, `"DROP TABLE"`, `"TRUNCATE TABLE"`, `"flyway ... clean"`, `"FLUSHALL"`} {
		assert.Contains(t, destructive, quoted)
	}
	echo := strings.Join(byRule["custom-echo-command"], "\n")
	for _, masked := range []string{"postgres://app:REDACTED@db/app", "PGPASSWORD=REDACTED", "-password=REDACTED", "Bearer REDACTED", "redis://:REDACTED@cache"} {
		assert.Contains(t, echo, masked)
	}

	for _, format := range report.Formats {
		t.Run("lint "+string(format), func(t *testing.T) {
			code, out, errOut := hookguard(t, "", "lint", dir, "-o", string(format))
			assert.Equal(t, exitFindings, code, errOut)
			assert.Contains(t, out, "migration-destructive")
			noSecret(t, out, errOut)
		})
	}
	for _, format := range plan.Formats {
		t.Run("plan "+format, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", "plan", dir, "-o", format)
			assert.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "migrate")
			noSecret(t, out, errOut)
		})
	}
	t.Run("generate", func(t *testing.T) {
		code, out, errOut := runGenerate(t, cmpApp{repo: dir, path: "."})
		assert.Equal(t, exitFindings, code)
		assert.Empty(t, out, "a blocked sync prints nothing on stdout")
		assert.Contains(t, errOut, "migration-destructive")
		assert.Contains(t, errOut, "custom-echo-command")
		noSecret(t, out, errOut)
	})
}
