package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() {
	register(SARIF, func(w io.Writer, r Report, _ Options) error { return writeSARIF(w, r) })
}

// sarifSchema is the schema URI hookguard has always written; go-sarif's
// default for 2.1.0 is the OASIS one, which names the same schema.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

var sarifLevel = map[finding.Severity]string{finding.SeverityError: "error", finding.SeverityWarning: "warning", finding.SeverityInfo: "note"}

// sarifURI is a relative URI with forward slashes, as code scanning wants.
func sarifURI(file string) string {
	if file == "<stdin>" {
		return "stdin"
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(file)), "./")
}

func writeSARIF(w io.Writer, r Report) error {
	doc, err := sarifReport(r)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLogJSON(doc))
}

// sarifReport builds the SARIF 2.1.0 log of a report: one run, every rule of
// the catalog, one result per finding.
func sarifReport(r Report) (*sarif.Report, error) {
	doc, err := sarif.New(sarif.Version210)
	if err != nil {
		return nil, err
	}
	doc.Schema = sarifSchema
	run := sarif.NewRunWithInformationURI("hookguard", "https://github.com/hookguard/hookguard")
	if r.Version != "" {
		run.Tool.Driver.WithVersion(r.Version)
	}
	for _, rule := range r.Rules {
		run.Tool.Driver.AddRule(sarif.NewRule(rule.ID).
			WithName(rule.Title).
			WithShortDescription(sarif.NewMultiformatMessageString(rule.Title)).
			WithFullDescription(sarif.NewMultiformatMessageString(rule.Description)).
			WithHelp(sarif.NewMultiformatMessageString(rule.Description + "\n\nFix: " + rule.Remediation).
				WithMarkdown(fmt.Sprintf("**%s**\n\n%s\n\n**Fix:** %s", rule.Title, rule.Description, rule.Remediation))).
			WithHelpURI(rule.HelpURI).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel[rule.Severity])).
			WithProperties(sarif.Properties{"tags": []string{"argocd", "hooks", rule.Category}}))
	}
	for _, d := range run.Tool.Driver.Rules {
		if d.HelpURI != nil && *d.HelpURI == "" { // a custom rule without a page
			d.HelpURI = nil
		}
	}
	for _, f := range r.Findings {
		if _, err := run.GetRuleById(f.Rule); err != nil {
			return nil, fmt.Errorf("internal: finding of rule %q that is not in the catalog", f.Rule)
		}
		// CreateResultForRule sets ruleIndex from the driver's rules.
		res := run.CreateResultForRule(f.Rule).
			WithLevel(sarifLevel[f.Severity]).
			WithMessage(sarif.NewTextMessage(f.Message))
		loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(sarifURI(f.File))).
			WithRegion(region(f)))
		if f.App != "" {
			// The Argo CD Application the object belongs to (lint --apps).
			loc.WithLogicalLocations([]*sarif.LogicalLocation{sarif.NewLogicalLocation().WithName(f.App).WithKind("argocdApplication")})
			res.Properties = sarif.Properties{"argocdApplication": f.App}
		}
		res.AddLocation(loc)
		if f.Suppression != nil {
			s := sarif.NewSuppression(f.Suppression.Kind)
			if f.Suppression.Reason != "" {
				s.WithJustifcation(f.Suppression.Reason)
			}
			res.AddSuppression(s)
		}
	}
	doc.AddRun(run)
	return doc, nil
}

// region is a finding's start position. Code scanning drops a result
// without one, so a finding whose line is unknown points at the file's
// first line.
func region(f finding.Finding) *sarif.Region {
	if f.Line <= 0 {
		return sarif.NewRegion().WithStartLine(1)
	}
	reg := sarif.NewRegion().WithStartLine(f.Line)
	if f.Column > 0 {
		reg.WithStartColumn(f.Column)
	}
	return reg
}

// go-sarif v2 tags the optional members of a suppression (status, location,
// guid, justification) without omitempty, so unset ones would be written as
// null, which the SARIF schema rejects. The types below encode the log as
// the library does except for suppressions, whose unset members they omit.

// sarifLogJSON wraps a log for encoding.
func sarifLogJSON(doc *sarif.Report) any {
	out := struct {
		*sarif.Report
		Runs []sarifRunJSON `json:"runs"`
	}{Report: doc, Runs: make([]sarifRunJSON, len(doc.Runs))}
	for i, run := range doc.Runs {
		out.Runs[i] = sarifRunJSON{Run: run, Results: make([]sarifResultJSON, len(run.Results))}
		for j, res := range run.Results {
			out.Runs[i].Results[j] = sarifResultJSON{Result: res}
			for _, s := range res.Suppressions {
				out.Runs[i].Results[j].Suppressions = append(out.Runs[i].Results[j].Suppressions, sarifSuppressionJSON(*s))
			}
		}
	}
	return out
}

type sarifRunJSON struct {
	*sarif.Run
	Results []sarifResultJSON `json:"results"`
}

type sarifResultJSON struct {
	*sarif.Result
	Suppressions []sarifSuppressionJSON `json:"suppressions,omitempty"`
}

// sarifSuppressionJSON is sarif.Suppression with omitempty on its optional
// members; the conversion from sarif.Suppression stops compiling if the
// library changes that type.
type sarifSuppressionJSON struct {
	Kind          string          `json:"kind"`
	Status        *string         `json:"status,omitempty"`
	Location      *sarif.Location `json:"location,omitempty"`
	Guid          *string         `json:"guid,omitempty"`
	Justification *string         `json:"justification,omitempty"`
	sarif.PropertyBag
}
