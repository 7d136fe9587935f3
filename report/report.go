// Package report writes lint results in the formats hookguard supports. Each
// reporter writes to an io.Writer and never changes the report.
package report

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
)

// Report is what a reporter renders.
type Report struct {
	Findings []finding.Finding
	// Rules is the catalog, for formats that describe rules (SARIF).
	Rules []finding.Rule
	// Objects is the number of objects linted.
	Objects int
	// FailOn is the lowest severity that fails the run.
	FailOn finding.Severity
	// Version is hookguard's version.
	Version string
	// Apps summarizes each Argo CD Application of a `lint --apps` run.
	Apps []AppSummary
}

// Format names an output format. Each format is one file of this package
// that registers its writer; nothing else lists them.
type Format string

const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	JUnit  Format = "junit"
	GitHub Format = "github"
)

// writer renders a report in one format.
type writer func(io.Writer, Report, Options) error

var (
	writers = map[Format]writer{}
	// Formats lists the registered formats, in the order they are named.
	Formats []Format
)

// register adds a format; each format's file calls it from init.
func register(f Format, w writer) {
	writers[f] = w
	Formats = append(Formats, f)
	slices.SortStableFunc(Formats, func(a, b Format) int { return formatRank(a) - formatRank(b) })
}

// formatRank keeps the documented order: text first, then the others.
func formatRank(f Format) int {
	if i := slices.Index([]Format{Text, JSON, SARIF, JUnit, GitHub}, f); i >= 0 {
		return i
	}
	return 100
}

// FormatNames is the list of formats for help and error texts.
func FormatNames() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// ParseFormat checks a format name, listing the valid ones when it is unknown.
func ParseFormat(s string) (Format, error) {
	if _, ok := writers[Format(s)]; ok {
		return Format(s), nil
	}
	return "", fmt.Errorf("invalid output format %q: want one of %s", s, FormatNames())
}

// Options change how a format renders.
type Options struct {
	// Color enables ANSI colours in text output (only on a terminal).
	Color bool
}

// Write renders r in format f.
func Write(w io.Writer, f Format, r Report, opts Options) error {
	write, ok := writers[f]
	if !ok {
		_, err := ParseFormat(string(f))
		return err
	}
	return write(w, r, opts)
}

// Summary counts findings.
type Summary struct {
	Objects    int              `json:"objects"`
	Errors     int              `json:"errors"`
	Warnings   int              `json:"warnings"`
	Info       int              `json:"info"`
	Suppressed int              `json:"suppressed"`
	ByRule     map[string]int   `json:"byRule"`
	Failed     bool             `json:"failed"`
	FailOn     finding.Severity `json:"failOn"`
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
		case finding.SeverityError:
			s.Errors++
		case finding.SeverityWarning:
			s.Warnings++
		case finding.SeverityInfo:
			s.Info++
		}
		if f.Severity.Rank() >= r.FailOn.Rank() {
			s.Failed = true
		}
	}
	return s
}

// visible are the unsuppressed findings.
func visible(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Suppression == nil {
			out = append(out, f)
		}
	}
	return out
}

// files returns the distinct files of the findings, sorted.
func files(fs []finding.Finding) []string {
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
