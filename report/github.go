package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/hookguard/hookguard/internal/finding"
)

func init() {
	register(GitHub, func(w io.Writer, r Report, _ Options) error { return writeGitHub(w, r) })
}

var githubLevel = map[finding.Severity]string{finding.SeverityError: "error", finding.SeverityWarning: "warning", finding.SeverityInfo: "notice"}

// githubEscape escapes workflow-command data; props also escape ":" and ",".
func githubEscape(s string, prop bool) string {
	s = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
	if prop {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

func writeGitHub(w io.Writer, r Report) error {
	var b strings.Builder
	for _, f := range visible(r.Findings) {
		pos := ""
		if f.Line > 0 {
			pos = fmt.Sprintf(",line=%d,col=%d", f.Line, f.Column)
		}
		title := "hookguard " + f.Rule
		if f.App != "" {
			title += " (Application " + f.App + ")"
		}
		fmt.Fprintf(&b, "::%s file=%s%s,title=%s::%s\n",
			githubLevel[f.Severity], githubEscape(f.File, true), pos,
			githubEscape(title, true), githubEscape(f.Message+" Fix: "+f.Remediation, false))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
