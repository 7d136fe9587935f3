package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
)

// mermaidText escapes a label for a Mermaid "..." string.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "…", "...").Replace(s)
}

// Mermaid renders the plan as a flowchart: the sync path phase by phase and
// wave by wave with success edges (and the pause), failure edges into
// SyncFail, the deletion branch and the objects never applied. Steps are
// numbered in Argo CD's order and declared in it (the layout keeps the
// declaration order of unlinked nodes); each is coloured by its worst
// finding.
func Mermaid(p Plan) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	b.WriteString("  start([sync triggered])\n")
	n, num := 0, 0
	classes := map[string][]string{}
	node := func(indent string, s Step, number bool) {
		id := fmt.Sprintf("n%d", n)
		n++
		shape := [2]string{"[\"", "\"]"}
		if s.Role == string(hooks.RoleHook) {
			shape = [2]string{"[[\"", "\"]]"}
		}
		label := 0
		if number {
			num++
			label = num
		}
		fmt.Fprintf(&b, "%s%s%s%s%s\n", indent, id, shape[0], strings.Join(stepLabel(s, label, mermaidText), "<br/>"), shape[1])
		if s.Role == string(hooks.RoleDropped) || s.Role == string(hooks.RoleSkipped) {
			classes["never"] = append(classes["never"], id)
		}
		if w := worst(s); w != nil {
			classes[w.Severity] = append(classes[w.Severity], id)
		}
	}
	writePhase := func(ph Phase, number bool) {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n    direction TB\n", ph.Name, ph.Name)
		if len(ph.Waves) == 0 {
			fmt.Fprintf(&b, "    %s_empty[\"nothing to apply\"]\n", ph.Name)
		}
		for _, wv := range ph.Waves {
			fmt.Fprintf(&b, "    subgraph %s [\"wave %d\"]\n", waveID(ph.Name, wv.Wave), wv.Wave)
			for _, s := range wv.Steps {
				node("      ", s, number)
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	for _, ph := range p.Phases {
		writePhase(ph, true)
	}
	writePhase(p.SyncFail, false)
	b.WriteString("  done([sync succeeded])\n  failed([sync failed])\n")
	prev, seenWave := "start", false
	for i, node := range syncPath(p, waveID) {
		if i == 0 {
			fmt.Fprintf(&b, "  start --> %s\n", node.id)
		} else {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", prev, edgeLabel(p, seenWave, node), node.id)
		}
		if node.wave {
			fmt.Fprintf(&b, "  %s -.->|failure| %s\n", node.id, p.SyncFail.Name)
			seenWave = true
		}
		prev = node.id
	}
	fmt.Fprintf(&b, "  %s -->|success| done\n", prev)
	fmt.Fprintf(&b, "  %s --> failed\n", p.SyncFail.Name)
	if len(p.Deletion) > 0 {
		b.WriteString("  deleted([Application deleted])\n")
		prev := "deleted"
		for _, ph := range p.Deletion {
			if ph.Name == string(hooks.PostDelete) {
				b.WriteString("  resources[\"app resources deleted\"]\n")
				fmt.Fprintf(&b, "  %s --> resources\n", prev)
				prev = "resources"
			}
			writePhase(ph, false)
			fmt.Fprintf(&b, "  %s --> %s\n", prev, ph.Name)
			prev = ph.Name
		}
	}
	if ns := never(p); len(ns) > 0 {
		b.WriteString("  subgraph never [\"never applied\"]\n    direction TB\n")
		for _, s := range ns {
			node("    ", s, false)
		}
		b.WriteString("  end\n")
	}
	// The dashed "never" class first, so a severity's colours win over it.
	names := []string{"never"}
	for _, sev := range slices.Backward(finding.Severities) {
		names = append(names, string(sev))
	}
	for _, name := range names {
		ids := classes[name]
		if len(ids) == 0 {
			continue
		}
		if name == "never" {
			fmt.Fprintf(&b, "  classDef never fill:%s,stroke:%s,stroke-dasharray:4 3\n", neverPalette[0], neverPalette[1])
		} else {
			fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:%s,stroke-width:2px\n", name, palette[name][0], palette[name][1])
		}
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), name)
	}
	return b.String()
}
