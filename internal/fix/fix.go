// Package fix applies hookguard's normalization to YAML source files: the
// same filters the CMP runs, written back as in-place text edits
// (internal/fix/textpatch) so that everything else in the file stays as it was.
package fix

import (
	"fmt"
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
// indentation stay as they were; nothing is written here. Objects are never
// removed from source files.
func Fix(paths []string, opts normalize.Options) ([]FileFix, error) {
	opts.KeepHelmDropped = true
	var out []FileFix
	for _, p := range paths {
		files, err := manifest.Files(p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.EqualFold(filepath.Ext(f), ".json") {
				continue // JSON is left alone: its formatting cannot be kept by YAML edits
			}
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			fx, err := FixFile(f, data, opts)
			if err != nil {
				return nil, err
			}
			if fx.Changed() {
				out = append(out, fx)
			}
		}
	}
	return out, nil
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
		return fx, err
	}
	after, err := textpatch.Patch(file, data, before, nodes)
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

// valueOf is a scalar's tag and value, or a mapping's keys to those.
func valueOf(n *yaml.Node) any {
	if n.Kind == yaml.ScalarNode {
		return n.Tag + ":" + n.Value
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1].Tag + ":" + n.Content[i+1].Value
	}
	return m
}
