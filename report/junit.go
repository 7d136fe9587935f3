package report

import (
	"encoding/xml"
	"fmt"
	"io"
)

func init() {
	register(JUnit, func(w io.Writer, r Report, _ Options) error { return writeJUnit(w, r) })
}

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
			if f.App != "" {
				c.Name += " (Application " + f.App + ")"
			}
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
