package plan

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
)

// What the pictures (Mermaid, DOT) share: Argo CD's order as a number on
// each step of the sync path, so the order survives any layout; the worst
// finding of each step, as a colour and as a label line (a colour alone is
// lost on a colour-blind reader and in print); and the dropped objects.

// worst is the highest-severity finding of s (the first of them), or nil.
func worst(s Step) *Finding {
	var w *Finding
	for i := range s.Findings {
		f := &s.Findings[i]
		if w == nil || finding.Severity(f.Severity).Rank() > finding.Severity(w.Severity).Rank() {
			w = f
		}
	}
	return w
}

// palette is the fill and border of a severity (GitHub's Primer colours,
// readable on light and dark themes).
var palette = map[string][2]string{
	string(finding.SeverityError):   {"#ffebe9", "#cf222e"},
	string(finding.SeverityWarning): {"#fff8c5", "#9a6700"},
	string(finding.SeverityInfo):    {"#ddf4ff", "#0969da"},
}

// neverPalette marks objects Argo CD never applies.
var neverPalette = [2]string{"#f6f8fa", "#8c959f"}

// stepLabel is a node's lines, each escaped by esc: the order number (0:
// none), the object, its hook policies, its place, and its worst finding.
func stepLabel(s Step, num int, esc func(string) string) []string {
	title := s.Display
	if num > 0 {
		title = fmt.Sprintf("%d. %s", num, title)
	}
	lines := []string{esc(title)}
	switch s.Role {
	case string(hooks.RoleHook), string(hooks.RoleDeleteHook):
		lines = append(lines, esc("hook: "+strings.Join(s.DeletePolicies, ",")))
	case string(hooks.RoleDropped), string(hooks.RoleSkipped):
		lines = append(lines, esc(s.Role))
	}
	if s.File != "" {
		lines = append(lines, esc(filepath.Base(location(s))))
	}
	if w := worst(s); w != nil {
		more := ""
		if n := len(s.Findings) - 1; n > 0 {
			more = fmt.Sprintf(" (+%d)", n)
		}
		lines = append(lines, esc(fmt.Sprintf("! %s %s%s", w.Severity, w.Rule, more)))
	}
	return lines
}

// never is the dropped objects, then the skipped ones.
func never(p Plan) []Step {
	return append(append([]Step{}, p.Dropped...), p.Skipped...)
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

func waveID(phase string, wave int) string {
	if wave < 0 {
		return fmt.Sprintf("%s_w_m%d", phase, -wave)
	}
	return fmt.Sprintf("%s_w_%d", phase, wave)
}
