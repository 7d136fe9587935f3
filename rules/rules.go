// Package rules embeds hookguard's Rego rule catalog and its shared library.
//
// Layout: one folder per rule, <category>/<rule-id>/, holding <rule_id>.rego
// (package hookguard.rules.<category>["<rule-id>"]), its _test.rego, and
// bad.yaml and good.yaml examples; lib/ holds helpers. The patterns below
// take every category, so adding a rule or a category touches only its folder.
package rules

import "embed"

// FS holds every .rego file of the catalog, tests included.
//
//go:embed */*.rego */*/*.rego
var FS embed.FS
