package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Hostile repositories against the CMP: each ends in bounded time and
// memory with exit 2, a message naming the limit, and nothing on stdout.
// The bounds asserted are loose (a loaded 2-core machine); the limits set
// through the admin's variables are tight so the tests stay short.

// writeTree writes files (path -> content) below a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
	return dir
}

const chartYAML = "apiVersion: v2\nname: hostile\nversion: 0.1.0\n"

func TestHostileInputsAreBounded(t *testing.T) {
	manyDocs := strings.Repeat("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: c-\n", 30_000)
	deep := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: " + strings.Repeat("[", 150) + strings.Repeat("]", 150) + "\n"
	bomb := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	cases := []struct {
		name  string
		files map[string]string
		admin []string
		want  string
	}{
		{"helm template loop", map[string]string{
			"Chart.yaml":          chartYAML,
			"templates/loop.yaml": "{{- range $i := until 100000 }}{{ range $j := until 100000 }}{{ end }}{{ end }}\n",
		}, []string{"HOOKGUARD_ADMIN_DEADLINE=3s"}, "deadline exceeded"},
		{"helm template doubling a string", map[string]string{
			"Chart.yaml": chartYAML,
			"templates/big.yaml": "{{- $s := \"xxxxxxxxxxxxxxxx\" }}{{- range $i := until 40 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}\n" +
				"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: {{ $s | quote }}\n",
		}, []string{"HOOKGUARD_ADMIN_MEMORY_BYTES=268435456", "HOOKGUARD_ADMIN_DEADLINE=60s"}, "memory limit exceeded"},
		{"kustomize alias bomb", map[string]string{
			"kustomization.yaml": "resources: [bomb.yaml]\n", "bomb.yaml": bomb,
		}, nil, "aliases expand to more than"},
		{"plain alias bomb", map[string]string{"bomb.yaml": bomb}, nil, "aliases expand to more than"},
		{"too many objects", map[string]string{"many.yaml": manyDocs}, []string{"HOOKGUARD_ADMIN_MAX_OBJECTS=5000"}, "more than 5000 objects"},
		{"too many bytes", map[string]string{"many.yaml": manyDocs}, []string{"HOOKGUARD_ADMIN_MAX_INPUT_BYTES=100000"}, "more than 100000 bytes"},
		{"nesting", map[string]string{"deep.yaml": deep}, nil, "nested deeper than 100 levels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			code, out, errOut, rss := runGenerateMeasured(t, cmpApp{repo: writeTree(t, c.files), path: ".", admin: c.admin})
			elapsed := time.Since(start)
			assert.Equal(t, exitUsage, code, errOut)
			assert.Empty(t, out, "nothing on stdout")
			assert.Contains(t, errOut, c.want)
			assert.Less(t, elapsed, 50*time.Second, "bounded time")
			assert.Less(t, rss, int64(1500<<20), "bounded memory (peak RSS %d MiB)", rss>>20)
			t.Logf("%s: exit %d in %s, peak RSS %d MiB", c.name, code, elapsed.Round(time.Millisecond), rss>>20)
		})
	}
}

// runGenerateMeasured is runGenerate with the child's peak RSS.
func runGenerateMeasured(t *testing.T, app cmpApp) (code int, stdout, stderr string, rss int64) {
	t.Helper()
	var usage *syscall.Rusage
	code, stdout, stderr = runGenerateWith(t, app, func(u *syscall.Rusage) { usage = u })
	if usage != nil {
		rss = usage.Maxrss << 10 // Linux reports KiB
	}
	return code, stdout, stderr, rss
}

// The bypass by parser disagreement: a Job whose first annotations block
// says Skip and whose second says PreSync (Argo CD reads the last) is an
// error naming the file and line, in lint and in the CMP.
func TestDuplicateKeysCannotBypassTheGate(t *testing.T) {
	job := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: wipe\n  annotations:\n    argocd.argoproj.io/hook: Skip\n  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: m\n        image: postgres:16\n        command: [psql, -c, DROP TABLE orders]\n"
	repo := writeTree(t, map[string]string{"job.yaml": job})
	code, out, errOut := hookguard(t, "", "lint", repo)
	assert.Equal(t, exitUsage, code, out)
	assert.Contains(t, errOut, "job.yaml:7: Job: duplicate key \"annotations\" (first at line 5)")

	code, out, errOut = runGenerate(t, cmpApp{repo: repo, path: "."})
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "duplicate key \"annotations\"")
}

// An unquoted yes is a boolean to Argo CD, which then reads none of the
// object's annotations: hookguard sees the same (the hook is a plain
// resource) and the CMP quotes the value so the hook works as written.
func TestYAML11BooleansReadAsArgoCD(t *testing.T) {
	job := "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: m\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    example.com/enabled: yes\n"
	repo := writeTree(t, map[string]string{"job.yaml": job})
	_, out, _ := hookguard(t, "", "plan", repo, "-o", "json")
	assert.Contains(t, out, `"role": "resource"`, "Argo CD reads no annotation: the hook is a plain resource")
	_, out, _ = hookguard(t, "", "lint", repo)
	assert.Contains(t, out, "annotation example.com/enabled is a boolean")
}
