package lint

import (
	"fmt"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
)

// DocsBase is where the repository's files are published: rule pages
// (rules/<category>/<id>/README.md) and the configuration schema. Defined
// once; SARIF helpUri and text output link through it.
const DocsBase = "https://github.com/hookguard/hookguard/blob/main/"

// SchemaURL is the JSON Schema of .hookguard.yaml, raw, for editors.
const SchemaURL = "https://raw.githubusercontent.com/hookguard/hookguard/main/docs/hookguard.schema.json"

// DocURL is a built-in rule's page; custom rules have none ("").
func DocURL(r finding.Rule) string {
	if !r.Builtin || r.Category == "" {
		return ""
	}
	return DocsBase + "rules/" + r.Category + "/" + r.ID + "/README.md"
}

var mdEscape = strings.NewReplacer("|", `\|`, "\n", " ")

// RulesTable is the README's rule table.
func RulesTable(rules []finding.Rule) string {
	var b strings.Builder
	b.WriteString("| id | severity | what it catches | fix |\n|---|---|---|---|\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, mdEscape.Replace(r.Description), mdEscape.Replace(r.Remediation))
	}
	return b.String()
}

// RuleDoc is a rule's page, generated from its METADATA and its examples:
// rules/<category>/<id>/README.md.
func RuleDoc(r finding.Rule, bad, good []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from the rule's METADATA and examples: go test ./cmd/hookguard -update -->\n# %s\n\n", r.ID)
	fmt.Fprintf(&b, "**%s**\n\n", r.Title)
	fmt.Fprintf(&b, "| severity | scope | category | kinds |\n|---|---|---|---|\n| %s | %s | %s | %s |\n\n", r.Severity, r.Scope, r.Category, kindList(r.Kinds))
	fmt.Fprintf(&b, "%s\n\n## Fix\n\n%s\n", r.Description, r.Remediation)
	if len(r.Parameters) > 0 {
		b.WriteString("\n## Settings\n\nSet in `.hookguard.yaml` under `settings:`.\n\n| name | type | default | meaning |\n|---|---|---|---|\n")
		for _, p := range r.Parameters {
			fmt.Fprintf(&b, "| `%s` | %s | `%v` | %s |\n", p.Name, p.Type, p.Default, mdEscape.Replace(p.Description))
		}
	}
	for _, ex := range []struct {
		title string
		text  []byte
	}{{"Fires on", bad}, {"Passes", good}} {
		fmt.Fprintf(&b, "\n## %s\n\n```yaml\n%s", ex.title, ex.text)
		if len(ex.text) > 0 && ex.text[len(ex.text)-1] != '\n' {
			b.WriteString("\n")
		}
		b.WriteString("```\n")
	}
	fmt.Fprintf(&b, "\nSuppress on one object with the annotation `hookguard.io/ignore: \"%s: <reason>\"`, or switch it off in `.hookguard.yaml` (`rules: {%s: {enabled: false}}`).\n", r.ID, r.ID)
	return b.String()
}

func kindList(kinds []string) string {
	if len(kinds) == 0 {
		return "any"
	}
	return strings.Join(kinds, ", ")
}
