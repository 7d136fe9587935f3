// Package report writes lint results in the formats hookguard supports. Each
// reporter writes to an io.Writer and never changes the report.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hookguard/hookguard/lint"
)

// Report is what a reporter renders.
type Report struct {
	Findings []lint.Finding
	// Rules is the catalog, for formats that describe rules (SARIF).
	Rules []lint.Rule
	// Objects is the number of objects linted.
	Objects int
	// FailOn is the lowest severity that fails the run.
	FailOn lint.Severity
	// Version is hookguard's version.
	Version string
}

// Format names an output format.
type Format string

const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	JUnit  Format = "junit"
	GitHub Format = "github"
)

// Formats lists the valid formats.
var Formats = []Format{Text, JSON, SARIF, JUnit, GitHub}

// ParseFormat checks a format name, listing the valid ones when it is unknown.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("invalid output format %q: want one of %s", s, strings.Join(names, ", "))
}

// Options change how a format renders.
type Options struct {
	// Color enables ANSI colours in text output (only on a terminal).
	Color bool
}

// Write renders r in format f.
func Write(w io.Writer, f Format, r Report, opts Options) error {
	switch f {
	case Text:
		return writeText(w, r, opts.Color)
	case JSON:
		return writeJSON(w, r)
	case SARIF:
		return writeSARIF(w, r)
	case JUnit:
		return writeJUnit(w, r)
	case GitHub:
		return writeGitHub(w, r)
	}
	_, err := ParseFormat(string(f))
	return err
}

// Summary counts findings.
type Summary struct {
	Objects    int            `json:"objects"`
	Errors     int            `json:"errors"`
	Warnings   int            `json:"warnings"`
	Info       int            `json:"info"`
	Suppressed int            `json:"suppressed"`
	ByRule     map[string]int `json:"byRule"`
	Failed     bool           `json:"failed"`
	FailOn     lint.Severity  `json:"failOn"`
}

// Summarize counts r's findings; suppressed ones only in Suppressed.
func Summarize(r Report) Summary {
	s := Summary{Objects: r.Objects, ByRule: map[string]int{}, FailOn: r.FailOn}
	for _, f := range r.Findings {
		if f.Suppression != nil {
			s.Suppressed++
			continue
		}
		s.ByRule[f.Rule]++
		switch f.Severity {
		case lint.SeverityError:
			s.Errors++
		case lint.SeverityWarning:
			s.Warnings++
		case lint.SeverityInfo:
			s.Info++
		}
		if f.Severity.Rank() >= r.FailOn.Rank() {
			s.Failed = true
		}
	}
	return s
}

// visible are the unsuppressed findings.
func visible(fs []lint.Finding) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

// files returns the distinct files of the findings, sorted.
func files(fs []lint.Finding) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range fs {
		if !seen[f.File] {
			seen[f.File] = true
			out = append(out, f.File)
		}
	}
	sort.Strings(out)
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
