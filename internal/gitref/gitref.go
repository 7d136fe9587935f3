// Package gitref writes a committed tree of a git repository into a
// directory, so the app as it was at a base ref can be rendered and planned
// beside the working tree (`plan --base`). It runs the git binary, as Argo
// CD's repo-server does, and writes nothing outside the directory it is
// given: the tree is a pull request's, and untrusted.
package gitref

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/hookguard/hookguard/internal/confine"
)

// MaxBytes bounds what one export writes.
const MaxBytes = 1 << 30

// Toplevel is the root of the git work tree that holds dir.
func Toplevel(ctx context.Context, dir string) (string, error) {
	out, err := git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("%s is not in a git repository: %w", dir, err)
	}
	return filepath.Clean(strings.TrimSpace(string(out))), nil
}

// Export writes the tree of ref in the repository at root into dst, an
// existing empty directory: directories, regular files, and symbolic links
// whose target stays inside dst (others are skipped and reported by skip).
func Export(ctx context.Context, root, ref, dst string, skip func(name, why string)) error {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return fmt.Errorf("invalid git ref %q", ref)
	}
	// Resolve first, so an unknown ref says so, and hand archive the tree id
	// rather than user text.
	out, err := git(ctx, root, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{tree}")
	if err != nil {
		return fmt.Errorf("git ref %q: no such commit in %s", ref, root)
	}
	tree := strings.TrimSpace(string(out))
	// Streamed: a large repository is never held in memory whole.
	cmd := gitCmd(ctx, root, "archive", "--format=tar", tree)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive %s: %w", ref, err)
	}
	xerr := extract(pipe, dst, skip)
	if xerr != nil {
		_, _ = io.Copy(io.Discard, pipe) // let git finish writing
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %v %s", ref, err, strings.TrimSpace(errOut.String()))
	}
	return xerr
}

func extract(r io.Reader, dst string, skip func(name, why string)) error {
	if skip == nil {
		skip = func(string, string) {}
	}
	realDst, err := filepath.EvalSymlinks(dst)
	if err != nil {
		return err
	}
	tr := tar.NewReader(r)
	var written int64
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag == tar.TypeXGlobalHeader || name == "." {
			continue
		}
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			skip(h.Name, "outside the repository")
			continue
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		// A crafted tree may put entries below one of its own links.
		if !parentInside(realDst, target) {
			skip(h.Name, "below a symbolic link")
			continue
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if written += h.Size; written > MaxBytes {
				return fmt.Errorf("git archive is larger than %d MiB", MaxBytes>>20)
			}
			if err := writeFile(target, tr); err != nil {
				return err
			}
		case tar.TypeSymlink:
			link := h.Linkname
			if path.IsAbs(link) || !inside(path.Join(path.Dir(name), link)) {
				skip(h.Name, "a symbolic link out of the repository")
				continue
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(filepath.FromSlash(link), target); err != nil {
				return err
			}
		default:
			skip(h.Name, "not a file, directory or symbolic link")
		}
	}
}

// inside reports whether a cleaned slash path relative to the root stays
// in it. A link's target is checked lexically; what links it passes
// through were checked when they were written.
func inside(p string) bool {
	p = path.Clean(p)
	return p != ".." && !strings.HasPrefix(p, "../") && !path.IsAbs(p)
}

// parentInside reports whether the directory target is written in
// resolves inside root (itself resolved); a missing directory is made
// below its nearest existing parent, checked the same way.
func parentInside(root, target string) bool {
	dir := filepath.Dir(target)
	for {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			return confine.Within(root, real)
		}
		if !errors.Is(err, os.ErrNotExist) || filepath.Dir(dir) == dir {
			return false
		}
		dir = filepath.Dir(dir)
	}
}

func writeFile(target string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	// O_EXCL: never write through a link planted by an earlier entry.
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func gitCmd(ctx context.Context, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	// The system config may name pagers or hooks; none of it is wanted here.
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_PAGER=cat")
	return cmd
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := gitCmd(ctx, dir, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(errOut.String()); msg != "" {
			return nil, fmt.Errorf("%s", msg)
		}
		return nil, err
	}
	return out.Bytes(), nil
}
