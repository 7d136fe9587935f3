package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/fatih/color"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() { register(Text, writeText) }

// Text styles; colour is switched per report, never from global state.
var (
	styleFile = []color.Attribute{color.Bold}
	styleRule = []color.Attribute{color.Faint}
	styleSev  = map[finding.Severity][]color.Attribute{
		finding.SeverityError: {color.FgRed}, finding.SeverityWarning: {color.FgYellow}, finding.SeverityInfo: {color.FgBlue},
	}
)

func writeText(w io.Writer, r Report, opts Options) error {
	paint := func(style []color.Attribute, s string) string {
		if !opts.Color {
			return s
		}
		c := color.New(style...)
		c.EnableColor()
		return c.Sprint(s)
	}
	shown := visible(r.Findings)
	var b strings.Builder
	for _, group := range appGroups(shown) {
		indent := ""
		if group.app != "" {
			b.WriteString(paint(styleFile, "Application "+group.app) + "\n")
			indent = "  "
		}
		for _, file := range files(group.findings) {
			writeFileFindings(&b, paint, indent, file, group.findings, r.Rules)
		}
	}
	if len(r.Apps) > 0 {
		appTable(&b, r.Apps)
	}
	s := Summarize(r)
	line := fmt.Sprintf("%s, %s, %d info in %s", finding.Count(s.Errors, "error"), finding.Count(s.Warnings, "warning"), s.Info, finding.Count(s.Objects, "object"))
	if s.Suppressed > 0 {
		line += fmt.Sprintf(" (%d suppressed)", s.Suppressed)
	}
	b.WriteString(line + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// helpURI is the documentation page of a rule, or "".
func helpURI(rules []finding.Rule, id string) string {
	for _, r := range rules {
		if r.ID == id {
			return r.HelpURI
		}
	}
	return ""
}

// writeFileFindings writes one file's findings under its name.
func writeFileFindings(b *strings.Builder, paint func([]color.Attribute, string) string, indent, file string, shown []finding.Finding, rules []finding.Rule) {
	b.WriteString(indent + paint(styleFile, file) + "\n")
	for _, f := range shown {
		if f.File != file {
			continue
		}
		pos := "-" // a rendered object: no line in its template
		if f.Line > 0 {
			pos = fmt.Sprintf("%d:%d", f.Line, f.Column)
		}
		fmt.Fprintf(b, "%s  %-7s %s %s  %s\n", indent, pos, paint(styleSev[f.Severity], fmt.Sprintf("%-7s", f.Severity)), paint(styleRule, f.Rule), f.Message)
		if f.Remediation != "" {
			fmt.Fprintf(b, "%s  %-7s %-7s fix: %s\n", indent, "", "", f.Remediation)
		}
		if u := helpURI(rules, f.Rule); u != "" {
			fmt.Fprintf(b, "%s  %-7s %-7s see: %s\n", indent, "", "", u)
		}
	}
	b.WriteString("\n")
}

type appGroup struct {
	app      string
	findings []finding.Finding
}

// appGroups splits findings by Application (lint --apps), apps in name
// order; findings of no app form one group first.
func appGroups(fs []finding.Finding) []appGroup {
	by := map[string][]finding.Finding{}
	for _, f := range fs {
		by[f.App] = append(by[f.App], f)
	}
	var out []appGroup
	for _, name := range slices.Sorted(maps.Keys(by)) {
		out = append(out, appGroup{app: name, findings: by[name]})
	}
	return out
}
