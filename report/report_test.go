package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/manifest"
)

var rules = []finding.Rule{{ID: "r", Title: "R", Description: "d", Severity: finding.SeverityError, Remediation: "fix it.", Category: "c"}}

func render(t *testing.T, f Format, r Report) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Write(&b, f, r, Options{}))
	return b.String()
}

// The edge cases every format must handle: no findings, and a finding
// without a position.
func TestNoFindings(t *testing.T) {
	r := Report{Rules: rules, Objects: 3, FailOn: finding.SeverityWarning}
	assert.Equal(t, "0 errors, 0 warnings, 0 info in 3 objects\n", render(t, Text, r))
	var j map[string]any
	require.NoError(t, json.Unmarshal([]byte(render(t, JSON, r)), &j))
	assert.Equal(t, []any{}, j["findings"])
	var s sarifLog
	require.NoError(t, json.Unmarshal([]byte(render(t, SARIF, r)), &s))
	assert.Equal(t, "2.1.0", s.Version)
	assert.Empty(t, s.Runs[0].Results)
	assert.Len(t, s.Runs[0].Tool.Driver.Rules, 1)
	var ju junitSuites
	require.NoError(t, xml.Unmarshal([]byte(render(t, JUnit, r)), &ju))
	assert.Equal(t, 1, ju.Tests)
	assert.Equal(t, 0, ju.Failures)
	assert.Empty(t, render(t, GitHub, r))
}

func TestFindingWithoutPositionAndEscaping(t *testing.T) {
	f := finding.Finding{Rule: "r", Severity: finding.SeverityError, Message: "50% done,\nreally: yes", File: "a,b:c.yaml",
		Resource: manifest.Ref{Kind: "Job", Name: "x"}}
	r := Report{Findings: []finding.Finding{f}, Rules: rules, Objects: 1, FailOn: finding.SeverityWarning}
	assert.Equal(t, "::error file=a%2Cb%3Ac.yaml,title=hookguard r::50%25 done,%0Areally: yes Fix: \n", render(t, GitHub, r))
	var s sarifLog
	require.NoError(t, json.Unmarshal([]byte(render(t, SARIF, r)), &s))
	assert.Nil(t, s.Runs[0].Results[0].Locations[0].PhysicalLocation.Region, "no region without a line")
	var ju junitSuites
	require.NoError(t, xml.Unmarshal([]byte(render(t, JUnit, r)), &ju))
	assert.Equal(t, 1, ju.Failures)
}

func TestSARIFRejectsUnknownRule(t *testing.T) {
	r := Report{Findings: []finding.Finding{{Rule: "nope", Severity: finding.SeverityInfo}}, Rules: rules}
	assert.Error(t, Write(&bytes.Buffer{}, SARIF, r, Options{}))
}

func TestParseFormat(t *testing.T) {
	_, err := ParseFormat("yaml")
	assert.EqualError(t, err, `invalid output format "yaml": want one of text, json, sarif, junit, github`)
	f, err := ParseFormat("sarif")
	require.NoError(t, err)
	assert.Equal(t, SARIF, f)
}
