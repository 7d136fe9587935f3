// Package fix applies hookguard's normalization to YAML source files: the
// same filters the CMP runs, written back as in-place text edits
// (internal/fix/textpatch) so that everything else in the file stays as it was.
package fix

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/fix/textpatch"
	"github.com/hookguard/hookguard/internal/manifest"
	"github.com/hookguard/hookguard/internal/normalize"
)

// FileFix is the result of fixing one file.
type FileFix struct {
	File          string
	Before, After []byte
	Changes       []normalize.Change
}

// Changed reports whether the file's text changes.
func (f FileFix) Changed() bool { return string(f.Before) != string(f.After) }

// Fix runs the normalization filters over the YAML files of paths and
// returns the new text of each file that changes. Files are edited as text
// at the exact places that change, so comments, order, quoting and
// indentation stay as they were; nothing is written here (see Write).
// Objects are never removed from source files.
//
// A file that cannot be fixed (it does not parse, an edit cannot be made in
// place safely, or it is a symbolic link or not a regular file) is left out,
// and its error, naming the file and line, is joined into the returned
// error; the other files are still fixed and returned.
func Fix(paths []string, opts normalize.Options) ([]FileFix, error) {
	opts.KeepHelmDropped = true
	var out []FileFix
	var errs []error
	for _, p := range paths {
		files, err := manifest.Files(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			if strings.EqualFold(filepath.Ext(f), ".json") {
				continue // JSON is left alone: its formatting cannot be kept by YAML edits
			}
			fx, err := fixPath(f, opts)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if fx.Changed() {
				out = append(out, fx)
			}
		}
	}
	return out, errors.Join(errs...)
}

// fixPath fixes one file on disk. A symbolic link is read (it may need no
// change) but never fixed: its fix would be written through the link.
func fixPath(file string, opts normalize.Options) (FileFix, error) {
	info, err := os.Lstat(file)
	if err != nil {
		return FileFix{}, err
	}
	link := info.Mode()&fs.ModeSymlink != 0
	if link {
		if info, err = os.Stat(file); err != nil {
			return FileFix{}, err
		}
	}
	if !info.Mode().IsRegular() {
		return FileFix{}, notRegular(file, info)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return FileFix{}, err
	}
	fx, err := FixFile(file, data, opts)
	if err != nil {
		if chart := chartOf(file); chart != "" || bytes.Contains(data, []byte("{{")) {
			return fx, templateError(file, chart)
		}
		return fx, err
	}
	if link && fx.Changed() {
		return fx, symlinkError(file)
	}
	return fx, nil
}

// chartOf is the Helm chart whose templates/ holds file, or "".
func chartOf(file string) string {
	for d := filepath.Dir(file); filepath.Base(d) != "." && filepath.Dir(d) != d; d = filepath.Dir(d) {
		if filepath.Base(d) == "templates" {
			if chart := filepath.Dir(d); fileExists(filepath.Join(chart, "Chart.yaml")) {
				return chart
			}
		}
	}
	return ""
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

// templateError explains why a Helm template is not fixed: its text is Go
// template source, not the YAML Argo CD applies, so an edit in place could
// not be checked.
func templateError(file, chart string) error {
	if chart == "" {
		chart = "the chart"
	}
	return fmt.Errorf("%s: a Helm template: hookguard fix does not edit templates in place, so it was not changed; "+
		"run `hookguard lint %s` to see each change with its template line and edit the template by hand "+
		"(the hookguard CMP applies the same normalization to the rendered chart at sync time)", file, chart)
}

func notRegular(file string, info fs.FileInfo) error {
	return fmt.Errorf("%s: not a regular file (%s); hookguard fix only edits regular files, so it was not changed", file, info.Mode().Type())
}

func symlinkError(file string) error {
	target, err := os.Readlink(file)
	if err != nil {
		target = "another file"
	}
	return fmt.Errorf("%s: is a symbolic link (to %s); hookguard fix does not write through links, so it was not changed: run it on the file the link points to", file, target)
}

// Write writes a fix to its file, safely: only a regular file, never through
// a symbolic link, and only while the file still holds the text the fix was
// made from. The new text goes to a temporary file in the same directory,
// which is then renamed over the file (a rename replaces the directory entry
// and never follows a link), keeping the file's permissions.
func Write(fx FileFix) error {
	info, err := os.Lstat(fx.File)
	if err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		return symlinkError(fx.File)
	}
	if !info.Mode().IsRegular() {
		return notRegular(fx.File, info)
	}
	current, err := os.ReadFile(fx.File)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, fx.Before) {
		return fmt.Errorf("%s: changed since hookguard read it, so it was not written; run hookguard fix again", fx.File)
	}
	tmp, err := os.CreateTemp(filepath.Dir(fx.File), "."+filepath.Base(fx.File)+".hookguard-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(fx.After); err != nil {
		return err
	}
	if err := tmp.Chmod(info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// The file must still be the one read: not replaced by a link meanwhile.
	now, err := os.Lstat(fx.File)
	if err != nil {
		return err
	}
	if !os.SameFile(info, now) {
		return fmt.Errorf("%s: replaced since hookguard read it, so it was not written; run hookguard fix again", fx.File)
	}
	if err := os.Rename(tmp.Name(), fx.File); err != nil {
		return err
	}
	done = true
	return nil
}

// FixFile fixes the objects of one file's text.
func FixFile(file string, data []byte, opts normalize.Options) (FileFix, error) {
	fx := FileFix{File: file, Before: data, After: data}
	objs, err := manifest.Loader{}.Parse(file, data)
	if err != nil {
		return fx, err
	}
	before := make([]textpatch.Snapshot, len(objs))
	nodes := make([]*yaml.RNode, len(objs))
	for i, o := range objs {
		before[i], nodes[i] = textpatch.Take(o.Node), o.Node
	}
	if _, err := normalize.Objects(objs, opts, func(c normalize.Change) { fx.Changes = append(fx.Changes, c) }); err != nil {
		return fx, fmt.Errorf("%s: %w", file, err)
	}
	after, err := textpatch.Patch(file, data, before, nodes, normalize.HelmTranslations)
	if err != nil {
		return fx, err
	}
	if string(after) == string(data) {
		return fx, nil
	}
	fx.After = after
	if err := verify(file, fx.After, objs); err != nil {
		return fx, err
	}
	return fx, nil
}

// verify re-reads the fixed text and checks that every object now carries
// exactly the annotations and spec fields the filters produced.
func verify(file string, text []byte, want []manifest.Object) error {
	got, err := manifest.Loader{}.Parse(file, text)
	if err != nil {
		return fmt.Errorf("internal: fixing %s produced invalid YAML (%v); the file was not changed", file, err)
	}
	if len(got) != len(want) {
		return fmt.Errorf("internal: fixing %s changed the number of objects; the file was not changed", file)
	}
	for i := range want {
		for _, path := range [][]string{{"metadata", "annotations"}, {"spec", "backoffLimit"}, {"spec", "activeDeadlineSeconds"}} {
			w, _ := want[i].Node.Pipe(yaml.Lookup(path...))
			g, _ := got[i].Node.Pipe(yaml.Lookup(path...))
			if (w == nil) != (g == nil) || (w != nil && fmt.Sprint(valueOf(w.YNode())) != fmt.Sprint(valueOf(g.YNode()))) {
				return fmt.Errorf("internal: fixing %s did not produce the expected %s of %s; the file was not changed", file, strings.Join(path, "."), got[i].Ref())
			}
		}
	}
	return nil
}

// valueOf is a scalar's tag and value (and whether Argo CD reads it as a
// string), or a mapping's keys to those, as they read (aliases resolved).
func valueOf(n *yaml.Node) any {
	scalar := func(n *yaml.Node) string {
		n = resolve(n)
		return fmt.Sprintf("%s:%s:%v", n.Tag, n.Value, manifest.IsString(n))
	}
	if n = resolve(n); n.Kind == yaml.ScalarNode {
		return scalar(n)
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = scalar(n.Content[i+1])
	}
	return m
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}
