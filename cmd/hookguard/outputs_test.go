package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"
)

// One run writes several outputs, each exactly what a run with that output
// alone writes (the goldens), and gates as one run would.
func TestLintSeveralOutputs(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "0") // the JUnit golden is reproducible
	dir := filepath.Join(repoRoot, "testdata", "examples")
	tmp := t.TempDir()
	sarifFile, jsonFile, junitFile := filepath.Join(tmp, "hookguard.sarif"), filepath.Join(tmp, "r.json"), filepath.Join(tmp, "r.xml")
	code, out, errOut := hookguard(t, "", "lint", dir, "-o", "github", "-o", "sarif="+sarifFile, "-o", "json="+jsonFile, "-o", "junit="+junitFile)
	assert.Equal(t, exitFindings, code, "the gate is unchanged by extra outputs: %s", errOut)
	want := func(name string) string {
		b, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "golden", name))
		require.NoError(t, err)
		return string(b)
	}
	assert.Equal(t, want("examples.github.txt"), out, "github annotations on standard output")
	for file, golden := range map[string]string{sarifFile: "examples.sarif", jsonFile: "examples.json", junitFile: "examples.xml"} {
		got, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, want(golden), string(got), file)
		info, err := os.Stat(file)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), info.Mode().Perm(), file)
	}
	left, err := filepath.Glob(filepath.Join(tmp, ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file stays behind")

	// text to standard output by name, and --fail-on none still writes every file
	require.NoError(t, os.Remove(sarifFile))
	code, out, errOut = hookguard(t, "", "lint", dir, "-o", "sarif="+sarifFile, "-o", "text", "--fail-on", "none")
	assert.Equal(t, exitOK, code, errOut)
	assert.Equal(t, want("examples.txt"), out)
	got, err := os.ReadFile(sarifFile)
	require.NoError(t, err)
	assert.Equal(t, want("examples.sarif"), string(got))

	// only files: nothing on standard output
	code, out, _ = hookguard(t, "", "lint", dir, "-o", "json="+jsonFile)
	assert.Equal(t, exitFindings, code)
	assert.Empty(t, out)
}

func TestLintOutputErrors(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "examples")
	tmp := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown format", []string{"-o", "html=x.html"}, `invalid output format "html": want one of text, json, sarif, junit, github`},
		{"two to stdout", []string{"-o", "text", "-o", "github"}, "-o text and -o github both write to standard output"},
		{"explicit stdout twice", []string{"-o", "text=-", "-o", "json"}, "both write to standard output"},
		{"same file twice", []string{"-o", "json=" + filepath.Join(tmp, "a"), "-o", "sarif=" + filepath.Join(tmp, ".", "a")}, "write the same file"},
		{"empty file", []string{"-o", "sarif="}, `no file after "="`},
		{"directory", []string{"-o", "sarif=" + tmp}, "is a directory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := hookguard(t, "", append([]string{"lint", dir}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tc.want)
		})
	}

	// A file that cannot be written fails the run before any other file is
	// replaced: an earlier SARIF log is never mixed with a newer JSON report.
	old := filepath.Join(tmp, "old.sarif")
	require.NoError(t, os.WriteFile(old, []byte("previous run"), 0o644))
	code, _, errOut := hookguard(t, "", "lint", dir, "-o", "sarif="+old, "-o", "json="+filepath.Join(tmp, "missing", "r.json"))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, filepath.Join(tmp, "missing", "r.json"))
	got, err := os.ReadFile(old)
	require.NoError(t, err)
	assert.Equal(t, "previous run", string(got))
	left, err := filepath.Glob(filepath.Join(tmp, ".*"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary file stays behind")
}

// The README's GitHub workflow: actionlint accepts it (when installed), and
// its lint step, run here on the examples, annotates, writes the SARIF log
// its upload step names, and fails the step.
func TestReadmeWorkflow(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(readme), "\n## CI (GitHub Actions)\n")
	require.True(t, ok, "README has no CI section")
	section, _, _ = strings.Cut(section, "\n## ")
	_, workflow, ok := strings.Cut(section, "```yaml\n")
	require.True(t, ok)
	workflow, _, _ = strings.Cut(workflow, "```")

	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Name, Run, Uses, If string
				With                map[string]string
			}
		}
	}
	require.NoError(t, yaml.Unmarshal([]byte(workflow), &wf))
	var lintRun, sarifFile string
	lintStep, uploadStep := -1, -1
	for i, st := range wf.Jobs["lint"].Steps {
		if strings.HasPrefix(st.Run, "hookguard lint ") {
			lintRun, lintStep = st.Run, i
		}
		if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
			sarifFile, uploadStep = st.With["sarif_file"], i
			assert.Contains(t, st.If, "!cancelled()", "the upload runs after a failed gate")
		}
	}
	require.NotEmpty(t, lintRun, "no hookguard lint step")
	assert.Less(t, lintStep, uploadStep, "lint, then upload")

	lintRun, _, _ = strings.Cut(lintRun, "#")
	args := strings.Fields(lintRun)[1:]
	// Run on a fixture of the same shape: Argo CD Applications (the monorepo)
	// with --apps, plain manifests (the examples) without.
	target := filepath.Join(repoRoot, "testdata", "examples")
	if slices.Contains(args, "--apps") {
		target = monorepo
		args = append([]string{"lint", "--repo-root", monorepo}, args[1:]...)
	}
	require.Contains(t, []string{".", "k8s/"}, args[len(args)-1])
	tmp := t.TempDir()
	for i, a := range args {
		if strings.HasPrefix(a, "sarif=") {
			require.Equal(t, "sarif="+sarifFile, a, "the lint step writes the file the upload reads")
			args[i] = "sarif=" + filepath.Join(tmp, sarifFile)
		}
	}
	args[len(args)-1] = target
	code, out, errOut := hookguard(t, "", args...)
	assert.Equal(t, exitFindings, code, errOut)
	assert.Contains(t, out, "::error file=")
	log, err := os.ReadFile(filepath.Join(tmp, sarifFile))
	require.NoError(t, err)
	assert.Contains(t, string(log), `"version": "2.1.0"`)

	if _, err := exec.LookPath("actionlint"); err != nil {
		t.Logf("actionlint is not installed: the workflow's syntax is not checked (%v)", err)
		return
	}
	file := filepath.Join(tmp, "hookguard.yml")
	require.NoError(t, os.WriteFile(file, []byte(workflow), 0o644))
	msg, err := exec.Command("actionlint", file).CombinedOutput()
	assert.NoError(t, err, "actionlint: %s", msg)
}

// Helm findings point into their templates in every format.
func TestLintHelmPositions(t *testing.T) {
	chart := filepath.Join(repoRoot, "internal", "render", "testdata", "helm-positions")
	tmp := t.TempDir()
	out := func(name string) string { return filepath.Join(tmp, name) }
	code, text, errOut := hookguard(t, "", "lint", chart, "-o", "text", "-o", "github="+out("gh"), "-o", "json="+out("json"),
		"-o", "sarif="+out("sarif"), "-o", "junit="+out("junit"))
	require.Equal(t, exitFindings, code, errOut)
	read := func(name string) string {
		b, err := os.ReadFile(out(name))
		require.NoError(t, err)
		return string(b)
	}
	file := filepath.Join(chart, "templates", "jobs.yaml")
	template, err := os.ReadFile(file)
	require.NoError(t, err)
	lines := strings.Split(string(template), "\n")
	assert.Equal(t, "          image: busybox", lines[28-1], "the unpinned image is at line 28")

	assert.Contains(t, text, file+"\n")
	assert.Contains(t, text, "  28:11   warning hook-image-unpinned")
	assert.NotContains(t, text, "\n  -  ", "no finding without a line")
	assert.Contains(t, read("gh"), "file="+file+",line=28,col=11,title=hookguard hook-image-unpinned::")
	assert.Contains(t, read("junit"), file+":28: Job release-name-migrate: container")

	var rep struct {
		Findings []struct {
			Rule, File   string
			Line, Column int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(read("json")), &rep))
	require.NotEmpty(t, rep.Findings)
	for _, f := range rep.Findings {
		assert.Equal(t, file, f.File, f.Rule)
		require.True(t, f.Line >= 1 && f.Line <= len(lines), "%s: line %d", f.Rule, f.Line)
	}

	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						Region *struct{ StartLine, StartColumn int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(read("sarif")), &log))
	for _, r := range log.Runs[0].Results {
		reg := r.Locations[0].PhysicalLocation.Region
		require.NotNil(t, reg, r.RuleID)
		if r.RuleID == "hook-image-unpinned" {
			assert.Equal(t, 28, reg.StartLine)
			assert.Equal(t, 11, reg.StartColumn)
		}
	}
}

// Every finding on the corpus charts names a line of its template.
func TestLintHelmPositionsCorpus(t *testing.T) {
	dir := needShared(t, filepath.Join("corpus", "helm"))
	charts, err := os.ReadDir(dir)
	require.NoError(t, err)
	n := 0
	for _, c := range charts {
		code, out, _ := hookguard(t, "", "lint", filepath.Join(dir, c.Name()), "-o", "json", "--fail-on", "none")
		if code != exitOK {
			continue // a chart that does not render here
		}
		var rep struct {
			Findings []struct {
				Rule, File string
				Line       int
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		for _, f := range rep.Findings {
			n++
			data, err := os.ReadFile(f.File)
			require.NoError(t, err, "a finding names a template file")
			assert.True(t, f.Line >= 1 && f.Line <= strings.Count(string(data), "\n")+1, "%s: %s:%d", f.Rule, f.File, f.Line)
		}
	}
	if n == 0 {
		t.Skip("no corpus chart produced a finding")
	}
	t.Logf("%d findings, each on a line of its template", n)
}

// A chart whose missing dependencies are disabled lints (--debug says what
// was left out); enabling one fails with exit 2 naming it.
func TestLintHelmMissingDependency(t *testing.T) {
	chart := filepath.Join(repoRoot, "internal", "render", "testdata", "helm-optional-dep")
	code, out, errOut := hookguard(t, "", "lint", chart, "--debug")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "in 2 objects")
	assert.Contains(t, errOut, "debug: helm: chart "+chart+": dependency postgresql is not in charts/ and the values disable it (condition postgresql.enabled): rendered without it")

	code, _, errOut = hookguard(t, "", "lint", chart, "--set", "postgresql.enabled=true")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "dependency postgresql is enabled but not in charts/")
	assert.Contains(t, errOut, "run `helm dependency build "+chart+"`")
}
