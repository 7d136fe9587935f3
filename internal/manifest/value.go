package manifest

import (
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Annotations returns metadata.annotations as Argo CD reads them, and the
// keys whose values are not strings.
func (o Object) Annotations() (values map[string]string, notString []NotString) {
	return AnnotationsOf(o.Node)
}

// AnnotationsOf reads metadata.annotations of any object node as Argo CD
// does (unstructured.GetAnnotations over yaml v2's values): a null value
// reads as "", and a value that is not a string (a YAML 1.1 boolean such as
// an unquoted yes, a number, a mapping) makes Argo CD read no annotations at
// all. values holds every key (non-strings as written); notString lists the
// values that are not strings, nulls included.
func AnnotationsOf(rn *yaml.RNode) (values map[string]string, notString []NotString) {
	values = map[string]string{}
	md := field(rn.YNode(), "metadata")
	if md == nil {
		return values, nil
	}
	ann := field(md, "annotations")
	if ann == nil || resolve(ann).Kind != yaml.MappingNode {
		return values, nil
	}
	keys, nodes := entries(ann, 0)
	for _, k := range keys {
		v := resolve(nodes[k])
		if v.Kind != yaml.ScalarNode {
			values[k] = v.Value
			notString = append(notString, NotString{Key: k, Type: typeName(v, nil)})
			continue
		}
		switch x := scalar(v).(type) {
		case string:
			values[k] = x
		case nil:
			values[k] = ""
			notString = append(notString, NotString{Key: k, Type: typeName(v, x), Null: true})
		default:
			values[k] = v.Value
			notString = append(notString, NotString{Key: k, Type: typeName(v, x)})
		}
	}
	return values, notString
}

// Readable reports whether Argo CD reads the annotations at all: every value
// a string or null.
func Readable(notString []NotString) bool {
	for _, n := range notString {
		if !n.Null {
			return false
		}
	}
	return true
}

// NotString is an annotation whose value is not a YAML string.
type NotString struct {
	Key  string `json:"key"`
	Type string `json:"type"` // "an integer", "a boolean", "empty (null)", ...
	// Null values read as "" and leave the other annotations readable.
	Null bool `json:"-"`
}

func typeName(n *yaml.Node, v any) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch v.(type) {
	case int64, uint64:
		return "an integer"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case nil:
		return "empty (null)"
	}
	return "of type " + strings.TrimPrefix(n.Tag, "!!")
}

// Position returns the line and column of the value at path (map keys, or
// list indexes as decimal strings), or of the deepest part of it that exists.
func (o Object) Position(path []string) (line, column int) {
	if o.Rendered && !o.Mapped {
		return o.Line, o.Column
	}
	if o.positions != nil {
		return o.positions.position(o.rootAt, path)
	}
	n := o.Node.YNode()
	line, column = n.Line, n.Column
	for _, part := range path {
		n = resolve(n)
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					// point at the key: that is the line a reader looks for
					line, column = n.Content[i].Line, n.Content[i].Column
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if idx, err := strconv.Atoi(part); err == nil && idx >= 0 && idx < len(n.Content) {
				next = n.Content[idx]
				line, column = next.Line, next.Column
			}
		}
		if next == nil {
			return line, column
		}
		n = next
	}
	return line, column
}

// Value converts the object to plain Go values (maps, slices, strings,
// int64, uint64, float64, bools, nil) as Argo CD decodes it (yaml v2, see
// yaml11.go).
func (o Object) Value() map[string]any {
	v, _ := Convert(o.Node.YNode(), goValues).(map[string]any)
	return v
}

// Builder makes values of another form (Go's, Rego's) from YAML, so every
// form reads the YAML alike: Map gets the keys in order with their values,
// Scalar a string, int64, uint64, float64, bool or nil as yaml v2 reads it.
type Builder[V any] struct {
	Map    func(keys []string, values []V) V
	List   func(items []V) V
	Scalar func(v any) V
}

var goValues = Builder[any]{
	Map: func(keys []string, values []any) any {
		m := make(map[string]any, len(keys))
		for i, k := range keys {
			m[k] = values[i]
		}
		return m
	},
	List:   func(items []any) any { return items },
	Scalar: func(v any) any { return v },
}

// Convert builds n's value with b, as Value reads it.
func Convert[V any](n *yaml.Node, b Builder[V]) V {
	return convert(n, b, 0)
}

func convert[V any](n *yaml.Node, b Builder[V], depth int) V {
	if depth > maxDepth {
		return b.Scalar(nil)
	}
	n = resolve(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return b.Scalar(nil)
		}
		return convert(n.Content[0], b, depth+1)
	case yaml.MappingNode:
		keys, nodes := plainEntries(n)
		if keys == nil {
			var byKey map[string]*yaml.Node
			keys, byKey = entries(n, depth)
			nodes = make([]*yaml.Node, len(keys))
			for i, k := range keys {
				nodes[i] = byKey[k]
			}
		}
		values := make([]V, len(keys))
		for i, c := range nodes {
			values[i] = convert(c, b, depth+1)
		}
		return b.Map(keys, values)
	case yaml.SequenceNode:
		items := make([]V, len(n.Content))
		for i, c := range n.Content {
			items[i] = convert(c, b, depth+1)
		}
		return b.List(items)
	case yaml.ScalarNode:
		return b.Scalar(scalar(n))
	}
	return b.Scalar(nil)
}

// plainEntries reads a mapping without merge keys or repeated keys in
// order, as entries would, without its map; nil keys send the caller to
// entries.
func plainEntries(n *yaml.Node) (keys []string, nodes []*yaml.Node) {
	pairs := len(n.Content) / 2
	keys = make([]string, 0, pairs)
	nodes = make([]*yaml.Node, 0, pairs)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if isMerge(k) {
			return nil, nil
		}
		keys = append(keys, keyString(k))
		nodes = append(nodes, n.Content[i+1])
	}
	if repeated(keys) {
		return nil, nil // the last value wins, and entries knows where
	}
	return keys, nodes
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// maxDepth bounds nesting, and maxNodes the size of an object once its
// aliases are expanded (a "billion laughs" document is refused at parse time).
const (
	maxDepth = 100
	maxNodes = 1_000_000
)

// expandedSize counts the nodes of n with aliases expanded, stopping at
// limit; depth reports the deepest nesting seen (past maxDepth it stops).
func expandedSize(n *yaml.Node, depth, limit int, deepest *int) int {
	if depth > *deepest {
		*deepest = depth
	}
	if depth > maxDepth {
		return 1
	}
	n = resolve(n)
	size := 1
	for _, c := range n.Content {
		size += expandedSize(c, depth+1, limit-size, deepest)
		if size > limit {
			return size
		}
	}
	return size
}

// repeated reports whether a key occurs twice (small mappings are the rule:
// compare them pairwise, without allocating).
func repeated(keys []string) bool {
	if len(keys) > 16 {
		sorted := slices.Clone(keys)
		slices.Sort(sorted)
		return len(slices.Compact(sorted)) != len(keys)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[i] == keys[j] {
				return true
			}
		}
	}
	return false
}

// duplicateKey finds two equal keys in a mapping of n (aliases are checked
// where their anchors are defined). Argo CD's decoder keeps the last of
// them and kyaml's getters the first; rather than guess, hookguard refuses.
func duplicateKey(n *yaml.Node, depth int) (key string, first, second *yaml.Node) {
	if depth > maxDepth || n.Kind == yaml.AliasNode {
		return "", nil, nil
	}
	if n.Kind == yaml.MappingNode {
		seen := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if isMerge(n.Content[i]) {
				continue // several merge keys apply in order, as yaml v2 does
			}
			k := keyString(n.Content[i])
			if prev, dup := seen[k]; dup {
				return k, prev, n.Content[i]
			}
			seen[k] = n.Content[i]
		}
	}
	for _, c := range n.Content {
		if key, first, second := duplicateKey(c, depth+1); first != nil {
			return key, first, second
		}
	}
	return "", nil, nil
}
