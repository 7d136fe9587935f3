// Package confine keeps reads inside a directory: the repository being
// linted or rendered is untrusted, and a symbolic link in it must not let a
// template, a values file, a config or a policy read /etc/passwd, a token
// mounted in the sidecar, or /dev/zero until memory runs out.
package confine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutside is wrapped by errors for paths that leave the root.
var ErrOutside = errors.New("outside the repository")

// ErrNotRegular is wrapped by errors for devices, pipes and sockets.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by errors for files over the size limit.
var ErrTooLarge = errors.New("too large")

// MaxFileBytes is the largest single file read (a manifest, values file,
// config or policy); the run-wide input budget is separate.
const MaxFileBytes = 32 << 20

// Root is a directory no file outside of which is read.
type Root struct {
	dir  string // as given, absolute
	real string // with symbolic links resolved
}

// New confines reads to dir.
func New(dir string) (Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Root{}, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return Root{}, err
	}
	return Root{dir: abs, real: real}, nil
}

// Dir is the root as given (absolute).
func (r Root) Dir() string { return r.dir }

// Within reports whether path is dir or below it (both absolute, clean).
func Within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Resolve follows every symbolic link of path and checks that the result
// is inside the root and is a regular file or a directory. It returns the
// resolved path and what it is.
func (r Root) Resolve(path string) (string, fs.FileInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", nil, err
	}
	if !Within(r.real, real) {
		if real != abs {
			return "", nil, fmt.Errorf("%s links to %s, %w %s: hookguard reads no file outside it", path, real, ErrOutside, r.dir)
		}
		return "", nil, fmt.Errorf("%s is %w %s: hookguard reads no file outside it", path, ErrOutside, r.dir)
	}
	info, err := os.Stat(real)
	if err != nil {
		return "", nil, err
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		return "", nil, fmt.Errorf("%s is %w (%s): hookguard reads only regular files", path, ErrNotRegular, info.Mode().Type())
	}
	return real, info, nil
}

// ReadFile reads a regular file inside the root, at most MaxFileBytes.
func (r Root) ReadFile(path string) ([]byte, error) {
	real, info, err := r.Resolve(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory", path)
	}
	if info.Size() > MaxFileBytes {
		return nil, fmt.Errorf("%s is %w: %d bytes, the limit is %d", path, ErrTooLarge, info.Size(), MaxFileBytes)
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("%s is %w: over %d bytes", path, ErrTooLarge, MaxFileBytes)
	}
	return data, nil
}

// CheckTree walks dir the way a reader that follows symbolic links would
// (Helm's chart loader does) and refuses the first entry that leaves the
// root or is not a regular file or directory. Linked directories are walked
// too, once each, so a link cycle ends.
func (r Root) CheckTree(dir string) error {
	seen := map[string]bool{}
	var walk func(path string) error
	walk = func(path string) error {
		real, info, err := r.Resolve(path)
		if err != nil {
			return err
		}
		if !info.IsDir() || seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := walk(filepath.Join(path, e.Name())); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(dir)
}
