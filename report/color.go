package report

import (
	"os"

	"github.com/mattn/go-isatty"
)

// UseColor decides whether text output is coloured: "always", "never", or
// "auto": only on a terminal, and never when NO_COLOR is set (no-color.org).
func UseColor(mode string, w any) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
