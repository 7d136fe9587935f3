package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
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
	var s sarif.Report
	require.NoError(t, json.Unmarshal([]byte(render(t, SARIF, r)), &s))
	assert.Equal(t, "2.1.0", s.Version)
	assert.Empty(t, s.Runs[0].Results)
	assert.Len(t, s.Runs[0].Tool.Driver.Rules, 1)
	var ju junitSuites
	require.NoError(t, xml.Unmarshal([]byte(render(t, JUnit, r)), &ju))
	assert.Equal(t, 1, ju.Suites[0].Tests)
	assert.Equal(t, 0, ju.Suites[0].Failures)
	assert.Empty(t, render(t, GitHub, r))
}

func TestFindingWithoutPositionAndEscaping(t *testing.T) {
	f := finding.Finding{Rule: "r", Severity: finding.SeverityError, Message: "50% done,\nreally: yes", File: "a,b:c.yaml",
		Resource: manifest.Ref{Kind: "Job", Name: "x"}}
	r := Report{Findings: []finding.Finding{f}, Rules: rules, Objects: 1, FailOn: finding.SeverityWarning}
	assert.Equal(t, "::error file=a%2Cb%3Ac.yaml,title=hookguard r::50%25 done,%0Areally: yes Fix: \n", render(t, GitHub, r))
	var s sarif.Report
	require.NoError(t, json.Unmarshal([]byte(render(t, SARIF, r)), &s))
	reg := s.Runs[0].Results[0].Locations[0].PhysicalLocation.Region
	require.NotNil(t, reg, "code scanning needs a region")
	assert.Equal(t, 1, *reg.StartLine, "the file's first line when the line is unknown")
	assert.Nil(t, reg.StartColumn)
	var ju junitSuites
	junit := render(t, JUnit, r)
	require.NoError(t, xml.Unmarshal([]byte(junit), &ju))
	assert.Equal(t, 1, ju.Suites[0].Failures)
	assert.Contains(t, junit, ">a,b:c.yaml: 50% done,", "the file alone when the line is unknown")
	assert.NotContains(t, junit, "c.yaml:0", "no line 0")
}

// The SARIF log as code scanning reads it: the fields it needs, and no
// member written as null (the schema allows none).
func TestSARIFKeyFields(t *testing.T) {
	r := Report{Rules: rules, Version: "1.2.3", Findings: []finding.Finding{
		{Rule: "r", Severity: finding.SeverityWarning, Message: "m1", File: "./dir/a.yaml", Line: 3, Column: 5},
		{Rule: "r", Severity: finding.SeverityInfo, Message: "m2", File: "b.yaml", Line: 7,
			Suppression: &finding.Suppression{Kind: "inSource", Reason: "known"}},
		{Rule: "r", Severity: finding.SeverityError, Message: "m3", File: "<stdin>",
			Suppression: &finding.Suppression{Kind: "inSource"}},
	}}
	out := render(t, SARIF, r)
	assert.NotContains(t, out, "null")
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &s))
	assert.Equal(t, "https://json.schemastore.org/sarif-2.1.0.json", s["$schema"])
	assert.Equal(t, "2.1.0", s["version"])
	assert.Len(t, s, 3, "$schema, version and runs only")
	require.Len(t, s["runs"], 1)
	run := s["runs"].([]any)[0].(map[string]any)
	assert.Len(t, run, 2, "tool and results only")
	assert.Equal(t, map[string]any{
		"name": "hookguard", "informationUri": "https://github.com/hookguard/hookguard", "version": "1.2.3",
		"rules": []any{map[string]any{
			"id":                   "r",
			"name":                 "R",
			"shortDescription":     map[string]any{"text": "R"},
			"fullDescription":      map[string]any{"text": "d"},
			"help":                 map[string]any{"text": "d\n\nFix: fix it.", "markdown": "**R**\n\nd\n\n**Fix:** fix it."},
			"defaultConfiguration": map[string]any{"level": "error"},
			"properties":           map[string]any{"tags": []any{"argocd", "hooks", "c"}},
		}},
	}, run["tool"].(map[string]any)["driver"])
	loc := func(uri string, reg map[string]any) []any {
		pl := map[string]any{"artifactLocation": map[string]any{"uri": uri}}
		if reg != nil {
			pl["region"] = reg
		}
		return []any{map[string]any{"physicalLocation": pl}}
	}
	assert.Equal(t, []any{
		map[string]any{"ruleId": "r", "ruleIndex": 0.0, "level": "warning", "message": map[string]any{"text": "m1"},
			"locations": loc("dir/a.yaml", map[string]any{"startLine": 3.0, "startColumn": 5.0})},
		map[string]any{"ruleId": "r", "ruleIndex": 0.0, "level": "note", "message": map[string]any{"text": "m2"},
			"locations":    loc("b.yaml", map[string]any{"startLine": 7.0}),
			"suppressions": []any{map[string]any{"kind": "inSource", "justification": "known"}}},
		map[string]any{"ruleId": "r", "ruleIndex": 0.0, "level": "error", "message": map[string]any{"text": "m3"},
			"locations":    loc("stdin", map[string]any{"startLine": 1.0}),
			"suppressions": []any{map[string]any{"kind": "inSource"}}},
	}, run["results"])
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
