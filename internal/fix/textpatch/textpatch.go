// Package textpatch edits YAML source text in place at the exact places where
// an object's annotations or spec fields changed.
//
// Why text and not kyaml: re-serializing a node tree rewrites quoting,
// indentation, comments and key order across the whole file; `hookguard fix`
// promises that only the values it changes move. So the object is snapshot
// before the filters run, compared after, and each difference becomes a line
// edit of the original text.
package textpatch

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Take records where rn's fields are in the text it was parsed from.
func Take(rn *yaml.RNode) Snapshot { return snap(rn) }

// Patch rewrites text so that every object carries its fields after the
// change: before[i] is object i as it was, after[i] as it is now. It returns
// the text unchanged when nothing differs.
func Patch(file string, text []byte, before []Snapshot, after []*yaml.RNode) ([]byte, error) {
	lines := strings.SplitAfter(string(text), "\n")
	var edits []edit
	for i := range before {
		e, err := diff(file, lines, before[i], after[i])
		if err != nil {
			return nil, err
		}
		edits = append(edits, e...)
	}
	if len(edits) == 0 {
		return text, nil
	}
	return []byte(apply(lines, edits)), nil
}

// entry is a key of a block mapping as it was in the file.
type entry struct {
	key              string
	keyLine, keyCol  int // 1-based
	value, tag       string
	style            yaml.Style
	kind             yaml.Kind
	valLine, valCol  int
	valueIsSequence  bool
	valueIsMultiline bool
}

// mapping is a block mapping as it was in the file.
type mapping struct {
	exists   bool
	flow     bool
	line     int // line of its parent key
	keyCol   int // column of its parent key
	entries  []entry
	childCol int // column of its keys (0 when empty)
}

// Snapshot is where an object's metadata, annotations and spec were in the
// source text before it was changed.
type Snapshot struct {
	metadata, annotations, spec mapping
	objLine, objCol             int
	objEntries                  []entry
}

func readMapping(parent *yaml.Node, field string) (mapping, *yaml.Node) {
	var m mapping
	if parent == nil || parent.Kind != yaml.MappingNode {
		return m, nil
	}
	for i := 0; i+1 < len(parent.Content); i += 2 {
		k, v := parent.Content[i], parent.Content[i+1]
		if k.Value != field {
			continue
		}
		m.line, m.keyCol = k.Line, k.Column
		if v.Kind != yaml.MappingNode {
			return m, nil
		}
		m.exists = true
		m.flow = v.Style&yaml.FlowStyle != 0
		m.entries = entries(v)
		if len(m.entries) > 0 {
			m.childCol = m.entries[0].keyCol
		}
		return m, v
	}
	return m, nil
}

func entries(n *yaml.Node) []entry {
	var out []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		out = append(out, entry{
			key: k.Value, keyLine: k.Line, keyCol: k.Column, value: v.Value, tag: v.Tag, style: v.Style, kind: v.Kind,
			valLine: v.Line, valCol: v.Column, valueIsSequence: v.Kind == yaml.SequenceNode,
			valueIsMultiline: v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0,
		})
	}
	return out
}

func snap(rn *yaml.RNode) Snapshot {
	root := rn.YNode()
	s := Snapshot{objLine: root.Line, objCol: root.Column, objEntries: entries(root)}
	var md *yaml.Node
	s.metadata, md = readMapping(root, "metadata")
	s.annotations, _ = readMapping(md, "annotations")
	s.spec, _ = readMapping(root, "spec")
	return s
}

// edit replaces lines [from, to) (0-based) with text; from == to inserts.
type edit struct {
	from, to int
	text     string
}

// fieldsAfter reads the string form of a mapping's fields after the filters.
func fieldsAfter(rn *yaml.RNode, path ...string) ([]string, map[string]*yaml.Node) {
	n, _ := rn.Pipe(yaml.Lookup(path...))
	m := map[string]*yaml.Node{}
	var keys []string
	if n == nil || n.YNode().Kind != yaml.MappingNode {
		return keys, m
	}
	c := n.YNode().Content
	for i := 0; i+1 < len(c); i += 2 {
		keys = append(keys, c[i].Value)
		m[c[i].Value] = c[i+1]
	}
	return keys, m
}

func diff(file string, lines []string, before Snapshot, after *yaml.RNode) ([]edit, error) {
	var edits []edit
	a, err := diffMapping(file, lines, before.annotations, before.metadata, after, "metadata", "annotations")
	if err != nil {
		return nil, err
	}
	edits = append(edits, a...)
	// spec fields are only ever added (hook defaults).
	keys, values := fieldsAfter(after, "spec")
	var added []string
	for _, k := range keys {
		if !has(before.spec.entries, k) {
			added = append(added, fmt.Sprintf("%s: %s", k, token(values[k])))
		}
	}
	if len(added) > 0 {
		if !before.spec.exists || before.spec.flow || len(before.spec.entries) == 0 {
			return nil, fmt.Errorf("%s:%d: cannot add %s in place (spec is missing or not a block mapping); add it by hand", file, before.objLine, strings.Join(added, ", "))
		}
		edits = append(edits, insertAfter(lines, before.spec, added))
	}
	return edits, nil
}

// diffMapping turns changes of one mapping (metadata.annotations) into edits.
func diffMapping(file string, lines []string, m, parent mapping, after *yaml.RNode, path ...string) ([]edit, error) {
	keys, values := fieldsAfter(after, path...)
	var edits []edit
	var added []string
	for _, k := range keys {
		v := values[k]
		if !has(m.entries, k) {
			added = append(added, fmt.Sprintf("%s: %s", k, token(v)))
			continue
		}
		e := find(m.entries, k)
		if e.kind == v.Kind && e.value == v.Value && e.tag == v.Tag {
			continue
		}
		if m.flow || e.valueIsMultiline || e.kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: cannot rewrite %s in place (flow or multi-line value); set it to %q by hand", file, e.keyLine, k, v.Value)
		}
		ed, err := replaceToken(file, lines, e, v)
		if err != nil {
			return nil, err
		}
		edits = append(edits, ed)
	}
	for _, e := range m.entries {
		if _, ok := values[e.key]; ok {
			continue
		}
		if m.flow {
			return nil, fmt.Errorf("%s:%d: cannot remove %s in place (flow mapping); remove it by hand", file, e.keyLine, e.key)
		}
		edits = append(edits, edit{from: e.keyLine - 1, to: endLine(lines, e), text: ""})
	}
	if len(added) == 0 {
		return edits, nil
	}
	switch {
	case m.exists && !m.flow && len(m.entries) > 0:
		edits = append(edits, insertAfter(lines, m, added))
	case !m.exists && parent.exists && !parent.flow && len(parent.entries) > 0:
		// No annotations yet: add "annotations:" at the end of metadata.
		indent := strings.Repeat(" ", parent.childCol-1)
		text := indent + path[len(path)-1] + ":\n"
		for _, a := range added {
			text += indent + "  " + a + "\n"
		}
		last := parent.entries[len(parent.entries)-1]
		at := endLine(lines, last)
		edits = append(edits, edit{from: at, to: at, text: text})
	default:
		return nil, fmt.Errorf("%s:%d: cannot add %s in place (%s is missing or not a block mapping); add it by hand", file, parent.line, strings.Join(added, ", "), strings.Join(path, "."))
	}
	return edits, nil
}

func has(es []entry, key string) bool { return find(es, key) != nil }

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
func insertAfter(lines []string, m mapping, added []string) edit {
	last := m.entries[len(m.entries)-1]
	at := endLine(lines, last)
	indent := strings.Repeat(" ", m.childCol-1)
	var b strings.Builder
	for _, a := range added {
		b.WriteString(indent + a + "\n")
	}
	if at > 0 && at <= len(lines) && !strings.HasSuffix(lines[at-1], "\n") {
		b.Reset()
		b.WriteString("\n")
		for i, a := range added {
			b.WriteString(indent + a)
			if i < len(added)-1 {
				b.WriteString("\n")
			}
		}
	}
	return edit{from: at, to: at, text: b.String()}
}

// endLine is the 0-based index of the line after an entry: lines indented
// deeper than its key (or a compact sequence at its indentation) belong to it.
func endLine(lines []string, e entry) int {
	end := e.keyLine // 0-based index of the next line
	for i := e.keyLine; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r\n")
		trimmed := strings.TrimLeft(l, " ")
		if trimmed == "" {
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

// replaceToken rewrites one single-line scalar in place, keeping its quote style.
func replaceToken(file string, lines []string, e *entry, v *yaml.Node) (edit, error) {
	line := lines[e.valLine-1]
	start := runeOffset(line, e.valCol)
	rest := line[start:]
	var length int
	switch {
	case e.style&yaml.DoubleQuotedStyle != 0:
		length = quotedLen(rest, '"')
	case e.style&yaml.SingleQuotedStyle != 0:
		length = quotedLen(rest, '\'')
	default:
		end := len(strings.TrimRight(rest, "\r\n"))
		if i := strings.Index(rest, " #"); i >= 0 && i < end {
			end = i
		}
		length = len(strings.TrimRight(rest[:end], " \t"))
	}
	if length <= 0 {
		return edit{}, fmt.Errorf("%s:%d: cannot find the value of %s to rewrite; set it to %q by hand", file, e.valLine, e.key, v.Value)
	}
	var tok string
	switch {
	case e.style&yaml.DoubleQuotedStyle != 0:
		tok = strconv.Quote(v.Value)
	case e.style&yaml.SingleQuotedStyle != 0:
		tok = "'" + strings.ReplaceAll(v.Value, "'", "''") + "'"
	default:
		tok = token(v)
	}
	newLine := line[:start] + tok + rest[length:]
	return edit{from: e.valLine - 1, to: e.valLine, text: newLine}, nil
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

// isStringPlain reports whether s written plain reads back as the string s.
func isStringPlain(s string) bool {
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
	return strings.Join(out, "")
}
