package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/manifest"
)

// The JSON report is streamed; it must stay byte for byte what encoding
// the whole report with json.Encoder and a two-space indent gives.
func TestJSONStreamsTheEncoderForm(t *testing.T) {
	many := make([]finding.Finding, 3)
	for i := range many {
		many[i] = finding.Finding{Rule: "r", Severity: finding.SeverityWarning, Message: fmt.Sprintf("<a & b> \"%d\" é\u2028", i),
			File: "x.yaml", Line: i + 1, Column: 2, Resource: manifest.Ref{APIVersion: "v1", Kind: "Job", Name: "j"}}
	}
	many[1].Suppression = &finding.Suppression{Kind: "inSource", Reason: "known"}
	for name, fs := range map[string][]finding.Finding{"none": nil, "empty": {}, "one": many[:1], "many": many} {
		r := Report{Findings: fs, Rules: rules, Objects: 4, FailOn: finding.SeverityWarning}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		all := fs
		if all == nil {
			all = []finding.Finding{}
		}
		require.NoError(t, enc.Encode(jsonReport{Findings: all, Summary: Summarize(r)}))
		assert.Equal(t, want.String(), render(t, JSON, r), name)
	}
}

// jsonReport is the document's shape, for the test to encode at once.
type jsonReport struct {
	Findings []finding.Finding `json:"findings"`
	Summary  Summary           `json:"summary"`
}
