// Package finding holds what the rules produce and the reporters, the plan
// and the CMP consume: findings, their severities and suppressions, and the
// catalog entry of each rule. It depends on nothing but the object identity.
package finding

import (
	"fmt"
	"strings"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Severity of a finding. The order matters: error > warning > info.
type Severity string

const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Severities lists the valid severities, lowest first.
var Severities = []Severity{SeverityInfo, SeverityWarning, SeverityError}

// Rank orders severities; an unknown one ranks below info.
func (s Severity) Rank() int {
	for i, x := range Severities {
		if x == s {
			return i
		}
	}
	return -1
}

// ParseSeverity accepts info, warning (or warn) and error.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return SeverityInfo, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "error":
		return SeverityError, nil
	}
	return "", fmt.Errorf("invalid severity %q: want one of info, warning, error", s)
}

// Scope says what a rule looks at: one object, or the app as a whole.
type Scope string

const (
	ScopeObject Scope = "object"
	ScopeApp    Scope = "app"
)

// Finding is one problem in one object. Its JSON form is public API.
type Finding struct {
	Rule        string       `json:"rule"`
	Severity    Severity     `json:"severity"`
	Message     string       `json:"message"`
	Remediation string       `json:"remediation,omitempty"`
	File        string       `json:"file"`
	Line        int          `json:"line"`
	Column      int          `json:"column,omitempty"`
	Source      string       `json:"source,omitempty"`
	Resource    manifest.Ref `json:"resource"`
	// App names the Argo CD Application the object belongs to
	// ("namespace/name" or "name"; lint --apps), else empty.
	App         string       `json:"app,omitempty"`
	Suppression *Suppression `json:"suppression,omitempty"`

	// Object is the index of the object in its app (app.Object.Index), and
	// Scope the rule's scope: an app-scope finding is anchored at an object
	// but speaks of the whole app.
	Object int   `json:"-"`
	Scope  Scope `json:"-"`
}

// Suppression records why a finding is not reported: the object's
// hookguard.io/ignore annotation, with the reason written after ":".
type Suppression struct {
	Kind   string `json:"kind"` // "inSource"
	Reason string `json:"reason,omitempty"`
}

// Failed reports whether an unsuppressed finding is at or above threshold.
func Failed(fs []Finding, threshold Severity) bool {
	for _, f := range fs {
		if f.Suppression == nil && f.Severity.Rank() >= threshold.Rank() {
			return true
		}
	}
	return false
}

// Rule is one entry of the catalog, read from a rule's METADATA block.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	Category    string   `json:"category"`
	// Builtin is false for rules loaded with --policy.
	Builtin bool `json:"builtin"`
	// File is the Rego file the rule is defined in.
	File string `json:"file"`
	// Scope is what the rule looks at; Kinds the object kinds it reads
	// (empty: any); Parameters the settings it reads from the input.
	Scope      Scope       `json:"scope"`
	Kinds      []string    `json:"kinds,omitempty"`
	Parameters []Parameter `json:"parameters,omitempty"`
	// HelpURI is the rule's documentation page (none for custom rules).
	HelpURI string `json:"helpUri,omitempty"`
}

// Parameter is a setting a rule reads, declared in its METADATA and set in
// .hookguard.yaml under settings.
type Parameter struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Type is "integer" (non-negative), "string" or "boolean".
	Type    string `json:"type"`
	Default any    `json:"default"`
}

// Count is n and its noun, the noun in the plural unless n is 1, as every
// report and message counts findings, objects and rules.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
