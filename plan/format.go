package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/internal/hooks"
)

// Formats are the output formats of a plan.
var Formats = []string{"text", "json", "mermaid", "dot"}

// Write renders p in format.
func Write(w io.Writer, format string, p Plan) error {
	switch format {
	case "text":
		return writeText(w, p)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	case "mermaid":
		_, err := io.WriteString(w, Mermaid(p))
		return err
	case "dot":
		_, err := io.WriteString(w, Dot(p))
		return err
	}
	return fmt.Errorf("invalid output format %q: want one of %s", format, strings.Join(Formats, ", "))
}

func location(s Step) string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

func policies(s Step) string {
	if len(s.DeletePolicies) == 0 {
		return "-"
	}
	text := strings.Join(s.DeletePolicies, ",")
	if s.DefaultPolicy {
		text += " (default)"
	}
	return text
}

func writeText(w io.Writer, p Plan) error {
	var b strings.Builder
	pauses := "no pause"
	if p.MinimumAddedSeconds > 0 {
		pauses = fmt.Sprintf("at least %d s of pauses between them (%s=%d)", p.MinimumAddedSeconds, hooks.WaveDelayEnv, p.WaveDelaySeconds)
	}
	fmt.Fprintf(&b, "Sync plan for Argo CD %s: %d waves, %s\n", p.ArgoCDVersion, p.Waves, pauses)
	for _, f := range p.Findings {
		fmt.Fprintf(&b, "! %s %s: %s\n", f.Severity, f.Rule, f.Message)
	}
	for _, s := range p.GenerationFails {
		fmt.Fprintf(&b, "! Argo CD cannot generate this app, nothing below is synced: %s %s\n  %s\n", s.Display, location(s), s.Reason)
	}
	first := true
	phase := func(ph Phase, title string, pause bool) {
		fmt.Fprintf(&b, "\n%s\n", title)
		if len(ph.Waves) == 0 {
			b.WriteString("  (nothing)\n")
			return
		}
		for _, wv := range ph.Waves {
			after := ""
			if pause && !first {
				after = fmt.Sprintf("   (after a %d s pause)", p.WaveDelaySeconds)
			}
			first = false
			fmt.Fprintf(&b, "  wave %d%s\n", wv.Wave, after)
			for _, s := range wv.Steps {
				moved := ""
				if s.Moved {
					moved = " (moved ahead of its first dependent)"
				}
				fmt.Fprintf(&b, "    %-48s %-8s %-34s %s%s\n", s.Display, s.Role, policies(s), location(s), moved)
				for _, d := range s.Deletion {
					fmt.Fprintf(&b, "      deletes: %s\n", d)
				}
				for _, f := range s.Findings {
					fmt.Fprintf(&b, "      ! %s %s: %s\n", f.Severity, f.Rule, f.Message)
				}
			}
		}
	}
	for _, ph := range p.Phases {
		phase(ph, ph.Name, true)
	}
	phase(p.SyncFail, fmt.Sprintf("%s (%s)", p.SyncFail.Name, hooks.SyncFailNote), false)
	if len(p.Deletion) > 0 {
		fmt.Fprintf(&b, "\nOn Application deletion (%s)\n", hooks.DeletionNote)
		for _, ph := range p.Deletion {
			for _, wv := range ph.Waves {
				for _, s := range wv.Steps {
					fmt.Fprintf(&b, "  %-10s %-48s %-34s %s\n", ph.Name, s.Display, policies(s), location(s))
					for _, d := range s.Deletion {
						fmt.Fprintf(&b, "      deletes: %s\n", d)
					}
				}
			}
		}
	}
	if len(p.Dropped)+len(p.Skipped) > 0 {
		b.WriteString("\nNever applied\n")
		for _, s := range p.Dropped {
			fmt.Fprintf(&b, "  dropped  %-48s %s\n           %s\n", s.Display, location(s), s.Reason)
		}
		for _, s := range p.Skipped {
			fmt.Fprintf(&b, "  skipped  %-48s %s\n           %s\n", s.Display, location(s), s.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ---- Mermaid ----

// mermaidText escapes a label for a Mermaid "..." string.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "…", "...").Replace(s)
}

func waveID(phase string, wave int) string {
	if wave < 0 {
		return fmt.Sprintf("%s_w_m%d", phase, -wave)
	}
	return fmt.Sprintf("%s_w_%d", phase, wave)
}

// stepLabel is a node label: lines escaped by esc, joined with <br/>.
func stepLabel(s Step, esc func(string) string) string {
	lines := []string{esc(s.Display)}
	if s.Role == string(hooks.RoleHook) || s.Role == string(hooks.RoleDeleteHook) {
		lines = append(lines, esc("hook: "+strings.Join(s.DeletePolicies, ",")))
	}
	if s.File != "" {
		lines = append(lines, esc(filepath.Base(location(s))))
	}
	return strings.Join(lines, "<br/>")
}

// pathNode is a stop on the sync path: a wave group, or the placeholder of
// a phase with nothing to apply.
type pathNode struct {
	id   string
	wave bool
}

func syncPath(p Plan, waveID func(string, int) string) []pathNode {
	var path []pathNode
	for _, ph := range p.Phases {
		if len(ph.Waves) == 0 {
			path = append(path, pathNode{id: ph.Name + "_empty"})
		}
		for _, wv := range ph.Waves {
			path = append(path, pathNode{id: waveID(ph.Name, wv.Wave), wave: true})
		}
	}
	return path
}

// edgeLabel names the step from one stop to the next: a pause separates
// wave groups (not the first).
func edgeLabel(p Plan, seenWave bool, to pathNode) string {
	if to.wave && seenWave && p.WaveDelaySeconds > 0 {
		return fmt.Sprintf("success, %d s pause", p.WaveDelaySeconds)
	}
	return "success"
}

// Mermaid renders the plan as a flowchart: the sync path phase by phase and
// wave by wave with success edges (and the pause), failure edges into
// SyncFail, and the deletion branch.
func Mermaid(p Plan) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	b.WriteString("  start([sync triggered])\n")
	n := 0
	writePhase := func(ph Phase) {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n    direction TB\n", ph.Name, ph.Name)
		if len(ph.Waves) == 0 {
			fmt.Fprintf(&b, "    %s_empty[\"nothing to apply\"]\n", ph.Name)
		}
		for _, wv := range ph.Waves {
			id := waveID(ph.Name, wv.Wave)
			fmt.Fprintf(&b, "    subgraph %s [\"wave %d\"]\n", id, wv.Wave)
			for _, s := range wv.Steps {
				shape := [2]string{"[\"", "\"]"}
				if s.Role == string(hooks.RoleHook) {
					shape = [2]string{"[[\"", "\"]]"}
				}
				fmt.Fprintf(&b, "      n%d%s%s%s\n", n, shape[0], stepLabel(s, mermaidText), shape[1])
				n++
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	for _, ph := range p.Phases {
		writePhase(ph)
	}
	writePhase(p.SyncFail)
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
			writePhase(ph)
			fmt.Fprintf(&b, "  %s --> %s\n", prev, ph.Name)
			prev = ph.Name
		}
	}
	if len(p.Dropped)+len(p.Skipped) > 0 {
		b.WriteString("  subgraph never [\"never applied\"]\n")
		for _, s := range append(append([]Step{}, p.Dropped...), p.Skipped...) {
			fmt.Fprintf(&b, "    n%d[\"%s<br/>%s\"]\n", n, mermaidText(s.Display), s.Role)
			n++
		}
		b.WriteString("  end\n")
	}
	return b.String()
}

// ---- Graphviz ----

func dotText(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "<br/>", `\n`).Replace(s)
}

func dotID(s string) string { return strings.NewReplacer("-", "m").Replace(s) }

// Dot renders the plan as a Graphviz digraph with a cluster per phase and wave.
func Dot(p Plan) string {
	var b strings.Builder
	b.WriteString("digraph plan {\n  compound=true;\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n")
	b.WriteString("  start [shape=oval, label=\"sync triggered\"];\n  done [shape=oval, label=\"sync succeeded\"];\n  failed [shape=oval, label=\"sync failed\"];\n")
	n := 0
	firstNode := map[string]string{}
	writePhase := func(ph Phase) {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=\"%s\";\n", ph.Name, ph.Name)
		if len(ph.Waves) == 0 {
			fmt.Fprintf(&b, "    %s_empty [label=\"nothing to apply\", style=dashed];\n", ph.Name)
			firstNode[ph.Name] = ph.Name + "_empty"
		}
		for _, wv := range ph.Waves {
			id := dotID(waveID(ph.Name, wv.Wave))
			fmt.Fprintf(&b, "    subgraph cluster_%s {\n      label=\"wave %d\";\n", id, wv.Wave)
			for i, s := range wv.Steps {
				style := ""
				if s.Role == string(hooks.RoleHook) {
					style = ", style=bold"
				}
				fmt.Fprintf(&b, "      n%d [label=\"%s\"%s];\n", n, strings.ReplaceAll(stepLabel(s, dotText), "<br/>", `\n`), style)
				if i == 0 {
					firstNode[id] = fmt.Sprintf("n%d", n)
					if _, ok := firstNode[ph.Name]; !ok {
						firstNode[ph.Name] = fmt.Sprintf("n%d", n)
					}
				}
				n++
			}
			b.WriteString("    }\n")
		}
		b.WriteString("  }\n")
	}
	for _, ph := range p.Phases {
		writePhase(ph)
	}
	writePhase(p.SyncFail)
	prev, prevCluster, seenWave := "start", "", false
	for _, node := range syncPath(p, func(ph string, w int) string { return dotID(waveID(ph, w)) }) {
		target, cluster := node.id, ""
		if node.wave {
			target, cluster = firstNode[node.id], "cluster_"+node.id
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
			fmt.Fprintf(&b, "  %s -> %s [ltail=%s, lhead=cluster_%s, style=dashed, label=\"failure\"];\n", target, firstNode[p.SyncFail.Name], cluster, p.SyncFail.Name)
			seenWave = true
		}
		prev, prevCluster = target, cluster
	}
	tail := ""
	if prevCluster != "" {
		tail = "ltail=" + prevCluster + ", "
	}
	fmt.Fprintf(&b, "  %s -> done [%slabel=\"success\"];\n", prev, tail)
	fmt.Fprintf(&b, "  %s -> failed [ltail=cluster_%s];\n", firstNode[p.SyncFail.Name], p.SyncFail.Name)
	if len(p.Deletion) > 0 {
		b.WriteString("  deleted [shape=oval, label=\"Application deleted\"];\n")
		prev := "deleted"
		for _, ph := range p.Deletion {
			writePhase(ph)
			fmt.Fprintf(&b, "  %s -> %s [lhead=cluster_%s];\n", prev, firstNode[ph.Name], ph.Name)
			prev = firstNode[ph.Name]
		}
	}
	b.WriteString("}\n")
	return b.String()
}
