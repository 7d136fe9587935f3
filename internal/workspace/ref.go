package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/gitref"
)

// Snapshot is the repository as a git ref has it, exported to a temporary
// directory: the whole tree, as Argo CD hands the whole repository to a
// CMP (a Kustomize base or a chart dependency may lie outside the named
// path). Close removes it.
type Snapshot struct {
	// Dir is the exported tree.
	Dir string
	// Paths are the named paths that exist at the ref, inside Dir; a path
	// new since the ref is left out.
	Paths []string
	named []string
	top   string
	wd    string
	inDir *regexp.Regexp
}

// RefError is a ref or a path the user named that cannot be read at the
// ref (a usage error, not a failure of the machine).
type RefError struct{ err error }

func (e *RefError) Error() string { return e.err.Error() }
func (e *RefError) Unwrap() error { return e.err }

// AtRef exports the git repository of paths[0] as ref has it, through
// git archive (never the network); skipped is told of entries left out.
func AtRef(ctx context.Context, ref string, paths []string, skipped func(name, why string)) (*Snapshot, error) {
	first, err := filepath.Abs(paths[0])
	if err != nil {
		return nil, err
	}
	if info, err := os.Stat(first); err == nil && !info.IsDir() {
		first = filepath.Dir(first)
	}
	top, err := gitref.Toplevel(ctx, first)
	if err != nil {
		return nil, &RefError{err}
	}
	tmp, err := os.MkdirTemp("", "hookguard-base-")
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Dir: tmp, top: top, inDir: regexp.MustCompile(regexp.QuoteMeta(tmp) + `[^\s:()"']*`)}
	s.wd, _ = os.Getwd()
	if err := s.locate(ctx, ref, paths, skipped); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Snapshot) locate(ctx context.Context, ref string, paths []string, skipped func(name, why string)) error {
	if err := gitref.Export(ctx, s.top, ref, s.Dir, skipped); err != nil {
		return &RefError{err}
	}
	realTop, err := filepath.EvalSymlinks(s.top)
	if err != nil {
		return err
	}
	for _, a := range paths {
		abs, err := filepath.Abs(a)
		if err != nil {
			return err
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if !confine.Within(realTop, abs) {
			return &RefError{fmt.Errorf("%s is outside the git repository %s", a, s.top)}
		}
		rel, _ := filepath.Rel(realTop, abs)
		p := filepath.Join(s.Dir, rel)
		if _, err := os.Stat(p); err != nil {
			continue // new in this change
		}
		s.Paths, s.named = append(s.Paths, p), append(s.named, a)
	}
	return nil
}

// Close removes the exported tree.
func (s *Snapshot) Close() error { return os.RemoveAll(s.Dir) }

// UserPath turns a path inside the snapshot into the one the user knows:
// below a named path as the user named it, others relative to the working
// directory, as the repository's own files would read.
func (s *Snapshot) UserPath(p string) string {
	for i, sp := range s.Paths {
		if p == sp || strings.HasPrefix(p, sp+string(filepath.Separator)) {
			return filepath.Join(s.named[i], strings.TrimPrefix(p, sp))
		}
	}
	if confine.Within(s.Dir, p) {
		rel, _ := filepath.Rel(s.Dir, p)
		p = filepath.Join(s.top, rel)
		if confine.Within(s.wd, p) {
			r, _ := filepath.Rel(s.wd, p)
			return r
		}
	}
	return p
}

// UserText rewrites every snapshot path in a message with UserPath.
func (s *Snapshot) UserText(text string) string {
	return s.inDir.ReplaceAllStringFunc(text, s.UserPath)
}
