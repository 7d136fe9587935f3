package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/lint"
)

// ---- text ----

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
)

func writeText(w io.Writer, r Report, color bool) error {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	sevColor := map[lint.Severity]string{lint.SeverityError: ansiRed, lint.SeverityWarning: ansiYellow, lint.SeverityInfo: ansiBlue}
	shown := visible(r.Findings)
	var b strings.Builder
	for _, file := range files(shown) {
		b.WriteString(paint(ansiBold, file) + "\n")
		for _, f := range shown {
			if f.File != file {
				continue
			}
			pos := "-" // a rendered object: no line in its template
			if f.Line > 0 {
				pos = fmt.Sprintf("%d:%d", f.Line, f.Column)
			}
			fmt.Fprintf(&b, "  %-7s %s %s  %s\n", pos, paint(sevColor[f.Severity], fmt.Sprintf("%-7s", f.Severity)), paint(ansiDim, f.Rule), f.Message)
			if f.Remediation != "" {
				fmt.Fprintf(&b, "  %-7s %-7s fix: %s\n", "", "", f.Remediation)
			}
		}
		b.WriteString("\n")
	}
	s := Summarize(r)
	line := fmt.Sprintf("%s, %s, %d info in %s", plural(s.Errors, "error"), plural(s.Warnings, "warning"), s.Info, plural(s.Objects, "object"))
	if s.Suppressed > 0 {
		line += fmt.Sprintf(" (%d suppressed)", s.Suppressed)
	}
	b.WriteString(line + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// ---- json ----

type jsonReport struct {
	Findings []lint.Finding `json:"findings"`
	Summary  Summary        `json:"summary"`
}

func writeJSON(w io.Writer, r Report) error {
	fs := r.Findings
	if fs == nil {
		fs = []lint.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Findings: fs, Summary: Summarize(r)})
}

// ---- sarif ----

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation map[string]string `json:"artifactLocation"`
	Region           map[string]int    `json:"region,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

var sarifLevel = map[lint.Severity]string{lint.SeverityError: "error", lint.SeverityWarning: "warning", lint.SeverityInfo: "note"}

// sarifURI is a relative URI with forward slashes, as code scanning wants.
func sarifURI(file string) string {
	if file == "<stdin>" {
		return "stdin"
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(file)), "./")
}

func writeSARIF(w io.Writer, r Report) error {
	driver := sarifDriver{Name: "hookguard", InformationURI: "https://github.com/hookguard/hookguard", Version: r.Version, Rules: []sarifRule{}}
	index := map[string]int{}
	for _, rule := range r.Rules {
		index[rule.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:               rule.ID,
			Name:             rule.Title,
			ShortDescription: sarifText{Text: rule.Title},
			FullDescription:  sarifText{Text: rule.Description},
			Help: sarifText{
				Text:     rule.Description + "\n\nFix: " + rule.Remediation,
				Markdown: fmt.Sprintf("**%s**\n\n%s\n\n**Fix:** %s", rule.Title, rule.Description, rule.Remediation),
			},
			DefaultConfiguration: map[string]any{"level": sarifLevel[rule.Severity]},
			Properties:           map[string]any{"tags": []string{"argocd", "hooks", rule.Category}},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range r.Findings {
		idx, ok := index[f.Rule]
		if !ok {
			return fmt.Errorf("internal: finding of rule %q that is not in the catalog", f.Rule)
		}
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: idx, Level: sarifLevel[f.Severity],
			Message: sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: map[string]string{"uri": sarifURI(f.File)},
				Region:           region(f),
			}}},
		}
		if f.Suppression != nil {
			res.Suppressions = []sarifSuppression{{Kind: f.Suppression.Kind, Justification: f.Suppression.Reason}}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

func region(f lint.Finding) map[string]int {
	if f.Line <= 0 {
		return nil
	}
	m := map[string]int{"startLine": f.Line}
	if f.Column > 0 {
		m["startColumn"] = f.Column
	}
	return m
}

// ---- junit ----

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one suite per file and one case per finding; findings
// below the fail-on severity pass, with their message as output.
func writeJUnit(w io.Writer, r Report) error {
	doc := junitSuites{Name: "hookguard"}
	shown := visible(r.Findings)
	for _, file := range files(shown) {
		suite := junitSuite{Name: file}
		for _, f := range shown {
			if f.File != file {
				continue
			}
			c := junitCase{Name: fmt.Sprintf("%s: %s", f.Rule, f.Resource), ClassName: file}
			text := fmt.Sprintf("%s:%d: %s\nfix: %s", f.File, f.Line, f.Message, f.Remediation)
			if f.Severity.Rank() >= r.FailOn.Rank() {
				c.Failure = &junitFailure{Message: f.Message, Type: string(f.Severity), Text: text}
				suite.Failures++
			} else {
				c.SystemOut = text
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, c)
		}
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Suites = append(doc.Suites, suite)
	}
	if len(doc.Suites) == 0 {
		doc.Suites = []junitSuite{{Name: "hookguard", Tests: 1, Cases: []junitCase{{Name: fmt.Sprintf("lint %s", plural(r.Objects, "object")), ClassName: "hookguard"}}}}
		doc.Tests = 1
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// ---- github ----

var githubLevel = map[lint.Severity]string{lint.SeverityError: "error", lint.SeverityWarning: "warning", lint.SeverityInfo: "notice"}

// githubEscape escapes workflow-command data; props also escape ":" and ",".
func githubEscape(s string, prop bool) string {
	s = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
	if prop {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

func writeGitHub(w io.Writer, r Report) error {
	var b strings.Builder
	for _, f := range visible(r.Findings) {
		pos := ""
		if f.Line > 0 {
			pos = fmt.Sprintf(",line=%d,col=%d", f.Line, f.Column)
		}
		fmt.Fprintf(&b, "::%s file=%s%s,title=%s::%s\n",
			githubLevel[f.Severity], githubEscape(f.File, true), pos,
			githubEscape("hookguard "+f.Rule, true), githubEscape(f.Message+" Fix: "+f.Remediation, false))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
