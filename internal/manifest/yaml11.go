package manifest

import (
	"encoding/base64"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Argo CD reads manifests with sigs.k8s.io/yaml, which decodes with
// go.yaml.in/yaml/v2: YAML 1.1 scalars (yes/no/on/off are booleans, 0777 is
// octal), merge keys applied in document order, and the last of two equal
// keys wins (docs/research/argocd-yaml-reading.md). hookguard parses with
// yaml v3 to keep positions; this file gives the values yaml v2 would give,
// so that every fact is read from what Argo CD sees. Equal keys are refused
// at parse time (duplicateKey), so "last wins" never has to be guessed.

// yaml11Bool are the plain scalars yaml v2 resolves to booleans
// (go.yaml.in/yaml/v2 resolve.go resolveMapList).
var yaml11Bool = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
}

var yaml11Null = map[string]bool{"": true, "~": true, "null": true, "Null": true, "NULL": true}

var yaml11Special = map[string]float64{
	".inf": math.Inf(1), ".Inf": math.Inf(1), ".INF": math.Inf(1),
	"+.inf": math.Inf(1), "+.Inf": math.Inf(1), "+.INF": math.Inf(1),
	"-.inf": math.Inf(-1), "-.Inf": math.Inf(-1), "-.INF": math.Inf(-1),
	".nan": math.NaN(), ".NaN": math.NaN(), ".NAN": math.NaN(),
}

// yaml11Float is yaml v2's yamlStyleFloat.
var yaml11Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// scalar is the value yaml v2 gives a scalar node when decoding into
// interface{}: a string, bool, int64, uint64, float64 or nil. Quoted scalars
// are strings; an explicit standard tag (!!str, !!int, ...) is honoured;
// plain scalars are resolved by YAML 1.1 rules. Timestamps stay strings, as
// yaml v2 keeps them for interface{} targets.
func scalar(n *yaml.Node) any {
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 && n.Style&yaml.TaggedStyle == 0 {
		return n.Value
	}
	if n.Style&yaml.TaggedStyle != 0 {
		// yaml v2 resolves the standard scalar tags; any other tag (a local
		// !foo, the bare !) leaves the text as it is.
		switch n.Tag {
		case "!!null":
			return nil
		case "!!binary":
			if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), "")); err == nil {
				return string(b)
			}
			return n.Value
		case "!!bool":
			if b, ok := yaml11Bool[n.Value]; ok {
				return b
			}
			return n.Value
		case "!!int", "!!float":
			if v := resolvePlain(n.Value); v != nil {
				if _, isString := v.(string); !isString {
					return v
				}
			}
			return n.Value
		default:
			return n.Value
		}
	}
	return resolvePlain(n.Value)
}

// resolvePlain is yaml v2's resolve for an untagged plain scalar.
func resolvePlain(s string) any {
	if yaml11Null[s] {
		return nil
	}
	if b, ok := yaml11Bool[s]; ok {
		return b
	}
	if f, ok := yaml11Special[s]; ok {
		return f
	}
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
	default:
		return s
	}
	if isTimestamp(s) {
		return s
	}
	plain := strings.ReplaceAll(s, "_", "")
	if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return i
	}
	if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
		return u
	}
	if yaml11Float.MatchString(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return f
		}
	}
	if b, ok := strings.CutPrefix(plain, "0b"); ok {
		if i, err := strconv.ParseInt(b, 2, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(b, 2, 64); err == nil {
			return u
		}
	} else if b, ok := strings.CutPrefix(plain, "-0b"); ok {
		if i, err := strconv.ParseInt("-"+b, 2, 64); err == nil {
			return i
		}
	}
	return s
}

// timestampFormats are yaml v2's allowed timestamp layouts.
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999", "2006-1-2",
}

func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}

// keyString is the JSON key sigs.k8s.io/yaml makes of a mapping key.
func keyString(n *yaml.Node) string {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		return n.Value
	}
	switch v := scalar(n).(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float64:
		switch {
		case math.IsNaN(v): // sigs.k8s.io/yaml's spelling of special float keys
			return ".nan"
		case math.IsInf(v, 1):
			return ".inf"
		case math.IsInf(v, -1):
			return "-.inf"
		}
		return strconv.FormatFloat(v, 'g', -1, 32)
	case nil:
		return "null"
	}
	return n.Value
}

// isMerge reports whether a mapping key is the merge key "<<".
func isMerge(k *yaml.Node) bool {
	k = resolve(k)
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Style == 0)
}

// entries are a mapping's keys and value nodes as yaml v2 decodes them:
// entries in document order, each assignment replacing an earlier one, a
// merge key assigning every entry of its mapping, and of a list of
// mappings the earlier one winning. Keys keep their first position.
func entries(n *yaml.Node, depth int) (keys []string, values map[string]*yaml.Node) {
	values = map[string]*yaml.Node{}
	n = resolve(n)
	if n.Kind != yaml.MappingNode || depth > maxDepth {
		return nil, values
	}
	set := func(k string, v *yaml.Node) {
		if _, ok := values[k]; !ok {
			keys = append(keys, k)
		}
		values[k] = v
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMerge(k) {
			set(keyString(k), v)
			continue
		}
		v = resolve(v)
		var sources []*yaml.Node
		switch v.Kind {
		case yaml.MappingNode:
			sources = []*yaml.Node{v}
		case yaml.SequenceNode:
			// yaml v2 merges the list from its end, so earlier mappings win.
			for j := len(v.Content) - 1; j >= 0; j-- {
				sources = append(sources, v.Content[j])
			}
		}
		for _, src := range sources {
			mk, mv := entries(src, depth+1)
			for _, key := range mk {
				set(key, mv[key])
			}
		}
	}
	return keys, values
}

// field is the node yaml v2 reads for key in mapping n, or nil.
func field(n *yaml.Node, key string) *yaml.Node {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	// Without a merge key the last equal key wins: no need to expand.
	var found *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMerge(n.Content[i]) {
			_, values := entries(n, 0)
			return values[key]
		}
		if keyString(n.Content[i]) == key {
			found = n.Content[i+1]
		}
	}
	return found
}

// stringAt is what unstructured's string getters (GetKind, GetName, ...)
// return for the field at path: its value when that is a string, else "".
func stringAt(n *yaml.Node, path ...string) string {
	for _, key := range path {
		if n = field(n, key); n == nil {
			return ""
		}
	}
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	s, _ := scalar(n).(string)
	return s
}

// IsString reports whether Argo CD reads the node as a string: a scalar
// that yaml v2 does not resolve to a boolean, number or null.
func IsString(n *yaml.Node) bool {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		return false
	}
	_, ok := scalar(n).(string)
	return ok
}

// IsNull reports whether Argo CD reads the node as null.
func IsNull(n *yaml.Node) bool {
	n = resolve(n)
	return n.Kind == yaml.ScalarNode && scalar(n) == nil
}
