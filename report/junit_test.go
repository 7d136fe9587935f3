package report

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/manifest"
)

// junitReports covers every shape a suite takes: no finding, failures,
// findings below the fail-on severity, suppressed ones, no line, and text
// that needs escaping.
var junitReports = map[string]Report{
	"empty": {Rules: rules, Objects: 3, FailOn: finding.SeverityWarning},
	"mixed": {Rules: rules, Objects: 4, FailOn: finding.SeverityWarning, Findings: []finding.Finding{
		{Rule: "r", Severity: finding.SeverityError, Message: "m1 <&> \"quoted\"", Remediation: "do x", File: "apps/a.yaml", Line: 3, Resource: manifest.Ref{Kind: "Job", Name: "a"}},
		{Rule: "r", Severity: finding.SeverityInfo, Message: "m2", File: "apps/a.yaml", Line: 9, Resource: manifest.Ref{Kind: "Job", Name: "b"}},
		{Rule: "r", Severity: finding.SeverityError, Message: "m3", File: "apps/b.yaml", Line: 1, Resource: manifest.Ref{Kind: "Pod", Name: "c"},
			Suppression: &finding.Suppression{Kind: "inSource", Reason: "known, tracked in OPS-1"}},
		{Rule: "r", Severity: finding.SeverityWarning, Message: "50% done,\nreally", File: "<stdin>", Resource: manifest.Ref{Kind: "Job", Name: "d"}},
	}},
}

func TestJUnitShape(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1764201600")
	var doc junitSuites
	require.NoError(t, xml.Unmarshal([]byte(render(t, JUnit, junitReports["mixed"])), &doc))
	require.Len(t, doc.Suites, 3, "one suite per file")
	byName := map[string]junitSuite{}
	for i, s := range doc.Suites {
		assert.Equal(t, i, s.ID, "ids count from 0")
		assert.Equal(t, "2025-11-27T00:00:00", s.Timestamp)
		assert.Equal(t, "localhost", s.Hostname, "reproducible: no host")
		byName[s.Name] = s
	}
	a := byName["apps/a.yaml"]
	assert.Equal(t, 2, a.Tests)
	assert.Equal(t, 1, a.Failures)
	require.NotNil(t, a.Cases[0].Failure)
	assert.Equal(t, "error", a.Cases[0].Failure.Type)
	assert.Nil(t, a.Cases[1].Failure, "below fail-on: the case passes")
	assert.Contains(t, a.SystemOut, "r: Job b (info, below the fail-on severity): apps/a.yaml:9: m2", "and says why in the suite's output")
	b := byName["apps/b.yaml"]
	assert.Equal(t, 1, b.Skipped)
	assert.Equal(t, 0, b.Failures)
	require.NotNil(t, b.Cases[0].Skipped)
	assert.Equal(t, "suppressed: known, tracked in OPS-1", b.Cases[0].Skipped.Message)

	var empty junitSuites
	require.NoError(t, xml.Unmarshal([]byte(render(t, JUnit, junitReports["empty"])), &empty))
	require.Len(t, empty.Suites, 1)
	assert.Equal(t, "lint 3 objects", empty.Suites[0].Cases[0].Name)
}

// Without SOURCE_DATE_EPOCH the suite carries the time of the run.
func TestJUnitTimestamp(t *testing.T) {
	when, host := junitRun()
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, when, "no zone: the Ant schema's pattern")
	assert.NotEmpty(t, host)
}

// The output is valid against Jenkins xUnit's junit-10.xsd and the strict
// Ant schema, checked by libxml2's validator (see testdata/junit/README.md).
func TestJUnitValidatesAgainstSchemas(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (Debian: apt-get install libxml2-utils; .ci/run installs it): JUnit schema validation skipped")
	}
	schemas := []string{"junit-10.xsd", "ant-junit.xsd"}
	dir := t.TempDir()
	for name, r := range junitReports {
		for _, epoch := range []string{"", "0"} {
			if epoch != "" {
				t.Setenv("SOURCE_DATE_EPOCH", epoch)
			}
			doc := filepath.Join(dir, name+epoch+".xml")
			require.NoError(t, os.WriteFile(doc, []byte(render(t, JUnit, r)), 0o644))
			for _, xsd := range schemas {
				out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit", xsd), doc).CombinedOutput()
				assert.NoError(t, err, "%s against %s:\n%s", name, xsd, out)
			}
		}
	}
	// The validator does reject what the schemas forbid: the suite without
	// errors= that hookguard used to write.
	old := filepath.Join(dir, "old.xml")
	require.NoError(t, os.WriteFile(old, []byte(`<testsuites name="hookguard" tests="1" failures="0"><testsuite name="a.yaml" tests="1" failures="0"><testcase name="x" classname="a.yaml"/></testsuite></testsuites>`), 0o644))
	for _, xsd := range schemas {
		out, err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit", xsd), old).CombinedOutput()
		assert.Error(t, err, "%s must reject a suite without errors=", xsd)
		assert.Regexp(t, regexp.MustCompile(`errors.*required|required.*errors|attribute 'errors'`), string(out), xsd)
	}
}
