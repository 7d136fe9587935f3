// Package plantest checks plan outputs in tests.
package plantest

import (
	"regexp"
	"strings"
	"testing"
)

var (
	mermaidNode     = regexp.MustCompile(`^\s*([A-Za-z0-9_]+)(\[\[|\[|\(\[)`)
	mermaidSubgraph = regexp.MustCompile(`^\s*subgraph ([A-Za-z0-9_]+)`)
	mermaidEdge     = regexp.MustCompile(`^\s*([A-Za-z0-9_]+) (-->|-\.->)(\|[^|]*\|)? ([A-Za-z0-9_]+)$`)
	mermaidClassDef = regexp.MustCompile(`^\s*classDef ([a-z]+) [a-z-]+:[^ ,]+(,[a-z-]+:[^,]+)*$`)
	mermaidClass    = regexp.MustCompile(`^\s*class ([A-Za-z0-9_,]+) ([a-z]+)$`)
)

// CheckMermaid asserts the structure of a plan's Mermaid flowchart. It is
// exported for the CLI's golden tests over the corpus.
func CheckMermaid(t testing.TB, text string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart TD" {
		t.Fatalf("not a flowchart: %q", lines[0])
	}
	defined, classes := map[string]bool{}, map[string]bool{}
	depth := 0
	var phases []string
	for _, l := range lines[1:] {
		switch {
		case mermaidSubgraph.MatchString(l):
			id := mermaidSubgraph.FindStringSubmatch(l)[1]
			if defined[id] {
				t.Errorf("subgraph %s defined twice", id)
			}
			defined[id] = true
			if depth == 0 {
				phases = append(phases, id)
			}
			depth++
		case strings.TrimSpace(l) == "end":
			depth--
			if depth < 0 {
				t.Fatalf("unbalanced end")
			}
		case strings.TrimSpace(l) == "direction TB":
		case mermaidEdge.MatchString(l):
		case mermaidClassDef.MatchString(l):
			classes[mermaidClassDef.FindStringSubmatch(l)[1]] = true
		case mermaidClass.MatchString(l):
		case mermaidNode.MatchString(l):
			id := mermaidNode.FindStringSubmatch(l)[1]
			if defined[id] {
				t.Errorf("node %s defined twice", id)
			}
			defined[id] = true
		default:
			t.Errorf("unexpected line %q", l)
		}
	}
	if depth != 0 {
		t.Errorf("%d subgraphs not closed", depth)
	}
	for _, l := range lines[1:] {
		if m := mermaidEdge.FindStringSubmatch(l); m != nil {
			for _, id := range []string{m[1], m[4]} {
				if !defined[id] {
					t.Errorf("edge %q names undefined %s", l, id)
				}
			}
		}
	}
	for _, l := range lines[1:] {
		if m := mermaidClass.FindStringSubmatch(l); m != nil {
			if !classes[m[2]] {
				t.Errorf("class %s has no classDef", m[2])
			}
			for _, id := range strings.Split(m[1], ",") {
				if !defined[id] {
					t.Errorf("class line %q names undefined %s", l, id)
				}
			}
		}
	}
	want := []string{"PreSync", "Sync", "PostSync", "SyncFail"}
	if len(phases) < 4 || strings.Join(phases[:4], ",") != strings.Join(want, ",") {
		t.Errorf("phases %v, want %v first", phases, want)
	}
	for _, node := range []string{"start", "done", "failed"} {
		if !defined[node] {
			t.Errorf("no %s node", node)
		}
	}
}
