package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
)

// MarkdownMarker starts every markdown plan, so a CI step can find and
// update its earlier pull-request comment instead of adding another.
const MarkdownMarker = "<!-- hookguard-plan -->"

// MarkdownOptions configure a markdown plan.
type MarkdownOptions struct {
	// Title names what was planned (the paths), in the heading.
	Title string
	// Diff, when set, adds how the change alters the sync.
	Diff *Diff
}

// Markdown renders the plan as a pull-request comment (GitHub flavour): a
// summary line, the changes against a base when there is one, the Mermaid
// diagram (GitHub draws it), the findings and what is never applied.
func Markdown(p Plan, opts MarkdownOptions) string {
	var b strings.Builder
	b.WriteString(MarkdownMarker + "\n")
	title := "hookguard sync plan"
	if opts.Title != "" {
		title += " for " + code(opts.Title)
	}
	fmt.Fprintf(&b, "### %s\n\n%s\n\n", title, markdownSummary(p))

	if d := opts.Diff; d != nil {
		fmt.Fprintf(&b, "#### Changes against %s\n\n%s.\n\n", code(d.Base), diffSummary(*d))
		at := func(c Change) string {
			if c.File == "" {
				return ""
			}
			return " (" + code(location(Step{File: c.File, Line: c.Line})) + ")"
		}
		for _, c := range d.Changes {
			fmt.Fprintf(&b, "- %s\n", strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(oneLine(changeLine(c, at))))
		}
		if len(d.Changes) > 0 {
			b.WriteString("\n")
		}
	}

	b.WriteString("<details open><summary>Sync diagram (numbers are Argo CD's order; colour is the worst finding)</summary>\n\n")
	b.WriteString("```mermaid\n" + Mermaid(p) + "```\n\n</details>\n\n")

	rows := findingRows(p)
	if len(rows) > 0 {
		b.WriteString("#### Findings\n\n| Severity | Rule | Object | Where | Message |\n|---|---|---|---|---|\n")
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r.f.Severity, code(r.f.Rule), cell(r.object), r.where, cell(r.f.Message))
		}
		b.WriteString("\n")
	}
	if ns := never(p); len(ns) > 0 {
		b.WriteString("#### Never applied\n\n| Object | Where | Why |\n|---|---|---|\n")
		for _, s := range ns {
			fmt.Fprintf(&b, "| %s | %s | %s: %s |\n", cell(s.Display), code(location(s)), s.Role, cell(s.Reason))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func markdownSummary(p Plan) string {
	hooksN, resources := 0, 0
	seen := map[string]bool{}
	for _, ph := range append(append(append([]Phase{}, p.Phases...), p.SyncFail), p.Deletion...) {
		for _, w := range ph.Waves {
			for _, s := range w.Steps {
				if k := objectKey(s); !seen[k] {
					seen[k] = true
					if s.Role == string(hooks.RoleHook) || s.Role == string(hooks.RoleDeleteHook) {
						hooksN++
					} else {
						resources++
					}
				}
			}
		}
	}
	pauses := ""
	if p.MinimumAddedSeconds > 0 {
		pauses = fmt.Sprintf(" (at least %d s of pauses)", p.MinimumAddedSeconds)
	}
	parts := []string{
		"Argo CD " + p.ArgoCDVersion,
		fmt.Sprintf("**%s**%s", finding.Count(p.Waves, "wave"), pauses),
		fmt.Sprintf("%s, %s", finding.Count(hooksN, "hook"), finding.Count(resources, "resource")),
	}
	if n := len(never(p)); n > 0 {
		parts = append(parts, fmt.Sprintf("%d never applied", n))
	}
	counts := map[string]int{}
	for _, r := range findingRows(p) {
		counts[r.f.Severity]++
	}
	var fs []string
	for _, sev := range slices.Backward(finding.Severities) {
		if n := counts[string(sev)]; n > 0 {
			text := finding.Count(n, string(sev))
			if sev == finding.SeverityError {
				text = "**" + text + "**"
			}
			fs = append(fs, text)
		}
	}
	if len(fs) == 0 {
		fs = []string{"no findings"}
	}
	parts = append(parts, strings.Join(fs, ", "))
	return strings.Join(parts, " · ")
}

type findingRow struct {
	f      Finding
	object string
	where  string
}

// findingRows are the plan's findings, worst first, each once (a hook of
// several phases is one object).
func findingRows(p Plan) []findingRow {
	var rows []findingRow
	for _, f := range p.Findings {
		rows = append(rows, findingRow{f: f, object: "(the app)"})
	}
	seen := map[string]bool{}
	each := func(s Step) {
		id := objectKey(s) + "|" + location(s)
		if seen[id] {
			return
		}
		seen[id] = true
		for _, f := range s.Findings {
			rows = append(rows, findingRow{f: f, object: s.Display, where: code(location(s))})
		}
	}
	for _, ph := range append(append(append([]Phase{}, p.Phases...), p.SyncFail), p.Deletion...) {
		for _, w := range ph.Waves {
			for _, s := range w.Steps {
				each(s)
			}
		}
	}
	for _, s := range never(p) {
		each(s)
	}
	slices.SortStableFunc(rows, func(a, b findingRow) int {
		return finding.Severity(b.f.Severity).Rank() - finding.Severity(a.f.Severity).Rank()
	})
	return rows
}

// cell makes text safe in a table cell: one line, no column break, no
// HTML.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(oneLine(s))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// code is s as inline code, fenced with more backticks than it holds.
func code(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", `\|`) + pad + fence
}
