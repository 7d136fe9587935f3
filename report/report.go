// Package report writes lint results in the formats hookguard supports. Each
// reporter writes to an io.Writer and never changes the report.
package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// Output is one destination of a run's report: a format written to a file,
// or to standard output when File is empty.
type Output struct {
	Format Format
	File   string
}

// ParseOutputs reads the -o values, each FORMAT or FORMAT=FILE ("-" is
// standard output). At most one output goes to standard output, and no file
// is named twice, so every output of one run can be told apart.
func ParseOutputs(specs []string) ([]Output, error) {
	var outs []Output
	stdout := ""
	files := map[string]string{}
	for _, spec := range specs {
		name, file, hasFile := strings.Cut(spec, "=")
		f, err := ParseFormat(name)
		if err != nil {
			return nil, fmt.Errorf("-o %s: %w", spec, err)
		}
		if hasFile && file == "" {
			return nil, fmt.Errorf("-o %s: no file after \"=\": write -o %s=FILE, or -o %s for standard output", spec, name, name)
		}
		if file == "-" {
			file = ""
		}
		if file == "" {
			if stdout != "" {
				return nil, fmt.Errorf("-o %s and -o %s both write to standard output: give all but one a file (-o %s=FILE)", stdout, spec, name)
			}
			stdout = spec
		} else {
			key := filepath.Clean(file)
			if prev, ok := files[key]; ok {
				return nil, fmt.Errorf("-o %s and -o %s write the same file", prev, spec)
			}
			files[key] = spec
		}
		outs = append(outs, Output{Format: f, File: file})
	}
	if len(outs) == 0 {
		outs = []Output{{Format: Text}}
	}
	return outs, nil
}

// WriteOutputs renders r once per output. Files are written first, each
// whole or not at all (a temporary file beside it, renamed into place), so a
// failed run never leaves half a SARIF log for a later step to upload; then
// standard output. opts apply to standard output; files get no colour.
func WriteOutputs(stdout io.Writer, outs []Output, r Report, opts Options) error {
	var temps []string
	defer func() {
		for _, t := range temps {
			_ = os.Remove(t) // left only when a later output failed
		}
	}()
	var renames [][2]string
	for _, o := range outs {
		if o.File == "" {
			continue
		}
		tmp, err := writeTemp(o, r)
		if err != nil {
			return err
		}
		temps = append(temps, tmp)
		renames = append(renames, [2]string{tmp, o.File})
	}
	for _, rn := range renames {
		if err := os.Rename(rn[0], rn[1]); err != nil {
			return fmt.Errorf("writing %s: %w", rn[1], err)
		}
	}
	temps = nil
	for _, o := range outs {
		if o.File == "" {
			return Write(stdout, o.Format, r, opts)
		}
	}
	return nil
}

// writeTemp renders one file output into a temporary file in the target's
// directory (a rename within one file system is atomic) and returns its path.
func writeTemp(o Output, r Report) (string, error) {
	if info, err := os.Stat(o.File); err == nil && info.IsDir() {
		return "", fmt.Errorf("-o %s=%s: is a directory", o.Format, o.File)
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.File), "."+filepath.Base(o.File)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", o.File, err)
	}
	err = Write(tmp, o.Format, r, Options{})
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp's 0600 would hide the report from other CI users
	}
	err = errors.Join(err, tmp.Close())
	if err != nil {
		_ = os.Remove(tmp.Name())
		return "", fmt.Errorf("writing %s: %w", o.File, err)
	}
	return tmp.Name(), nil
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
