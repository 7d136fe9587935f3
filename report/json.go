package report

import (
	"encoding/json"
	"io"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() { register(JSON, func(w io.Writer, r Report, _ Options) error { return writeJSON(w, r) }) }

type jsonReport struct {
	Findings []finding.Finding `json:"findings"`
	Summary  Summary           `json:"summary"`
	Apps     []AppSummary      `json:"apps,omitempty"`
}

func writeJSON(w io.Writer, r Report) error {
	fs := r.Findings
	if fs == nil {
		fs = []finding.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Findings: fs, Summary: Summarize(r), Apps: r.Apps})
}
