package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Opt-in features of a real chart that carry a hazard its default values do
// not render, linted again with the values a user sets to turn them on
// (SOURCES.md, "Opt-in renders").
var realWorldOptIns = map[string][][]string{
	// createAdminTokenJob (on by default) renders only with a persistent
	// object store: its pre-install Job runs kubectl create.
	"bitnami__charts__bitnami__influxdb": {{"--set", "objectStore=file"}},
}

// Real, widely used charts and GitOps repositories (testdata/realworld,
// licenses in its SOURCES.md): each source is linted as Argo CD would see
// it, and its findings per rule and severity, reviewed by hand, are pinned.
func TestRealWorldFindingsPerRule(t *testing.T) {
	root := filepath.Join(repoRoot, "testdata", "realworld")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("%s: %v", root, err)
	}
	var b strings.Builder
	sources := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sources++
		runs := append([][]string{nil}, realWorldOptIns[e.Name()]...)
		for _, extra := range runs {
			writeRealWorldCounts(t, &b, root, e.Name(), extra)
		}
	}
	require.GreaterOrEqual(t, sources, 15, "the review covers at least 15 sources")
	golden(t, "realworld-findings.txt", b.String())
}

// writeRealWorldCounts lints one source (with extra flags, for an opt-in
// render) and writes its findings per rule and severity.
func writeRealWorldCounts(t *testing.T, b *strings.Builder, root, name string, extra []string) {
	t.Helper()
	args := append([]string{"lint", filepath.Join(root, name), "-o", "json"}, extra...)
	code, out, errOut := hookguard(t, "", args...)
	require.NotEqual(t, exitUsage, code, "%s %v: %s", name, extra, errOut)
	var rep struct {
		Findings []struct{ Rule, Severity string } `json:"findings"`
		Summary  struct{ Objects int }             `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), name)
	counts := map[string]int{}
	for _, f := range rep.Findings {
		counts[f.Rule+" "+f.Severity]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	label := name
	if len(extra) > 0 {
		label += " [" + strings.Join(extra, " ") + "]"
	}
	b.WriteString(label + ": " + itoa(rep.Summary.Objects) + " objects\n")
	for _, k := range keys {
		b.WriteString("  " + k + ": " + itoa(counts[k]) + "\n")
	}
}
