package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() {
	register(SARIF, func(w io.Writer, r Report, _ Options) error { return writeSARIF(w, r) })
}

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

var sarifLevel = map[finding.Severity]string{finding.SeverityError: "error", finding.SeverityWarning: "warning", finding.SeverityInfo: "note"}

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

func region(f finding.Finding) map[string]int {
	if f.Line <= 0 {
		return nil
	}
	m := map[string]int{"startLine": f.Line}
	if f.Column > 0 {
		m["startColumn"] = f.Column
	}
	return m
}
