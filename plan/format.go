package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hookguard/hookguard/internal/hooks"
)

// Formats are the output formats of a plan.
var Formats = []string{"text", "json", "mermaid", "dot", "markdown"}

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
	case "markdown":
		_, err := io.WriteString(w, Markdown(p, MarkdownOptions{}))
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
