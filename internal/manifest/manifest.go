// Package manifest reads Kubernetes objects from files, directories and
// standard input, keeping the file and line of every object.
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/pool"
)

// Object is one Kubernetes object and where it came from.
type Object struct {
	// File is the path as the user named it (or below a named directory);
	// "<stdin>" for standard input.
	File string
	// Line and Column locate the object's first field in File (1-based).
	Line, Column int
	// Doc is the 0-based index of the YAML document in File.
	Doc int
	// Source names how a rendered object was made ("helm template ...",
	// "kustomize build ..."), empty for objects read from files.
	Source string
	// Rendered objects were produced by a renderer: File and Line name the
	// source file (template or kustomize origin) as well as it is known, and
	// field positions inside the object are not file positions unless Mapped.
	Rendered bool
	// Mapped rendered objects carry a position in File on every field
	// (Helm: the template line of each key, or of its nearest parent found).
	Mapped bool
	Node   *yaml.RNode
	// positions and rootAt replace Node once KeepPositions drops it.
	positions *positions
	rootAt    [2]int32
}

// Ref is the identity of an object, as shown to users.
type Ref struct {
	APIVersion   string `json:"apiVersion"`
	Kind         string `json:"kind"`
	Namespace    string `json:"namespace,omitempty"`
	Name         string `json:"name,omitempty"`
	GenerateName string `json:"generateName,omitempty"`
}

// Ref returns the object's identity.
// Fields read as unstructured's getters read them: a value that is not a
// string reads as "".
func (o Object) Ref() Ref { return RefOf(o.Node) }

// RefOf is the identity of any object node, read as Ref reads it.
func RefOf(rn *yaml.RNode) Ref {
	root := rn.YNode()
	return Ref{
		APIVersion: stringAt(root, "apiVersion"), Kind: stringAt(root, "kind"),
		Namespace: stringAt(root, "metadata", "namespace"), Name: stringAt(root, "metadata", "name"),
		GenerateName: stringAt(root, "metadata", "generateName"),
	}
}

// String is "Kind namespace/name", with "generateName…" for generated names.
func (r Ref) String() string {
	name := r.Name
	if name == "" && r.GenerateName != "" {
		name = r.GenerateName + "…"
	}
	if r.Namespace != "" {
		name = r.Namespace + "/" + name
	}
	return r.Kind + " " + name
}

// ParseError is YAML that does not parse, with its position.
type ParseError struct {
	File string
	Line int
	Msg  string
	err  error // a sentinel it wraps (ErrLimit), or nil
}

func (e *ParseError) Unwrap() error { return e.err }

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Extensions of the files read from directories.
var Extensions = []string{".yaml", ".yml", ".json"}

// Loader reads objects. Notes receives one line per skipped document (non-
// Kubernetes YAML), for debug output; it may be nil.
type Loader struct {
	Stdin io.Reader
	Notes func(string)
	// SkipDir, when set, leaves out directories below a named one (for
	// example Helm charts, whose templates are not YAML until rendered).
	SkipDir func(dir string) bool
	// SkipFile, when set, leaves out files found below a named directory.
	SkipFile func(file string) bool
	// Budget is the run's input budget, shared with every other loader and
	// renderer of the run; nil is unlimited.
	Budget *Budget
	// Root confines what is read: no file outside it, through symbolic
	// links or not, and only regular files. Without it each named path is
	// its own root (a named file: its directory).
	Root *confine.Root
}

// Load reads every path in order: "-" is standard input, a directory is
// walked recursively (hidden directories skipped) for Extensions files.
func (l Loader) Load(paths []string) ([]Object, error) {
	var out []Object
	for _, p := range paths {
		if p == "-" {
			if l.Stdin == nil {
				return nil, errors.New("no standard input to read for \"-\"")
			}
			data, err := io.ReadAll(l.Stdin)
			if err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			objs, err := l.Parse("<stdin>", data)
			if err != nil {
				return nil, err
			}
			out = append(out, objs...)
			continue
		}
		files, err := FilesSkipping(p, l.SkipDir)
		if err != nil {
			return nil, err
		}
		root, err := l.rootFor(p)
		if err != nil {
			return nil, err
		}
		if l.SkipFile != nil {
			kept := files[:0:0]
			for _, f := range files {
				if f == p || !l.SkipFile(f) {
					kept = append(kept, f)
				}
			}
			files = kept
		}
		objs, err := l.readFiles(root, files)
		out = append(out, objs...)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readFiles reads and parses files, in parallel when nothing depends on the
// order of the work (no budget to charge in order). What comes out does not
// depend on the scheduling: objects and notes in file order, and the error
// of the first file that fails, as reading them one by one would.
func (l Loader) readFiles(root confine.Root, files []string) ([]Object, error) {
	type result struct {
		objs  []Object
		notes []string
		err   error
	}
	results := make([]result, len(files))
	read := func(i int, loader Loader) {
		data, err := root.ReadFile(files[i])
		if err == nil {
			results[i].objs, err = loader.Parse(files[i], data)
		}
		results[i].err = err
	}
	workers := min(runtime.GOMAXPROCS(0), len(files))
	if l.Budget != nil || workers <= 1 {
		var out []Object
		for i := range files {
			read(i, l)
			if results[i].err != nil {
				return nil, results[i].err
			}
			out = append(out, results[i].objs...)
		}
		return out, nil
	}
	var failed atomic.Int64 // the lowest index that failed, plus one
	pool.Each(len(files), func(i int) {
		if f := failed.Load(); f > 0 && int(f) <= i {
			return // a file before this one failed: the run stops there
		}
		loader := l
		loader.Notes = func(n string) { results[i].notes = append(results[i].notes, n) }
		read(i, loader)
		if results[i].err != nil {
			for f := failed.Load(); f == 0 || int64(i+1) < f; f = failed.Load() {
				if failed.CompareAndSwap(f, int64(i+1)) {
					break
				}
			}
		}
	})
	var out []Object
	for _, r := range results {
		for _, n := range r.notes {
			l.note("%s", n)
		}
		if r.err != nil {
			return nil, r.err
		}
		out = append(out, r.objs...)
	}
	return out, nil
}

// rootFor is the root reads below a named path are confined to.
func (l Loader) rootFor(path string) (confine.Root, error) {
	if l.Root != nil {
		return *l.Root, nil
	}
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		path = filepath.Dir(path)
	}
	return confine.New(path)
}

// Files lists the manifest files of a path: the file itself, or the
// Extensions files below a directory, in lexical order.
func Files(path string) ([]string, error) { return FilesSkipping(path, nil) }

// FilesSkipping is Files without the directories skip selects (below path).
func FilesSkipping(path string, skip func(string) bool) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && (strings.HasPrefix(d.Name(), ".") || (skip != nil && skip(p))) {
				return filepath.SkipDir
			}
			return nil
		}
		ext := strings.ToLower(filepath.Ext(p))
		for _, e := range Extensions {
			if ext == e {
				files = append(files, p)
				break
			}
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads the objects of one YAML or JSON stream. Line numbers count
// from the start of the stream, not of each document.
func (l Loader) Parse(file string, data []byte) ([]Object, error) {
	if err := l.Budget.spend(file, 0, int64(len(data)), 0, 0); err != nil {
		return nil, err
	}
	chunks, err := splitDocuments(data)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.File = file
		}
		return nil, err
	}
	decoded := decodeAll(chunks)
	var out []Object
	for doc, c := range chunks {
		node, err := decoded[doc].node, decoded[doc].err
		if errors.Is(err, io.EOF) {
			continue // only comments or blank lines
		}
		if err != nil {
			msg := err.Error()
			if m := yamlLine.FindStringSubmatch(msg); m != nil {
				line, _ := strconv.Atoi(m[1])
				return nil, &ParseError{File: file, Line: line + c.line - 1, Msg: "invalid YAML: " + m[2]}
			}
			return nil, &ParseError{File: file, Line: c.line, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
		}
		shiftLines(&node, c.line-1)
		root := &node
		if root.Kind == yaml.DocumentNode {
			if len(root.Content) == 0 {
				continue
			}
			root = root.Content[0]
		}
		objs, err := l.objects(file, doc, root)
		if err != nil {
			return nil, err
		}
		out = append(out, objs...)
	}
	return out, nil
}

type decodedDoc struct {
	node yaml.Node
	err  error
}

// minParallelDocs is the fewest documents worth decoding in parallel.
const minParallelDocs = 64

// decodeAll decodes the first document of each piece (yaml v2 reads the
// first document of each piece: so does this), the pieces of a long stream
// (a rendered chart, a big file) on every processor. Each piece is decoded
// alone; the caller reads the outcomes in order, so what it reports does
// not depend on the scheduling.
func decodeAll(chunks []chunk) []decodedDoc {
	out := make([]decodedDoc, len(chunks))
	pool.Chunks(len(chunks), minParallelDocs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i].node, out[i].err = firstDocument(chunks[i].text)
		}
	})
	return out
}

// firstDocument decodes the first document of a piece as yaml v2 reads it:
// a piece of only "..." lines and comments is empty; a piece that does not
// end in a line break reads as if it did (block scalars keep their final
// newline); and a flow collection is complete at its closing bracket, so
// what follows it on later lines is not read.
func firstDocument(text []byte) (yaml.Node, error) {
	if len(text) > 0 && text[len(text)-1] != '\n' {
		text = append(bytes.Clone(text), '\n')
	}
	var node yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(text)).Decode(&node)
	if err == nil || errors.Is(err, io.EOF) {
		return node, err
	}
	if onlyDocumentEnds(text) {
		return node, io.EOF
	}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		starts := lineStarts(text)
		if line > 1 && line <= len(starts) {
			var head yaml.Node
			if yaml.NewDecoder(bytes.NewReader(text[:starts[line-1]])).Decode(&head) == nil &&
				len(head.Content) == 1 && head.Content[0].Style&yaml.FlowStyle != 0 {
				return head, nil
			}
		}
	}
	return node, err
}

// lineStarts are the offsets where YAML's lines start: it breaks lines at
// "\r\n", "\r" and "\n" alike.
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n':
			i++
			starts = append(starts, i+1)
		case text[i] == '\r' || text[i] == '\n':
			starts = append(starts, i+1)
		}
	}
	return starts
}

// onlyDocumentEnds reports whether text holds nothing but "..." lines,
// comments and blank lines.
func onlyDocumentEnds(text []byte) bool {
	for _, line := range bytes.Split(text, []byte("\n")) {
		l := bytes.TrimSpace(line)
		if len(l) > 0 && !bytes.Equal(l, []byte("...")) && l[0] != '#' {
			return false
		}
	}
	return true
}

// shiftLines moves a piece's positions to the stream's lines. Alias nodes
// are not followed: their anchors are shifted where they are defined.
func shiftLines(n *yaml.Node, by int) {
	if by == 0 {
		return
	}
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

func (l Loader) note(format string, args ...any) {
	if l.Notes != nil {
		l.Notes(fmt.Sprintf(format, args...))
	}
}

// objects turns one document into objects: a Kubernetes object, the items of
// a List, or nothing (with a note) for other YAML.
func (l Loader) objects(file string, doc int, root *yaml.Node) ([]Object, error) {
	return l.object(file, doc, root, false)
}

// object reads one document, or one item of a list (item: Argo CD takes
// each item as an object as it is, whatever it holds, and expands lists
// one level only).
func (l Loader) object(file string, doc int, root *yaml.Node, item bool) ([]Object, error) {
	if root.Kind == yaml.ScalarNode && (root.Tag == "!!null" || root.Value == "") {
		return nil, nil // an empty document
	}
	if root.Kind != yaml.MappingNode {
		l.note("%s:%d: skipped document %d: not a mapping, so not a Kubernetes object", file, root.Line, doc+1)
		return nil, nil
	}
	deepest := 0
	size := expandedSize(root, 0, maxNodes, &deepest)
	if size > maxNodes {
		return nil, &ParseError{File: file, Line: root.Line, Msg: fmt.Sprintf("document %d: YAML aliases expand to more than %d nodes", doc+1, maxNodes)}
	}
	if err := l.Budget.spend(file, root.Line, 0, 0, int64(size)); err != nil {
		return nil, err
	}
	if deepest > maxDepth {
		return nil, &ParseError{File: file, Line: root.Line, Msg: fmt.Sprintf("document %d: nested deeper than %d levels", doc+1, maxDepth)}
	}
	// kind and apiVersion as unstructured's getters read them: strings only.
	// Argo CD requires a kind (unstructured's UnmarshalJSON: "Object 'Kind'
	// is missing"), not an apiVersion: an object without one is applied,
	// and the sync fails on it; hookguard reads it too.
	kind, apiVersion := stringAt(root, "kind"), stringAt(root, "apiVersion")
	if kind == "" && !item {
		l.note("%s:%d: skipped document %d: no kind, so not a Kubernetes object", file, root.Line, doc+1)
		return nil, nil
	}
	if key, first, second := duplicateKey(root, 0); first != nil {
		return nil, &ParseError{File: file, Line: second.Line, Msg: fmt.Sprintf("%s: duplicate key %q (first at line %d): Argo CD would silently use the last one; remove one of them", kind, key, first.Line)}
	}
	if strings.HasPrefix(apiVersion, "kustomize.config.k8s.io/") || strings.HasPrefix(apiVersion, "config.kubernetes.io/") {
		l.note("%s:%d: skipped %s: a Kustomize file, not an object Argo CD applies", file, root.Line, kind)
		return nil, nil
	}
	// Argo CD replaces any object whose items is a list by its items, and
	// drops one whose items is null (reposerver/repository/repository.go,
	// GenerateManifests and isNullList).
	if items := field(root, "items"); items != nil && !item {
		items = resolve(items)
		switch {
		case items.Kind == yaml.SequenceNode:
			var out []Object
			for i, it := range items.Content {
				if resolve(it).Kind != yaml.MappingNode {
					return nil, &ParseError{File: file, Line: it.Line, Msg: fmt.Sprintf("%s: items[%d] is not an object", kind, i)}
				}
				objs, err := l.object(file, doc, resolve(it), true)
				if err != nil {
					return nil, err
				}
				out = append(out, objs...)
			}
			return out, nil
		case items.Kind == yaml.ScalarNode && scalar(items) == nil && field(root, "spec") == nil && field(root, "status") == nil:
			l.note("%s:%d: skipped %s: items is null, and Argo CD drops such a list", file, root.Line, kind)
			return nil, nil
		}
	}
	rn := yaml.NewRNode(root)
	if md := field(root, "metadata"); md != nil {
		if !isMappingOrNull(resolve(md)) {
			return nil, &ParseError{File: file, Line: md.Line, Msg: fmt.Sprintf("%s: metadata is not a mapping", kind)}
		}
		// Argo CD cannot track an object whose annotations or labels are
		// not a map: its generation fails on it (a CRD is not tracked).
		for _, key := range []string{"annotations", "labels"} {
			if n := field(md, key); n != nil && !isMappingOrNull(resolve(n)) {
				return nil, &ParseError{File: file, Line: n.Line, Msg: fmt.Sprintf("%s: metadata.%s is not a mapping", kind, key)}
			}
		}
	}
	if err := l.Budget.spend(file, root.Line, 0, 1, 0); err != nil {
		return nil, err
	}
	return []Object{{File: file, Line: root.Line, Column: root.Column, Doc: doc, Node: rn}}, nil
}

func isMappingOrNull(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode || (n.Kind == yaml.ScalarNode && scalar(n) == nil)
}

// Encode serializes objects as one YAML stream, in order.
func Encode(objs []Object) ([]byte, error) {
	nodes := make([]*yaml.RNode, len(objs))
	for i := range objs {
		nodes[i] = objs[i].Node
	}
	var b bytes.Buffer
	if err := (kio.ByteWriter{Writer: &b}).Write(nodes); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
