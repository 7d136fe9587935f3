// Package rules embeds hookguard's Rego rule catalog and its shared library.
//
// Layout: <category>/<rule-id>/<rule_id>.rego with a _test.rego beside it, in
// package hookguard.rules.<category>["<rule-id>"]; lib/ holds helpers.
package rules

import "embed"

// FS holds every .rego file of the catalog, tests included.
//
//go:embed lib annotations lifecycle images ordering migrations
var FS embed.FS
