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
		code, out, errOut := hookguard(t, "", "lint", filepath.Join(root, e.Name()), "-o", "json")
		require.NotEqual(t, exitUsage, code, "%s: %s", e.Name(), errOut)
		var rep struct {
			Findings []struct{ Rule, Severity string } `json:"findings"`
			Summary  struct{ Objects int }             `json:"summary"`
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep), e.Name())
		counts := map[string]int{}
		for _, f := range rep.Findings {
			counts[f.Rule+" "+f.Severity]++
		}
		keys := make([]string, 0, len(counts))
		for k := range counts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(e.Name() + ": " + itoa(rep.Summary.Objects) + " objects\n")
		for _, k := range keys {
			b.WriteString("  " + k + ": " + itoa(counts[k]) + "\n")
		}
	}
	require.GreaterOrEqual(t, sources, 15, "the review covers at least 15 sources")
	golden(t, "realworld-findings.txt", b.String())
}
