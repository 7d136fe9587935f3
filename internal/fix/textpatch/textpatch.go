// Package textpatch edits YAML source text in place at the exact places where
// an object's annotations or spec fields changed.
//
// Why text and not kyaml: re-serializing a node tree rewrites quoting,
// indentation, comments and key order across the whole file; `hookguard fix`
// promises that only the values it changes move. So the object is snapshot
// before the filters run, compared after, and each difference becomes a line
// edit of the original text.
//
// Anchors and aliases are kept as written. An anchored value is rewritten
// (keeping its anchor) only when every alias of it wants the same new value;
// an edit that would change what some other place reads through an alias is
// refused with the file, the line and what to do by hand.
package textpatch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Take records where rn's fields are in the text it was parsed from.
func Take(rn *yaml.RNode) Snapshot { return snap(rn) }

// Patch rewrites text so that every object carries its fields after the
// change: before[i] is object i as it was, after[i] as it is now. renames
// maps an annotation key to the key it is translated into: when the one is
// removed and the other added, its line is rewritten in place, keeping its
// place and its comments. Inserted lines end like the file's lines (CRLF or
// LF). It returns the text unchanged when nothing differs.
func Patch(file string, text []byte, before []Snapshot, after []*yaml.RNode, renames map[string]string) ([]byte, error) {
	p := newPatcher(file, string(text), renames)
	for i := range before {
		p.collect(before[i], after[i])
	}
	var edits []edit
	for i := range before {
		e, err := p.diff(before[i], after[i])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e...)
	}
	if len(edits) == 0 {
		return text, nil
	}
	if err := p.checkRemovals(edits); err != nil {
		return nil, err
	}
	if p.ix != nil && p.ix.err != nil {
		return nil, p.ix.err
	}
	return []byte(apply(p.lines, edits)), nil
}

// entry is a key of a block mapping as it was in the file.
type entry struct {
	key              string
	keyLine, keyCol  int // 1-based
	keyAnchor        string
	value, tag       string // value: an alias's anchor name
	style            yaml.Style
	kind             yaml.Kind
	anchor           string // the value's anchor, if any
	was              string // what the value read (aliases resolved); annotations only
	valLine, valCol  int
	valueIsSequence  bool
	valueIsMultiline bool
}

// mapping is a block mapping as it was in the file.
type mapping struct {
	present  bool // the field is there
	exists   bool // ... and its value is a mapping
	flow     bool
	line     int // line of its parent key
	keyCol   int // column of its parent key
	node     pos // where its value starts
	kind     yaml.Kind
	alias    string   // the value is this alias
	empty    bool     // the value is empty: nothing follows the key
	was      string   // what the value read, when it is not a mapping
	keys     []string // the keys it read (aliases resolved)
	entries  []entry
	childCol int // column of its keys (0 when empty)
}

// Snapshot is where an object's metadata, annotations and spec were in the
// source text before it was changed.
type Snapshot struct {
	metadata, annotations, spec mapping
	objLine, objCol             int
}

func readMapping(parent *yaml.Node, field string, withValues bool) (mapping, *yaml.Node) {
	var m mapping
	if parent == nil || parent.Kind != yaml.MappingNode {
		return m, nil
	}
	for i := 0; i+1 < len(parent.Content); i += 2 {
		k, v := parent.Content[i], parent.Content[i+1]
		if k.Value != field {
			continue
		}
		m.present, m.line, m.keyCol = true, k.Line, k.Column
		m.node, m.kind = pos{v.Line, v.Column}, v.Kind
		if r := resolve(v); r.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(r.Content); j += 2 {
				m.keys = append(m.keys, r.Content[j].Value)
			}
		}
		if v.Kind != yaml.MappingNode {
			if v.Kind == yaml.AliasNode {
				m.alias = v.Value
			}
			m.empty = v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" && v.Anchor == "" && v.Style == 0
			m.was = fingerprint(v)
			return m, nil
		}
		m.exists = true
		m.flow = v.Style&yaml.FlowStyle != 0
		m.entries = entries(v, withValues)
		if len(m.entries) > 0 {
			m.childCol = m.entries[0].keyCol
		}
		return m, v
	}
	return m, nil
}

func entries(n *yaml.Node, withValues bool) []entry {
	var out []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		e := entry{
			key: k.Value, keyLine: k.Line, keyCol: k.Column, keyAnchor: k.Anchor,
			value: v.Value, tag: v.Tag, style: v.Style, kind: v.Kind, anchor: v.Anchor,
			valLine: v.Line, valCol: v.Column, valueIsSequence: v.Kind == yaml.SequenceNode,
			valueIsMultiline: v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0,
		}
		if withValues {
			e.was = fingerprint(v)
		}
		out = append(out, e)
	}
	return out
}

func snap(rn *yaml.RNode) Snapshot {
	root := rn.YNode()
	s := Snapshot{objLine: root.Line, objCol: root.Column}
	var md *yaml.Node
	s.metadata, md = readMapping(root, "metadata", false)
	s.annotations, _ = readMapping(md, "annotations", true)
	s.spec, _ = readMapping(root, "spec", false)
	return s
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// fingerprint is what a node reads, aliases resolved: the kind, tag and
// value of each node, and whether Argo CD reads a scalar as a string (a plain
// yes is a boolean to it).
func fingerprint(n *yaml.Node) string {
	var b strings.Builder
	writeFingerprint(&b, n)
	return b.String()
}

func writeFingerprint(b *strings.Builder, n *yaml.Node) {
	n = resolve(n)
	if n == nil {
		b.WriteString("-")
		return
	}
	fmt.Fprintf(b, "%d%s:%q", n.Kind, n.Tag, n.Value)
	if n.Kind == yaml.ScalarNode && !manifest.IsString(n) {
		b.WriteString("!s")
	}
	if n.Kind == yaml.AliasNode || len(n.Content) == 0 {
		return
	}
	b.WriteByte('[')
	for _, c := range n.Content {
		writeFingerprint(b, c)
		b.WriteByte(' ')
	}
	b.WriteByte(']')
}

// edit replaces lines [from, to) (0-based) with text; from == to inserts.
// removes names the key whose line(s) the edit takes out, if any.
type edit struct {
	from, to int
	text     string
	removes  string
}

type pos struct{ line, col int }

type nodeKey struct {
	pos
	kind yaml.Kind
}

// patcher holds the file as lines and, built when an edit first needs it,
// an index of every YAML node in it (documents that are not objects
// included), to see what anchors and aliases an edit touches.
type patcher struct {
	file    string
	text    string
	lines   []string
	eol     string
	bom     bool
	renames map[string]string
	values  map[pos]*slot // annotation values by position
	ix      *index
}

type index struct {
	nodes   map[nodeKey]*yaml.Node
	parent  map[*yaml.Node]*yaml.Node
	aliases map[*yaml.Node][]*yaml.Node // an anchored node's aliases
	shared  []*yaml.Node                // anchored nodes with aliases, in file order
	err     error
}

// slot is an annotation value as the filters left it.
type slot struct {
	e       *entry
	after   *yaml.Node // nil: removed
	changed bool
}

func newPatcher(file, text string, renames map[string]string) *patcher {
	return &patcher{
		file: file, text: text, lines: splitLines(text), eol: lineBreak(text), bom: strings.HasPrefix(text, "\ufeff"),
		renames: renames, values: map[pos]*slot{},
	}
}

// idx is the node index, built on first use.
func (p *patcher) idx() *index {
	if p.ix != nil {
		return p.ix
	}
	ix := &index{nodes: map[nodeKey]*yaml.Node{}, parent: map[*yaml.Node]*yaml.Node{}, aliases: map[*yaml.Node][]*yaml.Node{}}
	p.ix = ix
	var anchored []*yaml.Node
	var walk func(n, parent *yaml.Node)
	walk = func(n, parent *yaml.Node) {
		if parent != nil {
			ix.parent[n] = parent
		}
		if k := (nodeKey{pos{n.Line, n.Column}, n.Kind}); ix.nodes[k] == nil {
			ix.nodes[k] = n
		}
		if n.Anchor != "" {
			anchored = append(anchored, n)
		}
		if n.Kind == yaml.AliasNode {
			if n.Alias != nil {
				ix.aliases[n.Alias] = append(ix.aliases[n.Alias], n)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, n)
		}
	}
	dec := yaml.NewDecoder(strings.NewReader(p.text))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			ix.err = fmt.Errorf("%s: %v", p.file, err)
			break
		}
		walk(&doc, nil)
	}
	for _, n := range anchored {
		if len(ix.aliases[n]) > 0 {
			ix.shared = append(ix.shared, n)
		}
	}
	return ix
}

// collect records every annotation value as the filters left it, so that an
// anchor and its aliases in other objects can be judged together.
func (p *patcher) collect(s Snapshot, after *yaml.RNode) {
	_, values, _ := fieldsAfter(after, "metadata", "annotations")
	for i := range s.annotations.entries {
		e := &s.annotations.entries[i]
		sl := &slot{e: e, after: values[e.key]}
		sl.changed = sl.after == nil || fingerprint(sl.after) != e.was
		p.values[pos{e.valLine, e.valCol}] = sl
	}
}

// fieldsAfter reads the fields of a mapping after the filters, and whether
// it is a mapping.
func fieldsAfter(rn *yaml.RNode, path ...string) ([]string, map[string]*yaml.Node, bool) {
	n, _ := rn.Pipe(yaml.Lookup(path...))
	m := map[string]*yaml.Node{}
	var keys []string
	if n == nil || n.YNode().Kind != yaml.MappingNode {
		return keys, m, false
	}
	c := n.YNode().Content
	for i := 0; i+1 < len(c); i += 2 {
		keys = append(keys, c[i].Value)
		m[c[i].Value] = c[i+1]
	}
	return keys, m, true
}

func (p *patcher) diff(before Snapshot, after *yaml.RNode) ([]edit, error) {
	edits, err := p.diffAnnotations(before, after)
	if err != nil {
		return nil, err
	}
	// spec fields are only ever added (hook defaults).
	keys, values, _ := fieldsAfter(after, "spec")
	var added []string
	for _, k := range keys {
		if !contains(before.spec.keys, k) {
			added = append(added, fmt.Sprintf("%s: %s", k, token(values[k])))
		}
	}
	if len(added) > 0 {
		what := strings.Join(added, ", ")
		if !before.spec.exists || before.spec.flow || len(before.spec.entries) == 0 {
			return nil, fmt.Errorf("%s:%d: cannot add %s in place (spec is missing or not a block mapping); add it by hand", p.file, before.objLine, what)
		}
		if err := p.notShared(before.spec, what); err != nil {
			return nil, err
		}
		edits = append(edits, p.insertAfter(before.spec, added))
	}
	return edits, nil
}

// diffAnnotations turns changes of metadata.annotations into edits.
func (p *patcher) diffAnnotations(before Snapshot, after *yaml.RNode) ([]edit, error) {
	m, parent := before.annotations, before.metadata
	keys, values, isMap := fieldsAfter(after, "metadata", "annotations")
	if m.present && !m.exists {
		if n, _ := after.Pipe(yaml.Lookup("metadata", "annotations")); n != nil && fingerprint(n.YNode()) == m.was {
			return nil, nil
		}
		if !m.empty || !isMap {
			what := "not a block mapping"
			if m.alias != "" {
				what = "the alias *" + m.alias
			}
			return nil, fmt.Errorf("%s:%d: cannot change these annotations in place (they are %s); edit them by hand", p.file, m.line, what)
		}
	}
	if m.exists && !isMap {
		return nil, fmt.Errorf("%s:%d: cannot change these annotations in place; edit them by hand", p.file, m.line)
	}
	var edits []edit
	// Removed keys; a removed key whose translation is added (helm.sh/hook
	// -> argocd.argoproj.io/hook) is rewritten on its own line.
	renamed := map[string]bool{}
	for i := range m.entries {
		e := &m.entries[i]
		if _, ok := values[e.key]; ok {
			continue
		}
		if m.flow {
			return nil, fmt.Errorf("%s:%d: cannot remove %s in place (flow mapping); remove it by hand", p.file, e.keyLine, e.key)
		}
		if to, ok := p.renames[e.key]; ok && values[to] != nil && !has(m.entries, to) && !renamed[to] {
			if ed, ok := p.renameLine(e, to, values[to]); ok {
				renamed[to] = true
				edits = append(edits, ed)
				continue
			}
		}
		edits = append(edits, edit{from: e.keyLine - 1, to: p.endLine(*e), removes: e.key})
	}
	var added []string
	for _, k := range keys {
		v := values[k]
		e := find(m.entries, k)
		if e == nil {
			if !renamed[k] {
				added = append(added, fmt.Sprintf("%s: %s", k, token(v)))
			}
			continue
		}
		if sl := p.values[pos{e.valLine, e.valCol}]; sl == nil || !sl.changed {
			continue
		}
		if m.flow || e.valueIsMultiline || (e.kind != yaml.ScalarNode && e.kind != yaml.AliasNode) || v.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: cannot rewrite %s in place (flow or multi-line value); set it to %q by hand", p.file, e.keyLine, k, v.Value)
		}
		if e.kind == yaml.AliasNode {
			if err := p.aliasFollows(e, v); err != nil {
				return nil, err
			}
			continue // its anchor is rewritten to this value
		}
		if err := p.anchorAgrees(e, v); err != nil {
			return nil, err
		}
		ed, err := p.replaceToken(e, v)
		if err != nil {
			return nil, err
		}
		edits = append(edits, ed)
	}
	if len(edits) > 0 && m.exists {
		if err := p.notShared(m, "the annotations"); err != nil {
			return nil, err
		}
	}
	if removed := countRemovals(edits); removed > 0 && removed == len(m.entries) && len(added) == 0 {
		return nil, fmt.Errorf("%s:%d: cannot remove every annotation in place (%q would be left without a value); edit it by hand", p.file, m.line, "annotations:")
	}
	if len(added) == 0 {
		return edits, nil
	}
	what := strings.Join(added, ", ")
	switch {
	case m.exists && !m.flow && len(m.entries) > 0:
		if err := p.notShared(m, what); err != nil {
			return nil, err
		}
		edits = append(edits, p.insertAfter(m, added))
	case m.present && m.empty && parent.exists && !parent.flow && p.nothingAfterKey(m):
		// "annotations:" with no value: add the entries below it.
		if err := p.notShared(m, what); err != nil {
			return nil, err
		}
		edits = append(edits, p.insertLines(m.line, strings.Repeat(" ", m.keyCol-1+step(parent)), added))
	case !m.present && parent.exists && !parent.flow && len(parent.entries) > 0:
		// No annotations yet: add "annotations:" at the end of metadata.
		if err := p.notShared(parent, what); err != nil {
			return nil, err
		}
		indent := strings.Repeat(" ", parent.childCol-1)
		items := []string{"annotations:"}
		for _, a := range added {
			items = append(items, strings.Repeat(" ", step(parent))+a)
		}
		edits = append(edits, p.insertLines(p.endLine(parent.entries[len(parent.entries)-1]), indent, items))
	default:
		return nil, fmt.Errorf("%s:%d: cannot add %s in place (metadata.annotations is missing or not a block mapping); add it by hand", p.file, parent.line, what)
	}
	return edits, nil
}

// step is the indentation of a block mapping's keys below its parent key.
func step(m mapping) int {
	if d := m.childCol - m.keyCol; d > 0 {
		return d
	}
	return 2
}

// aliasFollows accepts a changed alias value only when the anchor it reads
// is an annotation value rewritten to the same value (see anchorAgrees).
func (p *patcher) aliasFollows(e *entry, v *yaml.Node) error {
	a := p.idx().nodes[nodeKey{pos{e.valLine, e.valCol}, yaml.AliasNode}]
	if a == nil || a.Alias == nil {
		return fmt.Errorf("%s:%d: cannot rewrite %s in place (the alias *%s); set it to %q by hand", p.file, e.keyLine, e.key, e.value, v.Value)
	}
	if def := p.values[pos{a.Alias.Line, a.Alias.Column}]; def != nil && def.e.kind == yaml.ScalarNode && def.changed && def.after != nil && fingerprint(def.after) == fingerprint(v) {
		return nil
	}
	return fmt.Errorf("%s:%d: cannot fix %s in place: its value is the alias *%s of line %d, and fix keeps anchors and aliases as written but cannot change &%s for this use alone; set %s to %q by hand",
		p.file, e.keyLine, e.key, e.value, a.Alias.Line, e.value, e.key, v.Value)
}

// anchorAgrees accepts rewriting an anchored value only when every alias of
// it is an annotation value that the filters changed to the same value (or
// removed): the rewritten anchor then gives each of them its own new value.
func (p *patcher) anchorAgrees(e *entry, v *yaml.Node) error {
	if e.anchor == "" {
		return nil
	}
	n := p.idx().nodes[nodeKey{pos{e.valLine, e.valCol}, yaml.ScalarNode}]
	if n == nil {
		return fmt.Errorf("%s:%d: cannot rewrite %s in place (the anchored value &%s); set it to %q by hand", p.file, e.keyLine, e.key, e.anchor, v.Value)
	}
	want := fingerprint(v)
	for _, a := range p.idx().aliases[n] {
		if sl := p.values[pos{a.Line, a.Column}]; sl != nil && sl.e.kind == yaml.AliasNode && (sl.after == nil || fingerprint(sl.after) == want) {
			continue
		}
		return fmt.Errorf("%s:%d: cannot fix %s in place: its value has the anchor &%s, and *%s at line %d would change with it; set %s to %q by hand",
			p.file, e.keyLine, e.key, e.anchor, e.anchor, a.Line, e.key, v.Value)
	}
	return nil
}

// notShared refuses an edit inside a mapping that is, or lies inside, an
// anchored node some alias also reads: the alias would change too.
func (p *patcher) notShared(m mapping, what string) error {
	n := p.idx().nodes[nodeKey{m.node, m.kind}]
	if n == nil {
		return fmt.Errorf("%s:%d: cannot change %s in place (not found in the text); edit it by hand", p.file, m.line, what)
	}
	for ; n != nil; n = p.idx().parent[n] {
		if as := p.idx().aliases[n]; len(as) > 0 {
			return fmt.Errorf("%s:%d: cannot change %s in place: the anchor &%s (line %d) holds them, and *%s at line %d reads it too; edit by hand",
				p.file, m.line, what, n.Anchor, n.Line, n.Anchor, as[0].Line)
		}
	}
	return nil
}

// checkRemovals refuses removing an anchor that an alias outside the
// removed lines still reads.
func (p *patcher) checkRemovals(edits []edit) error {
	removed := func(line int) bool { // 1-based
		for _, e := range edits {
			if e.removes != "" && line-1 >= e.from && line-1 < e.to {
				return true
			}
		}
		return false
	}
	for _, ed := range edits {
		if ed.removes == "" {
			continue
		}
		for _, n := range p.idx().shared {
			if n.Line-1 < ed.from || n.Line-1 >= ed.to {
				continue
			}
			for _, a := range p.idx().aliases[n] {
				if !removed(a.Line) {
					return fmt.Errorf("%s:%d: cannot remove %s in place: it holds the anchor &%s, which *%s at line %d still reads; edit it by hand",
						p.file, ed.from+1, ed.removes, n.Anchor, n.Anchor, a.Line)
				}
			}
		}
	}
	return nil
}

// countRemovals counts the edits that take entries out (a rename keeps one).
func countRemovals(edits []edit) int {
	n := 0
	for _, e := range edits {
		if e.removes != "" && e.text == "" {
			n++
		}
	}
	return n
}

func has(es []entry, key string) bool { return find(es, key) != nil }

func contains(keys []string, key string) bool {
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}

func find(es []entry, key string) *entry {
	for i := range es {
		if es[i].key == key {
			return &es[i]
		}
	}
	return nil
}

// insertAfter adds lines after the last entry of a block mapping, at the
// indentation of its keys.
func (p *patcher) insertAfter(m mapping, added []string) edit {
	last := m.entries[len(m.entries)-1]
	return p.insertLines(p.endLine(last), strings.Repeat(" ", m.childCol-1), added)
}

// insertLines inserts items, indented, before line at (0-based), each
// ending with the file's line break.
func (p *patcher) insertLines(at int, indent string, items []string) edit {
	var b strings.Builder
	if at > 0 && at <= len(p.lines) && lineBody(p.lines[at-1]) == p.lines[at-1] {
		// the previous line is the last one and has no line break
		b.WriteString(p.eol)
		for i, a := range items {
			b.WriteString(indent + a)
			if i < len(items)-1 {
				b.WriteString(p.eol)
			}
		}
		return edit{from: at, to: at, text: b.String()}
	}
	for _, a := range items {
		b.WriteString(indent + a + p.eol)
	}
	return edit{from: at, to: at, text: b.String()}
}

// endLine is the 0-based index of the line after an entry: lines indented
// deeper than its key (or a compact sequence at its indentation) belong to
// it, and so do the lines up to where its value's last node closes (a flow
// collection or a quoted scalar may close further left).
func (p *patcher) endLine(e entry) int {
	end := endLine(p.lines, e)
	if n := p.idx().nodes[nodeKey{pos{e.valLine, e.valCol}, e.kind}]; n != nil {
		if l := p.lastLine(n) + 1; l > end {
			end = l
		}
	}
	return end
}

// lastLine is the 0-based index of the line where node n ends.
func (p *patcher) lastLine(n *yaml.Node) int {
	for {
		switch {
		case n.Kind == yaml.AliasNode:
			return n.Line - 1
		case (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0:
			if len(n.Content) == 0 {
				return n.Line - 1
			}
			n = n.Content[len(n.Content)-1]
		case n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) == 0:
			return n.Line - 1 // plain continuation and block scalar lines are indented deeper
		default:
			return p.closeLine(n)
		}
	}
}

// closeLine is the 0-based index of the line where a flow collection or a
// quoted scalar closes, scanning from where the node starts.
func (p *patcher) closeLine(n *yaml.Node) int {
	depth, quote := 0, byte(0)
	prev := byte(0) // the last character read outside quotes and blanks; 0 before the node's first
	for i := n.Line - 1; i >= 0 && i < len(p.lines); i++ {
		l := lineBody(p.lines[i])
		j := 0
		if i == n.Line-1 {
			j = p.offset(i, n.Column)
		}
		for ; j < len(l); j++ {
			c := l[j]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					j++
				case quote == '\'' && c == '\'' && j+1 < len(l) && l[j+1] == '\'':
					j++
				case c == quote:
					quote = 0
					if depth <= 0 {
						return i
					}
				}
				continue
			}
			switch {
			case c == ' ' || c == '\t':
				continue
			case prev == 0 && (c == '&' || c == '!'): // the node's anchor or tag
				for j+1 < len(l) && l[j+1] != ' ' && l[j+1] != '\t' {
					j++
				}
				continue
			case c == '#' && (j == 0 || l[j-1] == ' ' || l[j-1] == '\t'):
				j = len(l) // a comment
				continue
			case (c == '"' || c == '\'') && (prev == 0 || strings.IndexByte("[{,:?", prev) >= 0):
				quote = c
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				if depth--; depth <= 0 {
					return i
				}
			}
			prev = c
		}
	}
	return len(p.lines) - 1
}

func endLine(lines []string, e entry) int {
	end := e.keyLine // 0-based index of the next line
	for i := e.keyLine; i < len(lines); i++ {
		l := lineBody(lines[i])
		trimmed := strings.TrimLeft(l, " ")
		if strings.TrimSpace(trimmed) == "" {
			continue
		}
		indent := len(l) - len(trimmed)
		if indent+1 > e.keyCol || (e.valueIsSequence && indent+1 == e.keyCol && strings.HasPrefix(trimmed, "-")) {
			end = i + 1
			continue
		}
		break
	}
	return end
}

// continues reports whether a plain scalar goes on below its first line.
func (p *patcher) continues(e *entry) bool {
	for i := e.valLine; i < p.endLine(*e) && i < len(p.lines); i++ {
		if t := strings.TrimSpace(lineBody(p.lines[i])); t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// offset is the byte offset of a 1-based column of a 0-based line.
func (p *patcher) offset(line, col int) int {
	l := p.lines[line]
	if line == 0 && p.bom {
		return len("\ufeff") + runeOffset(strings.TrimPrefix(l, "\ufeff"), col)
	}
	return runeOffset(l, col)
}

// span is a node property (&anchor or !tag) on a line, with the blanks after it.
type span struct{ from, to int }

// scalarAt finds a single-line scalar written at byte offset at of line:
// its properties, then the scalar itself at [start, end).
func scalarAt(line string, at int, style yaml.Style) (props []span, start, end int, ok bool) {
	l := lineBody(line)
	i := at
	for i < len(l) && (l[i] == '&' || l[i] == '!') {
		j := i
		for j < len(l) && l[j] != ' ' && l[j] != '\t' {
			j++
		}
		k := j
		for k < len(l) && (l[k] == ' ' || l[k] == '\t') {
			k++
		}
		props = append(props, span{i, k})
		i = k
	}
	if i > len(l) {
		return nil, 0, 0, false
	}
	body := l[i:]
	var n int
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		n = quotedLen(body, '"')
	case style&yaml.SingleQuotedStyle != 0:
		n = quotedLen(body, '\'')
	default:
		n = len(body)
		for j := 1; j < len(body); j++ {
			if body[j] == '#' && (body[j-1] == ' ' || body[j-1] == '\t') {
				n = j
				break
			}
		}
		n = len(strings.TrimRight(body[:n], " \t"))
	}
	return props, i, i + n, n > 0
}

// replaceToken rewrites one single-line scalar in place, keeping its quote
// style and its anchor (a tag goes when the value's type changes).
func (p *patcher) replaceToken(e *entry, v *yaml.Node) (edit, error) {
	notFound := fmt.Errorf("%s:%d: cannot find the value of %s to rewrite; set it to %q by hand", p.file, e.valLine, e.key, v.Value)
	if e.valLine < 1 || e.valLine > len(p.lines) {
		return edit{}, notFound
	}
	line := p.lines[e.valLine-1]
	at := p.offset(e.valLine-1, e.valCol)
	props, start, end, ok := scalarAt(line, at, e.style)
	quoted := e.style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	empty := e.kind == yaml.ScalarNode && e.tag == "!!null" && e.value == "" && !quoted // "key:" with no value
	if empty {
		end = start // the new value goes where the empty one is
	} else if !ok {
		return edit{}, notFound
	}
	if !quoted && p.continues(e) {
		return edit{}, fmt.Errorf("%s:%d: cannot rewrite %s in place (multi-line value); set it to %q by hand", p.file, e.keyLine, e.key, v.Value)
	}
	var b strings.Builder
	b.WriteString(line[:at])
	for _, s := range props {
		if line[s.from] == '!' && e.tag != v.Tag {
			continue
		}
		b.WriteString(line[s.from:s.to])
	}
	if t := b.String(); t != "" && t[len(t)-1] != ' ' && t[len(t)-1] != '\t' {
		b.WriteByte(' ')
	}
	b.WriteString(quoteLike(e.style, v))
	b.WriteString(line[end:])
	return edit{from: e.valLine - 1, to: e.valLine, text: b.String()}, nil
}

// renameLine rewrites a one-line scalar entry as the entry that replaces it,
// keeping its indentation, quoting, anchor and trailing comment. It declines
// an alias, and an anchor that some alias reads (that is left to the
// removal, which refuses it).
func (p *patcher) renameLine(e *entry, key string, v *yaml.Node) (edit, bool) {
	if e.kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode || e.valueIsMultiline || e.valLine != e.keyLine || e.keyAnchor != "" ||
		e.keyLine < 1 || e.keyLine > len(p.lines) || p.continues(e) {
		return edit{}, false
	}
	if n := p.idx().nodes[nodeKey{pos{e.valLine, e.valCol}, yaml.ScalarNode}]; e.anchor != "" && (n == nil || len(p.idx().aliases[n]) > 0) {
		return edit{}, false
	}
	line := p.lines[e.keyLine-1]
	at := p.offset(e.keyLine-1, e.valCol)
	props, _, end, ok := scalarAt(line, at, e.style)
	if !ok {
		return edit{}, false
	}
	var b strings.Builder
	b.WriteString(line[:p.offset(e.keyLine-1, e.keyCol)] + key + ": ")
	for _, s := range props {
		if line[s.from] == '!' && e.tag != v.Tag {
			continue
		}
		b.WriteString(line[s.from:s.to])
	}
	b.WriteString(quoteLike(e.style, v))
	b.WriteString(line[end:])
	return edit{from: e.keyLine - 1, to: e.keyLine, text: b.String(), removes: e.key}, true
}

// nothingAfterKey reports whether the line of a mapping's key holds only the
// key and its colon (and maybe a comment).
func (p *patcher) nothingAfterKey(m mapping) bool {
	if m.line < 1 || m.line > len(p.lines) {
		return false
	}
	line := lineBody(p.lines[m.line-1])
	rest := line[p.offset(m.line-1, m.keyCol):]
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return false
	}
	t := strings.TrimSpace(rest[i+1:])
	return t == "" || strings.HasPrefix(t, "#")
}

// quoteLike writes v in the quote style of the value it replaces.
func quoteLike(style yaml.Style, v *yaml.Node) string {
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		return strconv.Quote(v.Value)
	case style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(v.Value, "'", "''") + "'"
	}
	return token(v)
}

func runeOffset(line string, col int) int {
	n := 0
	for i := range line {
		if n == col-1 {
			return i
		}
		n++
	}
	return len(line)
}

// quotedLen is the length of a quoted scalar at the start of s, 0 if it
// does not close on this line.
func quotedLen(s string, q byte) int {
	if s == "" || s[0] != q {
		return 0
	}
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case s[i] == q && q == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i + 1
		}
	}
	return 0
}

// token writes a scalar as YAML: plain when it reads back the same,
// double-quoted otherwise.
func token(v *yaml.Node) string {
	if v.Tag == "!!str" && !isStringPlain(v.Value) {
		return strconv.Quote(v.Value)
	}
	return v.Value
}

// isStringPlain reports whether s written plain reads back as the string s,
// to yaml v3 and to Argo CD (YAML 1.1: yes, on, 0777 are not strings).
func isStringPlain(s string) bool {
	if !manifest.IsString(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}) {
		return false
	}
	if s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s[:1], "!&*?|>'\"%@`{}[],#-:") || strings.Contains(s, ": ") || strings.Contains(s, " #") {
		return false
	}
	var m map[string]any
	if err := yaml.Unmarshal([]byte("v: "+s), &m); err != nil {
		return false
	}
	got, ok := m["v"].(string)
	return ok && got == s
}

// lineBreaks are what YAML reads as a line break; "\r\n" is one.
var lineBreaks = []string{"\r\n", "\n", "\r", "\u0085", "\u2028", "\u2029"}

// splitLines splits text after each line break, as YAML counts lines.
func splitLines(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); {
		n := 0
		for _, b := range lineBreaks {
			if strings.HasPrefix(text[i:], b) {
				n = len(b)
				break
			}
		}
		if n == 0 {
			i++
			continue
		}
		i += n
		out = append(out, text[start:i])
		start = i
	}
	if start < len(text) || len(out) == 0 {
		out = append(out, text[start:])
	}
	return out
}

// lineBody is a line without its line break.
func lineBody(line string) string {
	for _, b := range lineBreaks {
		if strings.HasSuffix(line, b) {
			return line[:len(line)-len(b)]
		}
	}
	return line
}

// lineBreak is the file's line break: the most frequent of CRLF, LF and CR
// (LF when the file has none).
func lineBreak(text string) string {
	crlf := strings.Count(text, "\r\n")
	lf := strings.Count(text, "\n") - crlf
	cr := strings.Count(text, "\r") - crlf
	switch {
	case crlf > 0 && crlf >= lf && crlf >= cr:
		return "\r\n"
	case cr > lf:
		return "\r"
	}
	return "\n"
}

func apply(lines []string, edits []edit) string {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	out := append([]string{}, lines...)
	for _, e := range edits {
		var repl []string
		if e.text != "" {
			repl = []string{e.text}
		}
		out = append(out[:e.from], append(repl, out[e.to:]...)...)
	}
	var b bytes.Buffer
	for _, l := range out {
		b.WriteString(l)
	}
	return b.String()
}
