package manifest

import (
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Annotations returns metadata.annotations as strings, and the keys whose
// values are not YAML strings (an unquoted 5, true, or nothing at all).
// Argo CD reads annotations through unstructured.GetAnnotations, which gives
// nothing at all when one value is not a string.
func (o Object) Annotations() (values map[string]string, notString []NotString) {
	return AnnotationsOf(o.Node)
}

// AnnotationsOf is Annotations for any object node.
func AnnotationsOf(rn *yaml.RNode) (values map[string]string, notString []NotString) {
	values = map[string]string{}
	md := rn.Field("metadata")
	if md == nil {
		return values, nil
	}
	ann := md.Value.Field("annotations")
	if ann == nil || ann.Value.YNode().Kind != yaml.MappingNode {
		return values, nil
	}
	content := ann.Value.YNode().Content
	for i := 0; i+1 < len(content); i += 2 {
		k, v := content[i], resolve(content[i+1])
		values[k.Value] = v.Value
		if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
			notString = append(notString, NotString{Key: k.Value, Type: typeName(v)})
		}
	}
	return values, notString
}

// NotString is an annotation whose value is not a YAML string.
type NotString struct {
	Key  string `json:"key"`
	Type string `json:"type"` // "an integer", "a boolean", "empty (null)", ...
}

func typeName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!int":
		return "an integer"
	case "!!bool":
		return "a boolean"
	case "!!float":
		return "a number"
	case "!!null":
		return "empty (null)"
	}
	return "of type " + strings.TrimPrefix(n.Tag, "!!")
}

// Position returns the line and column of the value at path (map keys, or
// list indexes as decimal strings), or of the deepest part of it that exists.
func (o Object) Position(path []string) (line, column int) {
	if o.Rendered {
		return o.Line, o.Column
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
// numbers, bools, nil), as encoding/json would decode its JSON form.
func (o Object) Value() map[string]any {
	v, _ := toValue(o.Node.YNode(), 0).(map[string]any)
	return v
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// maxDepth bounds alias nesting, and maxNodes the size of an object once
// its aliases are expanded (a "billion laughs" document is refused at parse time).
const (
	maxDepth = 100
	maxNodes = 1_000_000
)

// expandedSize counts the nodes of n with aliases expanded, stopping at limit.
func expandedSize(n *yaml.Node, depth, limit int) int {
	if depth > maxDepth {
		return limit + 1
	}
	n = resolve(n)
	size := 1
	for _, c := range n.Content {
		size += expandedSize(c, depth+1, limit-size)
		if size > limit {
			return size
		}
	}
	return size
}

func toValue(n *yaml.Node, depth int) any {
	if depth > maxDepth {
		return nil
	}
	n = resolve(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return toValue(n.Content[0], depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := resolve(n.Content[i]), n.Content[i+1]
			if k.Tag == "!!merge" {
				if merged, ok := toValue(v, depth+1).(map[string]any); ok {
					for mk, mv := range merged {
						if _, set := m[mk]; !set {
							m[mk] = mv
						}
					}
				}
				continue
			}
			m[k.Value] = toValue(v, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			s = append(s, toValue(c, depth+1))
		}
		return s
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return nil
		case "!!bool":
			b, err := strconv.ParseBool(n.Value)
			if err != nil {
				return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
			}
			return b
		case "!!int":
			if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
				return i
			}
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				return f
			}
		case "!!float":
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				return f
			}
		}
		return n.Value
	}
	return nil
}
