package plan

import (
	"fmt"
	"strings"

	"github.com/hookguard/hookguard/internal/hooks"
)

func dotText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func dotID(s string) string { return strings.NewReplacer("-", "m").Replace(s) }

// dotRow is the most steps of a wave laid side by side; longer waves wrap
// into rows read left to right, top to bottom.
const dotRow = 4

// Dot renders the plan as a Graphviz digraph with a cluster per phase and
// wave. Left alone, dot orders the nodes of a rank to shorten edges, which
// scrambles a wave; so each row of a wave is one rank whose nodes are
// chained by invisible edges (a flat edge puts its tail left of its head),
// and rows and waves follow each other down the page by edges between
// their first nodes. Steps carry their number in Argo CD's order, are
// coloured by their worst finding, and the objects Argo CD never applies
// have a cluster of their own.
func Dot(p Plan) string {
	var b strings.Builder
	b.WriteString("digraph plan {\n  compound=true;\n  newrank=true;\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	b.WriteString("  start [shape=oval, label=\"sync triggered\"];\n  done [shape=oval, label=\"sync succeeded\"];\n  failed [shape=oval, label=\"sync failed\"];\n")
	n, num := 0, 0
	// first and last name a group's first node and the first node of its
	// last row: edges leave a wave from the bottom, enter it at the top.
	first, last := map[string]string{}, map[string]string{}
	writeSteps := func(indent, group string, steps []Step, number bool) {
		var row []string
		for i, s := range steps {
			id := fmt.Sprintf("n%d", n)
			n++
			label := 0
			if number {
				num++
				label = num
			}
			fmt.Fprintf(&b, "%s%s [label=\"%s\"%s];\n", indent, id, strings.Join(stepLabel(s, label, dotText), `\n`), dotStyle(s))
			if i == 0 {
				first[group] = id
			}
			if i%dotRow == 0 {
				if len(row) > 0 {
					fmt.Fprintf(&b, "%s%s -> %s [style=invis];\n", indent, row[0], id)
				}
				last[group] = id
				row = row[:0]
			}
			row = append(row, id)
			if len(row) == dotRow || i == len(steps)-1 {
				if len(row) > 1 {
					fmt.Fprintf(&b, "%s{ rank=same; %s; }\n", indent, strings.Join(row, "; "))
					fmt.Fprintf(&b, "%s%s [style=invis];\n", indent, strings.Join(row, " -> "))
				}
			}
		}
	}
	writePhase := func(ph Phase, number bool) {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=\"%s\";\n", ph.Name, ph.Name)
		if len(ph.Waves) == 0 {
			fmt.Fprintf(&b, "    %s_empty [label=\"nothing to apply\", style=dashed];\n", ph.Name)
			first[ph.Name], last[ph.Name] = ph.Name+"_empty", ph.Name+"_empty"
		}
		for _, wv := range ph.Waves {
			id := dotID(waveID(ph.Name, wv.Wave))
			fmt.Fprintf(&b, "    subgraph cluster_%s {\n      label=\"wave %d\";\n", id, wv.Wave)
			writeSteps("      ", id, wv.Steps, number)
			if _, ok := first[ph.Name]; !ok {
				first[ph.Name] = first[id]
			}
			last[ph.Name] = last[id]
			b.WriteString("    }\n")
		}
		b.WriteString("  }\n")
	}
	for _, ph := range p.Phases {
		writePhase(ph, true)
	}
	writePhase(p.SyncFail, false)
	prev, prevCluster, seenWave := "start", "", false
	for _, node := range syncPath(p, func(ph string, w int) string { return dotID(waveID(ph, w)) }) {
		target, cluster := node.id, ""
		if node.wave {
			target, cluster = first[node.id], "cluster_"+node.id
		}
		var attrs []string
		if cluster != "" {
			attrs = append(attrs, "lhead="+cluster)
		}
		if prevCluster != "" {
			attrs = append(attrs, "ltail="+prevCluster)
		}
		if prev != "start" {
			attrs = append(attrs, fmt.Sprintf("label=\"%s\"", edgeLabel(p, seenWave, node)))
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", prev, target, strings.Join(attrs, ", "))
		if node.wave {
			fmt.Fprintf(&b, "  %s -> %s [ltail=%s, lhead=cluster_%s, style=dashed, color=\"#8c959f\", fontcolor=\"#57606a\", label=\"failure\", constraint=false];\n", last[node.id], first[p.SyncFail.Name], cluster, p.SyncFail.Name)
			seenWave = true
		}
		prev, prevCluster = target, cluster
		if node.wave {
			prev = last[node.id]
		}
	}
	tail := ""
	if prevCluster != "" {
		tail = "ltail=" + prevCluster + ", "
	}
	fmt.Fprintf(&b, "  %s -> done [%slabel=\"success\"];\n", prev, tail)
	// SyncFail hangs below the sync path: after the last stop, not beside it.
	fmt.Fprintf(&b, "  %s -> %s [style=invis];\n", prev, first[p.SyncFail.Name])
	fmt.Fprintf(&b, "  %s -> failed [ltail=cluster_%s];\n", last[p.SyncFail.Name], p.SyncFail.Name)
	if len(p.Deletion) > 0 {
		b.WriteString("  deleted [shape=oval, label=\"Application deleted\"];\n")
		prev := "deleted"
		for _, ph := range p.Deletion {
			writePhase(ph, false)
			fmt.Fprintf(&b, "  %s -> %s [lhead=cluster_%s];\n", prev, first[ph.Name], ph.Name)
			prev = last[ph.Name]
		}
	}
	if ns := never(p); len(ns) > 0 {
		b.WriteString("  subgraph cluster_never {\n    label=\"never applied\";\n    style=dashed;\n")
		writeSteps("    ", "never", ns, false)
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dotStyle is a step's node attributes: bold for a hook, dashed for what is
// never applied (with the reason as its tooltip), filled with the colour of
// its worst finding.
func dotStyle(s Step) string {
	var styles []string
	var attrs string
	switch s.Role {
	case string(hooks.RoleHook):
		styles = append(styles, "bold")
	case string(hooks.RoleDropped), string(hooks.RoleSkipped):
		styles = append(styles, "dashed", "filled")
		attrs = fmt.Sprintf(", fillcolor=\"%s\", color=\"%s\", tooltip=\"%s\"", neverPalette[0], neverPalette[1], dotText(s.Reason))
	}
	if w := worst(s); w != nil {
		if len(styles) == 0 || styles[len(styles)-1] != "filled" {
			styles = append(styles, "filled")
		}
		c := palette[w.Severity]
		attrs = fmt.Sprintf(", fillcolor=\"%s\", color=\"%s\", penwidth=2", c[0], c[1])
		if s.Reason != "" {
			attrs += fmt.Sprintf(", tooltip=\"%s\"", dotText(s.Reason))
		}
	}
	if len(styles) == 0 {
		return attrs
	}
	return fmt.Sprintf(", style=\"%s\"%s", strings.Join(styles, ","), attrs)
}
