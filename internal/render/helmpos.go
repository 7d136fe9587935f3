package render

import (
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/manifest"
)

// Helm positions: a rendered object is mapped back to its template file
// (helm's "# Source:" header) and, within it, to the document it came from
// and the line of each key. Templates are not YAML until rendered, so keys
// are found in the text: a key counts only where it is written literally at
// the indentation its parent's block gives it, and exactly once there. Any
// field not found that way takes the line of its nearest located parent
// (at worst the document's first line), so every finding has a line and
// none points at a line that does not hold its key or a parent of it.

// tplLine is one line of a template as the key search sees it.
type tplLine struct {
	// content is false for blank lines, comments and lines holding only
	// template actions: they neither open nor close a block.
	content bool
	// start is the column (0-based) where the line's YAML begins; dash is
	// that column when the line opens a sequence item ("- "), else -1.
	start, dash int
	// indent is the column of the mapping key on the line (after "- ").
	indent int
	// key is the literal mapping key on the line, unquoted ("" if none or
	// templated); value the rest of the line after "key:".
	key, value string
	// actions: the line holds a template action ({{ ... }}).
	actions bool
}

var (
	tplAction = regexp.MustCompile(`\{\{.*?\}\}`)
	// a mapping key: quoted, or plain up to ": " (or ":" at the end).
	tplKey = regexp.MustCompile(`^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s"'#{\[\]&*!|>%@` + "`" + `-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+(.*))?$`)
)

func parseTplLine(s string) tplLine {
	s = strings.TrimRight(s, " \t\r")
	l := tplLine{dash: -1, actions: strings.Contains(s, "{{")}
	rest := strings.TrimLeft(s, " ")
	if rest == "" || strings.HasPrefix(rest, "#") || strings.TrimSpace(tplAction.ReplaceAllString(rest, "")) == "" {
		return l
	}
	l.content = true
	l.start = len(s) - len(rest)
	l.indent = l.start
	if rest == "-" || strings.HasPrefix(rest, "- ") {
		l.dash = l.start
		after := strings.TrimLeft(strings.TrimPrefix(rest, "-"), " ")
		l.indent = len(s) - len(after)
		rest = after
	}
	if m := tplKey.FindStringSubmatch(rest); m != nil {
		switch {
		case strings.HasPrefix(rest, `"`):
			l.key = strings.ReplaceAll(m[1], `\"`, `"`)
		case strings.HasPrefix(rest, `'`):
			l.key = strings.ReplaceAll(m[2], `''`, `'`)
		default:
			l.key = m[3]
		}
		if strings.Contains(l.key, "{{") {
			l.key = ""
		}
		l.value = strings.TrimSpace(m[4])
	}
	return l
}

// template is one template file, split into lines and documents.
type template struct {
	lines []tplLine
	raw   []string
	docs  []tplDoc
}

// tplDoc is one "---" document of a template: lines [from, to).
type tplDoc struct {
	from, to int
	// first is the line of its first top-level key (-1: none written).
	first int
	// kind is its literal top-level kind ("" when templated or missing).
	kind string
}

func parseTemplate(text string) *template {
	t := &template{raw: strings.Split(text, "\n")}
	t.lines = make([]tplLine, len(t.raw))
	from := 0
	for i, s := range maskActions(t.raw) {
		if strings.HasPrefix(s, "---") && strings.TrimSpace(s[3:]) == "" || strings.HasPrefix(s, "--- ") {
			t.addDoc(from, i)
			from = i + 1
			continue
		}
		t.lines[i] = parseTplLine(s)
	}
	t.addDoc(from, len(t.raw))
	return t
}

// maskActions closes template actions that span lines on each line they
// touch ("{{- $x := dict" ... "}}"), so their inner lines read as action only.
func maskActions(raw []string) []string {
	out := make([]string, len(raw))
	open := false
	for i, s := range raw {
		if open {
			j := strings.Index(s, "}}")
			if j < 0 {
				out[i] = "{{}}"
				continue
			}
			s = "{{" + strings.Repeat(" ", max(j-2, 0)) + "}}" + s[j+2:]
			open = false
		}
		for pos := 0; ; {
			k := strings.Index(s[pos:], "{{")
			if k < 0 {
				break
			}
			k += pos
			e := strings.Index(s[k+2:], "}}")
			if e < 0 {
				s, open = s[:k]+"{{}}", true
				break
			}
			pos = k + 2 + e + 2
		}
		out[i] = s
	}
	return out
}

func (t *template) addDoc(from, to int) {
	d := tplDoc{from: from, to: to, first: -1}
	for i := from; i < to; i++ {
		l := t.lines[i]
		if !l.content {
			continue
		}
		if l.start == 0 && l.dash < 0 && l.key != "" {
			if d.first < 0 {
				d.first = i
			}
			if l.key == "kind" && !strings.Contains(l.value, "{{") {
				d.kind = strings.Trim(l.value, `"'`)
			}
		}
	}
	if d.first >= 0 {
		t.docs = append(t.docs, d)
	}
}

// block is the range of lines below line i that belong to its value:
// lines deeper than it, or sequence items at its own column.
func (t *template) block(i, to int) (int, int) {
	l := t.lines[i]
	col := l.indent
	if l.dash >= 0 && l.key == "" {
		col = l.dash // a bare "- " item: its value is what follows, deeper
	}
	end := i + 1
	for ; end < to; end++ {
		n := t.lines[end]
		if !n.content {
			continue
		}
		// a key with no value on its line may hold a sequence written at
		// its own column ("env:\n- name: A")
		if n.start > col || n.start == col && n.dash >= 0 && l.key != "" && l.value == "" {
			continue
		}
		break
	}
	return i + 1, end
}

// itemBlock is the range of a sequence item starting at line i: the line
// itself and what is deeper than its dash.
func (t *template) itemBlock(i, to int) (int, int) {
	dash := t.lines[i].dash
	end := i + 1
	for ; end < to; end++ {
		if n := t.lines[end]; n.content && n.start <= dash {
			break
		}
	}
	return i, end
}

// first is the first YAML line in [from, to).
func (t *template) first(from, to int) (int, bool) {
	for i := from; i < to; i++ {
		if t.lines[i].content {
			return i, true
		}
	}
	return 0, false
}

// keys indexes the lines of [from, to) holding a key at the column of the
// block's first line, by key.
func (t *template) keys(from, to int) map[string][]int {
	f, ok := t.first(from, to)
	if !ok {
		return nil
	}
	col := t.lines[f].indent
	idx := map[string][]int{}
	for i := from; i < to; i++ {
		l := t.lines[i]
		if !l.content || l.indent != col || l.key == "" {
			continue
		}
		if l.dash >= 0 && i != f {
			continue // another item's key
		}
		idx[l.key] = append(idx[l.key], i)
	}
	return idx
}

// items are the lines opening the sequence items of [from, to), and whether
// the block has template actions that may add or remove items.
func (t *template) items(from, to int) (items []int, actions bool) {
	f, ok := t.first(from, to)
	if !ok || t.lines[f].dash < 0 {
		return nil, false
	}
	dash := t.lines[f].dash
	for i := from; i < to; i++ {
		l := t.lines[i]
		if l.actions && (!l.content || l.start <= dash) {
			actions = true
		}
		if l.content && l.dash == dash && l.start == dash {
			items = append(items, i)
		}
	}
	return items, actions
}

// place sets the positions of n and everything below it: from the template
// lines [from, to) when known, else the parent's position.
func (t *template) place(n *yaml.Node, from, to, line, col int, known bool) {
	n.Line, n.Column = line, col
	switch n.Kind {
	case yaml.MappingNode:
		var idx map[string][]int
		if known {
			idx = t.keys(from, to)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			// a key written twice (both branches of an if) is not reliable
			if lines := idx[k.Value]; len(lines) == 1 {
				at, l := lines[0], t.lines[lines[0]]
				k.Line, k.Column = at+1, l.indent+1
				bf, bt := t.block(at, to)
				t.place(v, bf, bt, at+1, l.indent+1, true)
				continue
			}
			k.Line, k.Column = line, col
			t.place(v, 0, 0, line, col, false)
		}
	case yaml.SequenceNode:
		items, actions := t.items(from, to)
		for i, c := range n.Content {
			// Items are counted only where their number matches, or where no
			// action can change it: a range or an if would shift them.
			if known && i < len(items) && (len(items) == len(n.Content) || !actions) {
				f, e := t.itemBlock(items[i], to)
				l := t.lines[items[i]]
				t.place(c, f, e, items[i]+1, l.indent+1, true)
				continue
			}
			t.place(c, 0, 0, line, col, false)
		}
	default:
		for _, c := range n.Content {
			t.place(c, 0, 0, line, col, false)
		}
	}
}

// chooseDoc picks the template document a rendered object came from: the
// only one of its kind; else the one sharing most literal lines with the
// rendered text; else by order among those of its kind when the counts
// match. -1 when none can be told.
func (t *template) chooseDoc(kind, rendered string, ordinal, ofKind int) int {
	var cands []int
	for i, d := range t.docs {
		if d.kind == kind {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		for i, d := range t.docs {
			if d.kind == "" {
				cands = append(cands, i)
			}
		}
	}
	switch len(cands) {
	case 0:
		return -1
	case 1:
		return cands[0]
	}
	have := map[string]bool{}
	for _, s := range strings.Split(rendered, "\n") {
		have[strings.TrimSpace(s)] = true
	}
	best, bestScore, tie := -1, 0, false
	for _, c := range cands {
		score := 0
		d := t.docs[c]
		for i := d.from; i < d.to; i++ {
			if !t.lines[i].content || t.lines[i].actions {
				continue
			}
			if have[strings.TrimSpace(t.raw[i])] {
				score++
			} else {
				score--
			}
		}
		switch {
		case best < 0 || score > bestScore:
			best, bestScore, tie = c, score, false
		case score == bestScore:
			tie = true
		}
	}
	if !tie {
		return best
	}
	if ofKind == len(cands) && ordinal < len(cands) {
		return cands[ordinal]
	}
	return -1
}

// templateText finds the text of a "# Source:" path in the chart or its
// subcharts ("app/charts/db/templates/x.yaml", "app/crds/x.yaml").
func templateText(chrt *chart.Chart, source string) (string, bool) {
	rest, ok := strings.CutPrefix(source, chrt.Name()+"/")
	if !ok {
		return "", false
	}
	c := chrt
	for strings.HasPrefix(rest, "charts/") {
		name, after, ok := strings.Cut(strings.TrimPrefix(rest, "charts/"), "/")
		if !ok {
			return "", false
		}
		var sub *chart.Chart
		for _, d := range c.Dependencies() {
			if d.Name() == name {
				sub = d
			}
		}
		if sub == nil {
			return "", false
		}
		c, rest = sub, after
	}
	// templates/, or crds/ (which helm keeps among the chart's files)
	for _, f := range slices.Concat(c.Templates, c.Files) {
		if f.Name == rest {
			return string(f.Data), true
		}
	}
	return "", false
}

// placeHelm sets the template positions of the objects parsed from each
// rendered document: Line and Column of the object, and of every field.
func placeHelm(chrt *chart.Chart, docs []manifestDoc, parsed [][]manifest.Object) {
	type key struct{ source, kind string }
	ofKind := map[key]int{}
	for i, doc := range docs {
		for _, o := range parsed[i] {
			ofKind[key{doc.source, o.Node.GetKind()}]++
		}
	}
	seen := map[key]int{}
	templates := map[string]*template{}
	for i, doc := range docs {
		t, ok := templates[doc.source]
		if !ok {
			if text, found := templateText(chrt, doc.source); found {
				t = parseTemplate(text)
			}
			templates[doc.source] = t
		}
		for j := range parsed[i] {
			o := &parsed[i][j]
			k := key{doc.source, o.Node.GetKind()}
			ordinal := seen[k]
			seen[k]++
			o.Line, o.Column = 0, 0
			if t == nil {
				continue // no Source header, or a template helm did not load
			}
			// the file's first line when the document cannot be told
			o.Line, o.Column = 1, 1
			d := -1
			if len(parsed[i]) == 1 { // a List's items are not mapped
				d = t.chooseDoc(k.kind, doc.body, ordinal, ofKind[k])
			}
			root := o.Node.YNode()
			if d < 0 {
				t.place(root, 0, 0, 1, 1, false)
			} else {
				doc := t.docs[d]
				o.Line = doc.first + 1
				t.place(root, doc.from, doc.to, o.Line, 1, true)
			}
			o.Mapped = true
		}
	}
}
