package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() {
	register(JUnit, func(w io.Writer, r Report, _ Options) error { return writeJUnit(w, r) })
}

// The document follows the strict Apache Ant JUnit schema, which CI
// servers' JUnit readers accept as their common ground, and Jenkins xUnit's
// junit-10.xsd: a bare <testsuites>; every <testsuite> with its package,
// id, counts, time, timestamp and hostname, then <properties>, the cases,
// <system-out> and <system-err>, in that order; a <testcase> holds at most
// one <failure> or <skipped> and no output of its own. report/testdata
// has both schemas; a test validates against them with xmllint.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string      `xml:"name,attr"`
	Package    string      `xml:"package,attr"`
	ID         int         `xml:"id,attr"`
	Tests      int         `xml:"tests,attr"`
	Failures   int         `xml:"failures,attr"`
	Errors     int         `xml:"errors,attr"`
	Skipped    int         `xml:"skipped,attr"`
	Time       string      `xml:"time,attr"`
	Timestamp  string      `xml:"timestamp,attr"`
	Hostname   string      `xml:"hostname,attr"`
	Properties struct{}    `xml:"properties"`
	Cases      []junitCase `xml:"testcase"`
	SystemOut  string      `xml:"system-out"`
	SystemErr  string      `xml:"system-err"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// writeJUnit writes one suite per file and one case per finding. A finding
// at or above the fail-on severity fails its case; one below passes, and
// its text goes to the suite's output (the Ant schema gives a case none);
// a suppressed finding is a skipped case that says why.
func writeJUnit(w io.Writer, r Report) error {
	when, host := junitRun()
	var doc junitSuites
	for _, file := range files(r.Findings) {
		name := file
		if name == "" {
			name = "(no file)" // the Ant schema wants a name
		}
		suite := junitSuite{Name: name, Package: "hookguard", ID: len(doc.Suites), Time: "0", Timestamp: when, Hostname: host}
		var out []string
		for _, f := range r.Findings {
			if f.File != file {
				continue
			}
			c := junitCase{Name: fmt.Sprintf("%s: %s", f.Rule, f.Resource), ClassName: file, Time: "0"}
			if f.App != "" {
				c.Name += " (Application " + f.App + ")"
			}
			where := f.File
			if f.Line > 0 {
				where = fmt.Sprintf("%s:%d", f.File, f.Line)
			}
			text := fmt.Sprintf("%s: %s\nfix: %s", where, f.Message, f.Remediation)
			switch {
			case f.Suppression != nil:
				why := "suppressed"
				if f.Suppression.Reason != "" {
					why += ": " + f.Suppression.Reason
				}
				c.Skipped = &junitSkipped{Message: why}
				suite.Skipped++
			case f.Severity.Rank() >= r.FailOn.Rank():
				c.Failure = &junitFailure{Message: f.Message, Type: string(f.Severity), Text: text}
				suite.Failures++
			default:
				out = append(out, fmt.Sprintf("%s (%s, below the fail-on severity): %s", c.Name, f.Severity, text))
			}
			suite.Tests++
			suite.Cases = append(suite.Cases, c)
		}
		suite.SystemOut = strings.Join(out, "\n")
		doc.Suites = append(doc.Suites, suite)
	}
	if len(doc.Suites) == 0 {
		doc.Suites = []junitSuite{{Name: "hookguard", Package: "hookguard", Tests: 1, Time: "0", Timestamp: when, Hostname: host,
			Cases: []junitCase{{Name: fmt.Sprintf("lint %s", finding.Count(r.Objects, "object")), ClassName: "hookguard", Time: "0"}}}}
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

// junitRun is the run's timestamp (UTC, without a zone, as the Ant schema
// wants it) and host. With SOURCE_DATE_EPOCH set
// (reproducible-builds.org/specs/source-date-epoch) the report is the same
// wherever it is made: that time, and "localhost", the schema's name for a
// host not known.
func junitRun() (timestamp, host string) {
	const layout = "2006-01-02T15:04:05"
	if s, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		if sec, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return time.Unix(sec, 0).UTC().Format(layout), "localhost"
		}
	}
	host, err := os.Hostname()
	if err != nil || strings.TrimSpace(host) == "" {
		host = "localhost"
	}
	return time.Now().UTC().Format(layout), host
}
