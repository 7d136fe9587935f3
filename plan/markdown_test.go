package plan

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/plan/plantest"
)

// tableRows are the body rows of the markdown table under heading.
func tableRows(t *testing.T, md, heading string) [][]string {
	t.Helper()
	_, rest, ok := strings.Cut(md, "#### "+heading+"\n\n")
	require.True(t, ok, "no %q section", heading)
	lines := strings.Split(rest, "\n")
	require.GreaterOrEqual(t, len(lines), 2)
	header := splitRow(lines[0])
	require.Regexp(t, `^\|(---\|)+$`, lines[1])
	var rows [][]string
	for _, l := range lines[2:] {
		if !strings.HasPrefix(l, "|") {
			break
		}
		r := splitRow(l)
		require.Len(t, r, len(header), "row %q", l)
		rows = append(rows, r)
	}
	return rows
}

// splitRow splits a table row on unescaped pipes.
func splitRow(l string) []string {
	var cells []string
	var cell strings.Builder
	l = strings.TrimSpace(l)
	for i := 1; i < len(l); i++ {
		switch {
		case l[i] == '\\' && i+1 < len(l):
			cell.WriteByte(l[i])
			cell.WriteByte(l[i+1])
			i++
		case l[i] == '|':
			cells = append(cells, cell.String())
			cell.Reset()
		default:
			cell.WriteByte(l[i])
		}
	}
	return cells
}

// The PR comment: the marker a CI step updates, a summary, a Mermaid
// diagram that is a well-formed flowchart, one row per finding (a hook of
// two phases once), worst first, and what is never applied.
func TestMarkdown(t *testing.T) {
	// Objects of shop: 0 validate, 4 check- (PreSync and PostSync), 7 typo.
	p := withFindings(t, shop,
		fnd(0, finding.SeverityWarning, "rule-w"), fnd(4, finding.SeverityError, "rule-e"), fnd(7, finding.SeverityError, "rule-typo"),
		finding.Finding{Rule: "app-rule", Severity: finding.SeverityInfo, Message: "about | the app <b>", Object: 0, Scope: finding.ScopeApp})
	md := Markdown(p, MarkdownOptions{Title: "apps/shop"})

	assert.True(t, strings.HasPrefix(md, MarkdownMarker+"\n### hookguard sync plan for `apps/shop`\n\n"))
	summary := strings.Split(md, "\n")[3]
	assert.Equal(t, "Argo CD "+p.ArgoCDVersion+" · **5 waves** (at least 8 s of pauses) · 5 hooks, 2 resources · 2 never applied · **2 errors**, 1 warning, 1 info", summary)

	m := regexp.MustCompile("(?s)```mermaid\n(.*?)```\n").FindStringSubmatch(md)
	require.NotNil(t, m)
	plantest.CheckMermaid(t, m[1])
	assert.Equal(t, Mermaid(p), m[1])

	rows := tableRows(t, md, "Findings")
	require.Len(t, rows, 4, "the hook of two phases is listed once")
	var sev []string
	for _, r := range rows {
		sev = append(sev, strings.TrimSpace(r[0]))
	}
	assert.Equal(t, []string{"error", "error", "warning", "info"}, sev)
	assert.Contains(t, md, "| info | `app-rule` | (the app) |  | about \\| the app &lt;b&gt; |")

	never := tableRows(t, md, "Never applied")
	assert.Len(t, never, len(p.Dropped)+len(p.Skipped))
	assert.Contains(t, md, "| Job typo | `app.yaml:")
	assert.NotContains(t, md, "#### Changes", "no base, no changes section")
}

func TestMarkdownNoFindings(t *testing.T) {
	md := Markdown(build(t, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n", hooks.Latest), MarkdownOptions{})
	assert.Contains(t, md, "### hookguard sync plan\n\n")
	assert.Contains(t, md, "**1 wave** · 0 hooks, 1 resource · no findings")
	assert.NotContains(t, md, "#### Findings")
	assert.NotContains(t, md, "#### Never applied")
}

func TestCode(t *testing.T) {
	assert.Equal(t, "`a|b`", strings.ReplaceAll(code("a|b"), `\|`, "|"))
	assert.Equal(t, "``a`b``", code("a`b"))
	assert.Equal(t, "`` `x ``", code("`x"))
	assert.Equal(t, "", code(""))
}
