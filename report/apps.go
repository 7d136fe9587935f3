package report

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/hookguard/hookguard/internal/finding"
)

// AppSummary is one Application of a `lint --apps` run: what it rendered
// and what was found in it. Status is "ok", "findings", "not rendered: why"
// or "error: why".
type AppSummary struct {
	App      string `json:"app"`
	Objects  int    `json:"objects"`
	Hooks    int    `json:"hooks"`
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	Info     int    `json:"info"`
	Status   string `json:"status"`
}

// CountFindings fills the severity counts of each row from the findings
// (unsuppressed) that name its app.
func CountFindings(rows []AppSummary, fs []finding.Finding) {
	at := map[string]*AppSummary{}
	for i := range rows {
		at[rows[i].App] = &rows[i]
	}
	for _, f := range fs {
		row := at[f.App]
		if row == nil || f.Suppression != nil {
			continue
		}
		switch f.Severity {
		case finding.SeverityError:
			row.Errors++
		case finding.SeverityWarning:
			row.Warnings++
		case finding.SeverityInfo:
			row.Info++
		}
	}
}

// appTable is the text summary of apps: one row per app and a total.
func appTable(b *strings.Builder, rows []AppSummary) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "APPLICATION\tOBJECTS\tHOOKS\tERRORS\tWARNINGS\tINFO\tSTATUS")
	var total AppSummary
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.App, r.Objects, r.Hooks, r.Errors, r.Warnings, r.Info, r.Status)
		total.Objects += r.Objects
		total.Hooks += r.Hooks
		total.Errors += r.Errors
		total.Warnings += r.Warnings
		total.Info += r.Info
	}
	fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", finding.Count(len(rows), "app"), total.Objects, total.Hooks, total.Errors, total.Warnings, total.Info)
	_ = tw.Flush()
	b.WriteString("\n")
}
