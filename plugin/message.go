package plugin

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/manifest"
)

// What the CMP prints is read in the Argo CD UI, where the app's
// ComparisonError is all of stderr after a blocked sync. argocd-cmp-server
// runs generate in a fresh copy of the repository,
// $TMPDIR/_cmp_server/<uuid>/<source path> (cmpserver/plugin/plugin.go
// runGenerate; util/cmp/stream.go ReceiveRepoStream), so every path it
// prints is made relative to the copy's root: the path a user finds in git.

// repoRelative rewrites the files of objs relative to root, with slashes.
func repoRelative(objs []manifest.Object, root string) {
	for i := range objs {
		objs[i].File = relPath(root, objs[i].File)
		objs[i].Source = scrubPaths(root, objs[i].Source)
	}
}

func relPath(root, p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	if !confine.Within(root, p) {
		return p
	}
	rel, _ := filepath.Rel(root, p)
	return filepath.ToSlash(rel)
}

// scrubPaths removes root from any text: messages of rules name other
// objects' locations, and errors name the files they could not read.
func scrubPaths(root, s string) string {
	if root == "" || root == string(filepath.Separator) {
		return s
	}
	s = strings.ReplaceAll(s, root+string(filepath.Separator), "")
	return strings.ReplaceAll(s, root, ".")
}

// pathError keeps the error it scrubs, for errors.Is (ErrEmpty).
type pathError struct {
	msg string
	err error
}

func (e *pathError) Error() string { return e.msg }
func (e *pathError) Unwrap() error { return e.err }

func scrubError(root string, err error) error {
	if err == nil {
		return nil
	}
	msg := scrubPaths(root, err.Error())
	if msg == err.Error() {
		return err
	}
	return &pathError{msg: msg, err: err}
}

// BlockedHeader starts the report of a blocked sync; the e2e tests and
// users' alerting match it.
const BlockedHeader = "hookguard blocked this sync"

// blockedReport is the report of a blocked sync, short enough for the UI:
// one line with the count and the blocking rules, then each finding on one
// line, blocking ones first, and where to read the fixes.
func blockedReport(gate finding.Severity, fs []finding.Finding, sourcePath string) string {
	var blocking, rest []finding.Finding
	for _, f := range visible(fs) {
		if f.Severity.Rank() >= gate.Rank() {
			blocking = append(blocking, f)
		} else {
			rest = append(rest, f)
		}
	}
	var rules []string
	for _, f := range blocking {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	slices.Sort(rules)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s at or above %s (%s)", BlockedHeader, finding.Count(len(blocking), "finding"), gate, strings.Join(rules, ", "))
	if len(rest) > 0 {
		fmt.Fprintf(&b, ", %d below", len(rest))
	}
	b.WriteString("\n")
	for _, f := range append(blocking, rest...) {
		b.WriteString(findingLine(f) + "\n")
	}
	fmt.Fprintf(&b, "Fixes: run `hookguard lint %s` in the repository.\n", lintTarget(sourcePath))
	return b.String()
}

// warningsReport lists findings below the gate, one a line.
func warningsReport(fs []finding.Finding) string {
	shown := visible(fs)
	if len(shown) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "hookguard: %s below the gate\n", finding.Count(len(shown), "finding"))
	for _, f := range shown {
		b.WriteString(findingLine(f) + "\n")
	}
	return b.String()
}

// findingLine is "file:line:col severity rule: message" on one line.
func findingLine(f finding.Finding) string {
	pos := f.File
	if f.Line > 0 {
		pos = fmt.Sprintf("%s:%d", pos, f.Line)
		if f.Column > 0 {
			pos = fmt.Sprintf("%s:%d", pos, f.Column)
		}
	}
	msg := strings.Join(strings.Fields(f.Message), " ")
	return fmt.Sprintf("%s %s %s: %s", pos, f.Severity, f.Rule, msg)
}

// visible drops suppressed findings and sorts the rest by position.
func visible(fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	for _, f := range fs {
		if f.Suppression == nil {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b finding.Finding) int {
		if c := b.Severity.Rank() - a.Severity.Rank(); c != 0 {
			return c
		}
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return out
}

func lintTarget(sourcePath string) string {
	sp := strings.Trim(filepath.ToSlash(filepath.Clean(sourcePath)), "/")
	if sp == "" || sp == "." || strings.HasPrefix(sp, "..") {
		return "."
	}
	return sp
}
