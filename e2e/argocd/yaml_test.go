package argocd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/gitops-engine/v3/pkg/utils/kube"
	argokube "github.com/argoproj/argo-cd/v3/util/kube"
	yaml2 "go.yaml.in/yaml/v2"
	yaml3 "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	kubeyaml "k8s.io/apimachinery/pkg/util/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// This file compares how YAML bytes become objects: Argo CD v3.6.1 reads a
// CMP's (or Helm's, or Kustomize's) output with gitops-engine's
// kube.SplitYAML and then expands lists in GenerateManifests
// (reposerver/repository/repository.go:1817-1856); hookguard reads the same
// bytes with manifest.Loader.Parse. Where Argo CD succeeds, hookguard must see
// the same objects (kind, name, namespace, annotations as GetAnnotations gives
// them). Where Argo CD fails, hookguard may fail or skip.

// yamlObj is what both sides are compared on. GenFails: Argo CD's default
// annotation tracking refuses the object, so the app's manifest generation
// fails (repository.go:1843-1846); hookguard's hooks.GenerationFails.
type yamlObj struct {
	Kind, Name, Namespace string
	Ann                   map[string]string
	GenFails              bool
}

func (o yamlObj) String() string {
	return fmt.Sprintf("{kind=%q ns=%q name=%q ann=%q genFails=%v}", o.Kind, o.Namespace, o.Name, o.Ann, o.GenFails)
}

// yamlRead is one side's reading of a whole input.
type yamlRead struct {
	Objs  []yamlObj
	Err   error
	Panic bool
}

func (r yamlRead) String() string {
	if r.Err != nil {
		return "error: " + r.Err.Error()
	}
	if len(r.Objs) == 0 {
		return "no objects"
	}
	parts := make([]string, len(r.Objs))
	for i, o := range r.Objs {
		parts[i] = o.String()
	}
	return strings.Join(parts, " ")
}

// argoReadYAML is kube.SplitYAML plus the post-processing of
// GenerateManifests (repository.go:1817-1856): an object whose items is an
// array is replaced by its items, a null list (isNullList) is dropped.
// trackErr is what Argo CD's default annotation tracking (SetAppInstance,
// repository.go:1843-1847) would say about the targets; it does not change
// the comparison, it is only counted.
func argoReadYAML(data []byte) (res yamlRead, trackErr error) {
	defer func() {
		if p := recover(); p != nil {
			res = yamlRead{Err: fmt.Errorf("panic: %v", p), Panic: true}
		}
	}()
	us, err := kube.SplitYAML(data)
	if err != nil {
		return yamlRead{Err: err}, nil
	}
	for _, u := range us {
		if u == nil {
			continue
		}
		var targets []*unstructured.Unstructured
		switch {
		case u.IsList():
			err := u.EachListItem(func(o runtime.Object) error {
				uo, ok := o.(*unstructured.Unstructured)
				if !ok {
					return errors.New("resource list item has unexpected type")
				}
				targets = append(targets, uo)
				return nil
			})
			if err != nil {
				return yamlRead{Err: err}, nil
			}
		case argoIsNullList(u):
		default:
			targets = []*unstructured.Unstructured{u}
		}
		for _, t := range targets {
			ann := t.GetAnnotations()
			if ann == nil {
				ann = map[string]string{}
			}
			var objErr error
			if !kube.IsCRD(t) {
				// what annotation tracking (the default) calls, util/argo/resource_tracking.go:146-158
				objErr = argokube.SetAppInstanceAnnotation(t.DeepCopy(), "argocd.argoproj.io/tracking-id", "app:/Kind:ns/name")
			}
			if trackErr == nil {
				trackErr = objErr
			}
			res.Objs = append(res.Objs, yamlObj{Kind: t.GetKind(), Name: t.GetName(), Namespace: t.GetNamespace(), Ann: ann, GenFails: objErr != nil})
		}
	}
	return res, trackErr
}

// argoIsNullList is isNullList, repository.go:1988-2001.
func argoIsNullList(obj *unstructured.Unstructured) bool {
	if _, ok := obj.Object["spec"]; ok {
		return false
	}
	if _, ok := obj.Object["status"]; ok {
		return false
	}
	field, ok := obj.Object["items"]
	if !ok {
		return false
	}
	return field == nil
}

// hookguardReadYAML is manifest.Loader.Parse, with Ref and the "effective"
// annotations: the map when every value is a string or null, else nothing
// (as unstructured.GetAnnotations gives nothing for one non-string value).
func hookguardReadYAML(data []byte) (res yamlRead) {
	defer func() {
		if p := recover(); p != nil {
			res = yamlRead{Err: fmt.Errorf("panic: %v", p), Panic: true}
		}
	}()
	objs, err := manifest.Loader{}.Parse("doc.yaml", data)
	if err != nil {
		return yamlRead{Err: err}
	}
	for _, o := range objs {
		ref := o.Ref()
		eff, notString := o.Annotations()
		if !manifest.Readable(notString) { // a value that is neither a string nor null
			eff = map[string]string{}
		}
		group, _, _ := strings.Cut(ref.APIVersion, "/")
		if !strings.Contains(ref.APIVersion, "/") {
			group = ""
		}
		genFails := hooks.GenerationFails(group, ref.Kind, len(notString) > 0, hooks.Latest)
		res.Objs = append(res.Objs, yamlObj{Kind: ref.Kind, Name: ref.Name, Namespace: ref.Namespace, Ann: eff, GenFails: genFails})
	}
	return res
}

// Duplicate keys: Argo CD (yaml.v2, not strict) keeps the last one. hookguard
// may instead refuse the file, with an error that names file and line and
// says what is wrong; that is allowed only for inputs with duplicate keys.
var (
	dupErrorPosition = regexp.MustCompile(`doc\.yaml:\d+`)
	dupErrorWording  = regexp.MustCompile(`(?i)duplicate|already defined|twice|more than once|repeat`)
)

func isDuplicateKeyError(err error) bool {
	msg := err.Error()
	return dupErrorPosition.MatchString(msg) && dupErrorWording.MatchString(msg)
}

// yamlHasDuplicateKeys reports whether some mapping has two keys that Argo CD
// reads as the same string (so "y" and "true", both the bool true for
// yaml.v2, collide). Merge keys are not duplicates. The input is walked both
// as one yaml.v3 stream and as the chunks Argo CD's textual splitter makes.
func yamlHasDuplicateKeys(data []byte) bool {
	if streamHasDuplicateKeys(data) {
		return true
	}
	r := kubeyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		chunk, err := r.Read()
		if err != nil {
			return false
		}
		if streamHasDuplicateKeys(chunk) {
			return true
		}
	}
}

func streamHasDuplicateKeys(data []byte) (dup bool) {
	defer func() {
		if recover() != nil {
			dup = false
		}
	}()
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml3.Node
		if err := dec.Decode(&n); err != nil {
			return false
		}
		if nodeHasDuplicateKeys(&n) {
			return true
		}
	}
}

func nodeHasDuplicateKeys(n *yaml3.Node) bool {
	if n.Kind == yaml3.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml3.ScalarNode && k.Tag == "!!merge" {
				continue
			}
			key := argoKeyString(k)
			if seen[key] {
				return true
			}
			seen[key] = true
		}
	}
	for _, c := range n.Content { // aliases have no Content: not followed
		if nodeHasDuplicateKeys(c) {
			return true
		}
	}
	return false
}

// argoKeyString is the JSON key sigs.k8s.io/yaml makes of a yaml.v2 key.
func argoKeyString(k *yaml3.Node) string {
	for k.Kind == yaml3.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml3.ScalarNode {
		return fmt.Sprintf("\x00complex %d:%d", k.Line, k.Column) // Argo CD fails on these anyway
	}
	if k.Style&(yaml3.DoubleQuotedStyle|yaml3.SingleQuotedStyle|yaml3.LiteralStyle|yaml3.FoldedStyle) != 0 ||
		k.Style&yaml3.TaggedStyle != 0 {
		return k.Value
	}
	var v any
	if err := yaml2.Unmarshal([]byte(k.Value), &v); err != nil {
		return k.Value
	}
	switch x := v.(type) {
	case nil:
		return "\x00null"
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		switch s := strconv.FormatFloat(x, 'g', -1, 32); s {
		case "+Inf":
			return ".inf"
		case "-Inf":
			return "-.inf"
		case "NaN":
			return ".nan"
		default:
			return s
		}
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// Outcome classes.
const (
	ycAgree          = "agreement"
	ycDupRefused     = "hookguard refuses duplicate keys"
	ycBothErr        = "Argo-errors-hookguard-errors"
	ycArgoErrHgSkips = "Argo-errors-hookguard-skips"
	ycFalseBlock     = "false block"
	ycSilentLoss     = "silent loss"
	ycExtra          = "extra objects"
	ycPanic          = "hookguard panic"
	// Deliberate or known divergences, each safe (no object hookguard passes
	// that Argo CD would read differently) and counted:
	ycRefusesMetadata = "hookguard refuses metadata, annotations or labels that are not a mapping"
	ycBareTag         = "yaml v3 resolves the non-specific tag ! away (hookguard sees a non-string and blocks)"
	ycKustomizeFile   = "hookguard skips Kustomize files (kustomize.config.k8s.io) by design"
	ycDifferent       = "different " // + the fields: "kind", "name+annotations", ...
)

type yamlOutcome struct {
	Class     string
	Fails     bool
	Argo, HG  yamlRead
	Dup       bool
	TrackErr  error
	Compared  int // objects compared field by field
	GenFails  int // of these, objects Argo CD's tracking refuses
	HGObjects int // objects hookguard read where Argo CD failed
}

// bareTag finds YAML's non-specific tag "!" (or "!<!>") before a scalar.
var bareTag = regexp.MustCompile(`(^|[\s\[{,:?-])!(<!>)?[ \t]`)

// kustomizeFile reports whether Argo CD read a Kustomize file as an object.
func kustomizeFile(objs []yamlObj) bool {
	for _, o := range objs {
		if o.Kind == "Kustomization" || o.Kind == "Component" {
			return true
		}
	}
	return false
}

// classifyYAML reads data both ways. Where Argo CD succeeds, hookguard must
// give the same objects in the same order; its error is allowed only for an
// input with duplicate keys and an error that says so with file and line.
// Where Argo CD fails, hookguard may fail or read on. A hookguard panic
// always fails.
func classifyYAML(data []byte) yamlOutcome {
	argo, trackErr := argoReadYAML(data)
	hg := hookguardReadYAML(data)
	o := yamlOutcome{Argo: argo, HG: hg, TrackErr: trackErr, Dup: yamlHasDuplicateKeys(data)}
	switch {
	case hg.Panic:
		o.Class, o.Fails = ycPanic, true
	case argo.Err != nil && hg.Err != nil:
		o.Class = ycBothErr
	case argo.Err != nil:
		o.Class, o.HGObjects = ycArgoErrHgSkips, len(hg.Objs)
	case hg.Err != nil && o.Dup && isDuplicateKeyError(hg.Err):
		o.Class = ycDupRefused
	case hg.Err != nil && strings.Contains(hg.Err.Error(), "is not a mapping") && regexp.MustCompile(`doc\.yaml:\d+`).MatchString(hg.Err.Error()):
		// Argo CD's tracking refuses these objects too, but for CRDs; a
		// refusal never lets an object through.
		o.Class = ycRefusesMetadata
	case bareTag.Match(data):
		o.Class = ycBareTag
	case len(hg.Objs) < len(argo.Objs) && kustomizeFile(argo.Objs):
		o.Class = ycKustomizeFile
	case hg.Err != nil:
		o.Class, o.Fails = ycFalseBlock, true
	case len(hg.Objs) < len(argo.Objs):
		o.Class, o.Fails = ycSilentLoss, true
	case len(hg.Objs) > len(argo.Objs):
		o.Class, o.Fails = ycExtra, true
	default:
		o.Compared = len(argo.Objs)
		var diff []string
		for i, a := range argo.Objs {
			h := hg.Objs[i]
			if a.GenFails {
				o.GenFails++
			}
			if a.Kind != h.Kind && !slices.Contains(diff, "kind") {
				diff = append(diff, "kind")
			}
			if a.Name != h.Name && !slices.Contains(diff, "name") {
				diff = append(diff, "name")
			}
			if a.Namespace != h.Namespace && !slices.Contains(diff, "namespace") {
				diff = append(diff, "namespace")
			}
			if !maps.Equal(a.Ann, h.Ann) && !slices.Contains(diff, "annotations") {
				diff = append(diff, "annotations")
			}
			if a.GenFails != h.GenFails && !slices.Contains(diff, "generation") {
				diff = append(diff, "generation")
			}
		}
		if len(diff) == 0 {
			o.Class = ycAgree
		} else {
			order := map[string]int{"kind": 0, "name": 1, "namespace": 2, "annotations": 3, "generation": 4}
			sort.Slice(diff, func(i, j int) bool { return order[diff[i]] < order[diff[j]] })
			o.Class, o.Fails = ycDifferent+strings.Join(diff, "+"), true
		}
	}
	return o
}

// ---- the corpus ----

type yamlCase struct {
	Family string // what is varied, e.g. "scalar/name/block"
	Data   string
}

const omit = "\x00omit"

// ydoc is one object with raw YAML value texts; omit leaves a field out.
type ydoc struct {
	api, kind, name, ns string
	ann                 [][2]string // key text, value text; nil: no annotations
}

func baseDoc() ydoc {
	return ydoc{api: "v1", kind: "ConfigMap", name: "a", ns: "ns",
		ann: [][2]string{{"ok", "v"}, {"helm.sh/hook-weight", "'1'"}}}
}

// jsonDefaults are the fixed texts of baseDoc, quoted in the JSON-like style.
var jsonDefaults = map[string]bool{"apiVersion": true, "kind": true, "metadata": true, "name": true, "namespace": true,
	"annotations": true, "v1": true, "ConfigMap": true, "a": true, "ns": true, "ok": true, "v": true,
	"helm.sh/hook-weight": true, "x": true}

func (d ydoc) render(style string) string {
	switch style {
	case "block":
		var b strings.Builder
		line := func(indent, key, val string) {
			s := indent + key + ":"
			if val != "" {
				s += " " + strings.ReplaceAll(val, "\n", "\n"+indent)
			}
			b.WriteString(s + "\n")
		}
		if d.api != omit {
			line("", "apiVersion", d.api)
		}
		if d.kind != omit {
			line("", "kind", d.kind)
		}
		b.WriteString("metadata:\n")
		if d.name != omit {
			line("  ", "name", d.name)
		}
		if d.ns != omit {
			line("  ", "namespace", d.ns)
		}
		if d.ann != nil {
			b.WriteString("  annotations:\n")
			for _, kv := range d.ann {
				line("    ", kv[0], kv[1])
			}
		}
		return b.String()
	case "flow", "json":
		q := func(s string) string {
			if style == "json" && jsonDefaults[s] {
				return strconv.Quote(s)
			}
			return s
		}
		var top, md []string
		field := func(list *[]string, k, v string) {
			*list = append(*list, q(k)+": "+q(v))
		}
		if d.api != omit {
			field(&top, "apiVersion", d.api)
		}
		if d.kind != omit {
			field(&top, "kind", d.kind)
		}
		if d.name != omit {
			field(&md, "name", d.name)
		}
		if d.ns != omit {
			field(&md, "namespace", d.ns)
		}
		if d.ann != nil {
			var ann []string
			for _, kv := range d.ann {
				field(&ann, kv[0], kv[1])
			}
			md = append(md, q("annotations")+": {"+strings.Join(ann, ", ")+"}")
		}
		top = append(top, q("metadata")+": {"+strings.Join(md, ", ")+"}")
		return "{" + strings.Join(top, ", ") + "}\n"
	}
	panic(style)
}

// yamlScalars are YAML 1.1 and 1.2 edge cases, as value texts.
var yamlScalars = []string{
	"yes", "no", "on", "off", "y", "n", "Y", "N", "True", "FALSE", "Off",
	"~", "null", "Null", "",
	"0777", "0x1F", "0o17", "0b101", "1_000", "1e3", ".5", "+1", "-0", "5", "1:20", "12345678901234567890", "1.0",
	".inf", ".NaN",
	"2001-12-14", "2001-12-14T21:59:43.10-05:00",
	`"yes"`, `'0777'`, `"5"`, `''`, `"~"`,
	"!!str 5", "!!str yes", "!!str", `!!int "5"`, `!!bool "yes"`, "!!bool yes", "!!float 1", "!foo bar", "!foo 5",
	"!!binary aGVsbG8=", "! 0", "! yes", "! ~", "!<!> 5", "!<tag:yaml.org,2002:str> 5", "!!null ~", "!!null", "!!int yes",
	"plain", "with space", `"a: b"`, "<<", "=", "[x]", "{x: y}",
}

// blockScalars are multi-line values (block style only); continuation lines
// are indented by the renderer.
var blockScalars = []string{
	"|\n  yes", "|-\n  yes", "|\n  a\n  b", "|-\n  0777", ">\n  a\n  b", ">-\n  a\n  b", "|+\n  x\n", ">+\n  x\n",
	"|2\n    indented", "|\n  a\n\n  b", ">\n  a\n\n  b\n  c", "a\n  b", "\"dq\n  folded\"", "'sq\n\n  two'",
}

func scalarCases() []yamlCase {
	var out []yamlCase
	type placement struct {
		name string
		set  func(d *ydoc, s string)
	}
	placements := []placement{
		{"annotation-value", func(d *ydoc, s string) { d.ann[1][1] = s }},
		{"annotation-key", func(d *ydoc, s string) { d.ann[1] = [2]string{s, "x"} }},
		{"name", func(d *ydoc, s string) { d.name = s }},
		{"namespace", func(d *ydoc, s string) { d.ns = s }},
		{"kind", func(d *ydoc, s string) { d.kind = s }},
		{"apiVersion", func(d *ydoc, s string) { d.api = s }},
	}
	for _, p := range placements {
		for _, style := range []string{"block", "flow", "json"} {
			for _, s := range yamlScalars {
				d := baseDoc()
				d.ann = [][2]string{d.ann[0], d.ann[1]}
				p.set(&d, s)
				out = append(out, yamlCase{"scalar/" + p.name + "/" + style, d.render(style)})
			}
		}
		if p.name == "annotation-key" || p.name == "apiVersion" {
			continue
		}
		for _, s := range blockScalars {
			d := baseDoc()
			d.ann = [][2]string{d.ann[0], d.ann[1]}
			p.set(&d, s)
			out = append(out, yamlCase{"block-scalar/" + p.name, d.render("block")})
			// The scalar last in the input, with no final line break or
			// with a whitespace-only last line.
			if p.name == "annotation-value" || p.name == "name" {
				d := ydoc{api: "v1", kind: "ConfigMap", name: "a", ns: omit, ann: [][2]string{{"k", s}}}
				if p.name == "name" {
					d = ydoc{api: "v1", kind: "ConfigMap", name: s, ns: omit}
				}
				last := strings.TrimRight(d.render("block"), "\n")
				out = append(out, yamlCase{"block-scalar/" + p.name + "/at-end", last},
					yamlCase{"block-scalar/" + p.name + "/at-end", last + "\n "})
			}
		}
	}
	// The same scalars reached through an alias, in block style.
	for _, s := range yamlScalars {
		if s == "<<" {
			continue
		}
		anchor := "x-anchor: &v " + s + "\n"
		d := baseDoc()
		d.ann = [][2]string{d.ann[0], {"k", "*v"}}
		out = append(out, yamlCase{"alias/annotation-value", anchor + d.render("block")})
		d = baseDoc()
		d.name = "*v"
		out = append(out, yamlCase{"alias/name", anchor + d.render("block")})
	}
	return out
}

const (
	cmA = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
	cmB = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
)

// dupCases: duplicate keys at every level; Argo CD takes the last.
func dupCases() []yamlCase {
	docs := map[string]string{
		"kind":                          "apiVersion: v1\nkind: Secret\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"kind-second-not-string":        "apiVersion: v1\nkind: ConfigMap\nkind: 5\nmetadata:\n  name: a\n",
		"kind-first-not-string":         "apiVersion: v1\nkind: 5\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"kind-quoted":                   "apiVersion: v1\nkind: Secret\n\"kind\": ConfigMap\nmetadata:\n  name: a\n",
		"kind-case":                     "apiVersion: v1\nKind: Secret\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion":                    "apiVersion: v2\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"metadata":                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  annotations:\n    k: v\nmetadata:\n  namespace: second\n",
		"metadata-both-named":           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\nmetadata:\n  name: second\n",
		"metadata-second-null":          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\nmetadata:\n",
		"name":                          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  name: second\n",
		"name-single-quoted":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n  'name': second\n",
		"namespace":                     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: first\n  namespace: second\n",
		"annotations":                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    a: '1'\n  annotations:\n    b: '2'\n",
		"annotations-second-null":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    a: '1'\n  annotations:\n",
		"annotation-key":                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: first\n    k: second\n",
		"annotation-key-second-int":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: first\n    k: 5\n",
		"annotation-key-first-int":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: 5\n    k: second\n",
		"annotation-key-second-null":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: first\n    k:\n",
		"hook-annotation":               "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook: Skip\n",
		"annotation-key-bool-collision": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    y: first\n    true: second\n",
		"unrelated-field":               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: '1'\n  x: '2'\n",
		"items":                         "apiVersion: v1\nkind: List\nitems:\n- " + strings.ReplaceAll(strings.TrimSuffix(cmA, "\n"), "\n", "\n  ") + "\nitems:\n- " + strings.ReplaceAll(strings.TrimSuffix(cmB, "\n"), "\n", "\n  ") + "\n",
		"in-list-item":                  "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: first\n    name: second\n",
		"flow-name":                     "{apiVersion: v1, kind: ConfigMap, metadata: {name: first, name: second}}\n",
		"flow-annotation":               "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {k: first, k: second}}}\n",
		"json-name":                     `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first","name":"second"}}` + "\n",
		"json-kind":                     `{"apiVersion":"v1","kind":"Secret","kind":"ConfigMap","metadata":{"name":"a"}}` + "\n",
		"in-anchored-map":               "x: &m {name: first, name: second}\napiVersion: v1\nkind: ConfigMap\nmetadata: *m\n",
		"two-merge-keys":                "x: [&a {k: from-a}, &b {j: from-b}]\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    <<: *a\n    <<: *b\n",
		"merge-then-same-key":           "x: &a {k: from-a}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    <<: *a\n    k: local\n",
	}
	var out []yamlCase
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		d := docs[name]
		out = append(out,
			yamlCase{"dup/" + name, d},
			yamlCase{"dup/" + name + "/after-doc", cmB + "---\n" + d},
			yamlCase{"dup/" + name + "/leading-separator", "---\n" + d + "---\n"})
	}
	// Duplicate name and annotation with every scalar, both orders.
	for _, s := range yamlScalars {
		out = append(out,
			yamlCase{"dup/name-scalar-last", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: " + s + "\n"},
			yamlCase{"dup/name-scalar-first", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + s + "\n  name: a\n"},
			yamlCase{"dup/annotation-scalar-last", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: v\n    k: " + s + "\n"},
			yamlCase{"dup/annotation-scalar-first", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: " + s + "\n    k: v\n"})
	}
	return out
}

// mergeCases: merge keys in annotations, metadata and the top level, with
// local keys before and after, single and list merges.
func mergeCases() []yamlCase {
	anchors := map[string]string{
		"a":  "{k: from-a, p: pa}",
		"b":  "{k: from-b, q: qb}",
		"n":  "{k: yes, r: 5}",
		"s":  "scalar",
		"m":  "{name: from-m, namespace: ns-m, annotations: {k: from-m}}",
		"m2": "{name: from-m2, labels: {x: y}}",
		"t":  "{apiVersion: v1, kind: Secret}",
		"t2": "{apiVersion: v2, kind: Job, metadata: {name: from-t2}}",
	}
	refs := regexp.MustCompile(`\*([a-z0-9]+)`)
	prelude := func(merge string) string {
		var b strings.Builder
		seen := map[string]bool{}
		for _, m := range refs.FindAllStringSubmatch(merge, -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				b.WriteString("x-" + m[1] + ": &" + m[1] + " " + anchors[m[1]] + "\n")
			}
		}
		return b.String()
	}
	var out []yamlCase
	annMerges := []string{"*a", "*b", "[*a, *b]", "[*b, *a]", "[*a]", "*n", "[*a, *n]", "*s", "[*a, *s]", "{k: inline}", "[]", "~"}
	annBefore := []string{"", "k: lb", "p: lb", "z: lb"}
	annAfter := []string{"", "k: la", "q: la", "z: la"}
	for _, m := range annMerges {
		for _, before := range annBefore {
			for _, after := range annAfter {
				var block strings.Builder
				block.WriteString(prelude(m) + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n")
				var flow []string
				if before != "" {
					block.WriteString("    " + before + "\n")
					flow = append(flow, before)
				}
				block.WriteString("    <<: " + m + "\n")
				flow = append(flow, "<<: "+m)
				if after != "" {
					block.WriteString("    " + after + "\n")
					flow = append(flow, after)
				}
				out = append(out, yamlCase{"merge/annotations/block", block.String()},
					yamlCase{"merge/annotations/flow", prelude(m) + "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, annotations: {" + strings.Join(flow, ", ") + "}}}\n"})
			}
		}
	}
	mdMerges := []string{"*m", "[*m, *m2]", "[*m2, *m]", "*a", "*s"}
	mdBefore := []string{"", "name: lb", "namespace: lb", "annotations: {k: lb}"}
	mdAfter := []string{"", "name: la", "namespace: la", "annotations: {k: la}"}
	for _, m := range mdMerges {
		for _, before := range mdBefore {
			for _, after := range mdAfter {
				s := prelude(m) + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
				if before != "" {
					s += "  " + before + "\n"
				}
				s += "  <<: " + m + "\n"
				if after != "" {
					s += "  " + after + "\n"
				}
				out = append(out, yamlCase{"merge/metadata", s})
			}
		}
	}
	for _, m := range []string{"*t", "[*t, *t2]", "[*t2, *t]", "*s"} {
		for _, before := range []string{"", "kind: ConfigMap"} {
			for _, after := range []string{"", "kind: ConfigMap", "apiVersion: v1"} {
				s := prelude(m)
				if before != "" {
					s += before + "\n"
				}
				s += "<<: " + m + "\n"
				if after != "" {
					s += after + "\n"
				}
				out = append(out, yamlCase{"merge/top-level", s + "metadata:\n  name: a\n"})
			}
		}
	}
	out = append(out,
		yamlCase{"merge/quoted-key", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    \"<<\": {k: v}\n"},
		yamlCase{"merge/quoted-key", "x: &a {k: v}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    '<<': *a\n"},
		yamlCase{"merge/tagged-key", "x: &a {k: v}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    !!merge <<: *a\n"},
		yamlCase{"merge/nested", "x: &a {k: from-a}\ny: &b {<<: *a, j: from-b}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    <<: *b\n"},
		yamlCase{"merge/annotations-alias-of-merged", "x: &a {<<: {k: inner}, j: outer}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: *a\n"},
	)
	return out
}

// aliasCases: anchors and aliases in other places.
func aliasCases() []yamlCase {
	docs := []string{
		"x: &md {name: shared, namespace: ns}\napiVersion: v1\nkind: ConfigMap\nmetadata: *md\n",
		"x: &ann {k: v, j: w}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: *ann\n",
		"x: &ann {k: v, j: 5}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: *ann\n",
		"x: &k kind\nvalue: &v ConfigMap\napiVersion: v1\n*k : *v\nmetadata:\n  name: a\n",
		"x: &k hook\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    *k : PreSync\n",
		"apiVersion: v1\nkind: &k ConfigMap\nmetadata:\n  name: *k\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: a\n  annotations:\n    self: x\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &n a\n  namespace: *n\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *n\n  namespace: &n a\n",
		"x: &v first\nx2: &v second\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: &v yes\n    j: *v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: &v \"yes\"\n    j: *v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: &v\n    j: *v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: &v {x: y}\n    j: *v\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: !!str &v 5\n    j: *v\n",
		cmA + "  annotations: &a {k: v}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n  annotations: *a\n",
		"x: &top\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: inner}\n",
		"&top\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: List\nitems:\n- &i {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- *i\n",
		"x: &i {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\napiVersion: v1\nkind: List\nitems: [*i, *i]\n",
		"x: &items [{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}]\napiVersion: v1\nkind: List\nitems: *items\n",
	}
	var out []yamlCase
	for _, d := range docs {
		out = append(out, yamlCase{"alias/other", d})
	}
	return out
}

// shapeCases: nulls and wrong shapes of metadata and annotations, tags on
// collections, quoted and explicit keys, missing kind or apiVersion.
func shapeCases() []yamlCase {
	md := []string{
		"metadata:", "metadata: ~", "metadata: null", "metadata: x", "metadata: []", "metadata: {}",
		"metadata: {name: a, annotations: }", "metadata: {name: a, annotations: ~}", "metadata: {name: a, annotations: {}}",
		"metadata: {name: a, annotations: []}", "metadata: {name: a, annotations: [k]}", "metadata: {name: a, annotations: x}",
		"metadata: {name: a, annotations: {k: {x: y}}}", "metadata: {name: a, annotations: {k: [x]}}",
		"metadata: {name: a, annotations: {k: v, n: 5}}", "metadata: {name: a, annotations: {k: ~, j: v}}",
		"metadata: {name: a, annotations: {k: , j: v}}", "metadata: {name: a, annotations: {k: null}}",
		"metadata: {name: {x: y}}", "metadata: {name: [a]}", "metadata: {name: a, namespace: [x]}", "metadata: {name: a, namespace: {}}",
		"metadata:\n  name:\n  namespace:", "metadata:\n  name: a\n  annotations:\n    k:\n    j: v",
		"metadata:\n  name: a\n  annotations:", "metadata:\n  name: a\n  annotations:\n  - k",
		"metadata: !!map {name: a}", "metadata: !!str x", "metadata: !foo {name: a}",
		"metadata: {name: a, annotations: !!map {k: v}}", "metadata: {name: a, annotations: !foo {k: v}}",
		"metadata: {name: a, annotations: !!set {k}}", "metadata:\n  name: a\n  annotations: !!omap\n  - k: v",
		"metadata: {name: a, annotations: !!str x}", "metadata: {name: a, annotations: {k: !!null ''}}",
		"metadata:\n  ? name\n  : a", "metadata: {\"name\": a, 'namespace': b, \"annotations\": {\"k\": 'v'}}",
		"\"metadata\":\n  \"name\": a", "metadata:\n  \"name \": a", "metadata:\n  ? |-\n    name\n  : a",
		"metadata:\n  ? |\n    name\n  : a", "metadata:\n  \"\\x6eame\": a",
		"metadata:\n  name: a\n  annotations:\n    \"\": x", "metadata:\n  name: a\n  annotations:\n    ~: x",
		"metadata:\n  name: a\n  annotations:\n    ? [a, b]\n    : x", "metadata:\n  name: a\n  annotations:\n    ? \n    : x",
		"metadata:\n  name: a\n  annotations:\n    \"k\\u0041\": v", "metadata:\n  name: a\n  annotations:\n    on: x\n    off: y",
		"metadata:\n  name: a\n  annotations:\n    1: one\n    0x1F: hex\n    1.23456789: f",
		"metadata:\n  name: a\n  annotations:\n    k : v", "metadata:\n  name: a\n  annotations:\n    \"<<\": x",
	}
	var out []yamlCase
	for _, m := range md {
		out = append(out, yamlCase{"shape/metadata", "apiVersion: v1\nkind: ConfigMap\n" + m + "\n"},
			yamlCase{"shape/metadata/crd", "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n" + m + "\n"},
			// The kind alone is no CRD: kube.IsCRD reads the group too.
			yamlCase{"shape/metadata/crd-kind-other-group", "apiVersion: example.com/v1\nkind: CustomResourceDefinition\n" + m + "\n"})
	}
	top := []string{
		"kind: ConfigMap\nmetadata:\n  name: a\n", // no apiVersion
		"apiVersion: v1\nmetadata:\n  name: a\n",  // no kind
		"apiVersion: a/b/c\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: ''\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: ''\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: ~\nmetadata:\n  name: a\n",
		"apiVersion: ~\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: [ConfigMap]\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: !!binary Q29uZmlnTWFw\nmetadata:\n  name: a\n",
		"apiVersion: !!str v1\nkind: !!str ConfigMap\nmetadata:\n  name: !!str a\n",
		"\"apiVersion\": v1\n\"kind\": ConfigMap\n\"metadata\":\n  \"name\": a\n  \"annotations\":\n    \"k\": \"v\"\n",
		"'apiVersion': v1\n'kind': ConfigMap\n'metadata':\n  'name': a\n",
		"? apiVersion\n: v1\n? kind\n: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\n\"kind \": ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\n\"\\x6bind\": ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nKind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind : ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\n? |-\n  kind\n: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\non: x\ny: z\n",
		"!!map\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"!foo\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: .inf\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  ~: x\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n",
		"hello\n", "- a\n- b\n", "{}\n", "[]\n", "~\n", "null\n", "''\n", "\"\"\n", "5\n", "true\n", "!!null\n",
		"{}\n---\n" + cmA, "hello\n---\n" + cmA, cmA + "---\nhello\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/hook-delete-policy:\n",
		"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n    argocd.argoproj.io/sync-wave: -1\n",
		"apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: \"5\"\n",
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: a\n",
	}
	for _, d := range top {
		out = append(out, yamlCase{"shape/top-level", d})
	}
	return out
}

// multiDocCases: document separators, end markers, empty and comment-only
// documents, BOM, directives and CRLF, around two ordinary objects.
func multiDocCases() []yamlCase {
	firsts := map[string]string{
		"block": cmA,
		"flow":  "{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
		"json":  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}` + "\n",
	}
	prefixes := []string{"", "---\n", "--- # c\n", "# c\n---\n", "\ufeff", "\ufeff---\n", "%YAML 1.1\n---\n", "...\n",
		"\n\n---\n", " ---\n", "---\n---\n", "--- \n"}
	seps := []string{"---\n", "\r---\n", "---\r", "--- # c\n", "---   \n", "--- |\n", "--- {a: 1}\n", "----\n", "...\n---\n", "...\n", "... # c\n",
		"", "---\n---\n", "---\n# only a comment\n---\n", "---\n~\n---\n", "---\nnull\n---\n", "---\n\n   \n---\n",
		"---\n...\n---\n", "--- !foo\n", "---\t\n", "--- #c\n", "---#c\n", " ---\n", "--- \"x\"\n"}
	suffixes := []string{"", "---\n", "...\n", "---\n...\n", "\n\n", "# trailing\n", "---\n# c\n", "...\ngarbage: x\n",
		"...\n" + strings.ReplaceAll(cmA, "name: a", "name: c"), "\r---\n" + strings.ReplaceAll(cmA, "name: a", "name: c")}
	var out []yamlCase
	add := func(family, s string) {
		out = append(out, yamlCase{family, s}, yamlCase{family + "/crlf", strings.ReplaceAll(s, "\n", "\r\n")})
	}
	for _, fk := range slices.Sorted(maps.Keys(firsts)) {
		first := firsts[fk]
		for _, sep := range seps {
			add(fmt.Sprintf("multidoc/%s/separator %q", fk, sep), first+sep+cmB)
			// A lone CR is a line break to YAML but not to Argo CD's splitter.
			out = append(out, yamlCase{fmt.Sprintf("multidoc/%s/separator %q/cr", fk, sep), strings.ReplaceAll(first+sep+cmB, "\n", "\r")})
			for _, pre := range prefixes {
				add(fmt.Sprintf("multidoc/%s/prefix %q", fk, pre), pre+first+sep+cmB)
			}
			for _, suf := range suffixes {
				add(fmt.Sprintf("multidoc/%s/suffix %q", fk, suf), first+sep+cmB+suf)
			}
		}
	}
	// A "---" line at column 0 inside a scalar; "..." then more content.
	out = append(out,
		yamlCase{"multidoc/dashes-in-scalar", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: |\n---\n  y\n"},
		yamlCase{"multidoc/dashes-in-scalar", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    k: \"a\n---\n    b\"\n"},
		yamlCase{"multidoc/end-marker-then-content", cmA + "...\n" + cmB},
		yamlCase{"multidoc/end-marker-then-content", cmA + "...\n" + cmB + "---\n" + strings.ReplaceAll(cmA, "name: a", "name: c")},
		yamlCase{"multidoc/json-stream", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}` + "\n"},
		yamlCase{"multidoc/json-stream", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}` + "\n" + `{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}` + "\n"},
		yamlCase{"multidoc/json-stream", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}} {"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}} {"apiVersion":"v1","kind":"Secret","metadata":{"name":"c"}}` + "\n"},
		yamlCase{"multidoc/json-then-garbage", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}` + "\njunk\n"},
		yamlCase{"multidoc/empty", ""}, yamlCase{"multidoc/empty", "---\n"}, yamlCase{"multidoc/empty", "# c\n"},
		yamlCase{"multidoc/empty", "...\n"}, yamlCase{"multidoc/empty", "---\n...\n"}, yamlCase{"multidoc/empty", "\n \n"},
		yamlCase{"multidoc/directive", "%YAML 1.2\n---\n" + cmA},
		yamlCase{"multidoc/directive", "%TAG ! tag:example.com,2000:\n---\n" + cmA},
		yamlCase{"multidoc/directive", cmA + "---\n%YAML 1.1\n---\n" + cmB},
	)
	return out
}

// listCases: List kinds and other kinds with items, with assorted items.
func listCases() []yamlCase {
	items := map[string]string{
		"empty":                 "[]",
		"null-tilde":            "~",
		"null-empty":            "",
		"map":                   "{}",
		"scalar":                "x",
		"two-block":             "\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b",
		"flow":                  "[{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}]",
		"non-object":            "[{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}, str]",
		"no-kind":               "[{apiVersion: v1, metadata: {name: nokind}}]",
		"no-apiVersion":         "[{kind: ConfigMap, metadata: {name: noapi}}]",
		"nested-list":           "[{apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: inner}}]}]",
		"item-with-items":       "[{apiVersion: v1, kind: ConfigMap, metadata: {name: outer}, items: [{apiVersion: v1, kind: Secret, metadata: {name: inner}}]}]",
		"null-item":             "[~]",
		"empty-item":            "[{}]",
		"non-string-annotation": "[{apiVersion: batch/v1, kind: Job, metadata: {name: j, annotations: {argocd.argoproj.io/hook: PreSync, helm.sh/hook-weight: 5}}}]",
		"null-list-item":        "[{apiVersion: v1, kind: ConfigMapList, items: ~}]",
		"yes-name":              "[{apiVersion: v1, kind: ConfigMap, metadata: {name: yes}}]",
	}
	var out []yamlCase
	for _, kind := range []string{"List", "ConfigMapList", "ConfigMap", "list"} {
		for _, ik := range slices.Sorted(maps.Keys(items)) {
			for _, extra := range []string{"", "spec: {}\n", "metadata: {name: l}\n"} {
				it := items[ik]
				sep := " "
				if it == "" || strings.HasPrefix(it, "\n") {
					sep = ""
				}
				out = append(out, yamlCase{"list/" + kind + "/" + ik, "apiVersion: v1\nkind: " + kind + "\n" + extra + "items:" + sep + it + "\n"})
			}
		}
	}
	return out
}

func yamlCorpus() []yamlCase {
	var out []yamlCase
	for _, gen := range []func() []yamlCase{scalarCases, dupCases, mergeCases, aliasCases, shapeCases, multiDocCases, listCases} {
		out = append(out, gen()...)
	}
	return out
}

// ---- the tests ----

// TestYAMLReadingAgreesWithArgoCD reads every corpus input both ways. It fails
// on every disagreement where Argo CD succeeds, grouped by kind, with the
// shortest examples; with -v it also shows one example per family.
func TestYAMLReadingAgreesWithArgoCD(t *testing.T) {
	corpus := yamlCorpus()
	type group struct {
		n        int
		families map[string]int
		examples []string // shortest first, at most exampleCount
		perFam   map[string]string
		tracked  int // of these, inputs Argo CD's annotation tracking then rejects
	}
	const exampleCount = 3
	counts := map[string]int{}
	classFamilies := map[string]map[string]int{}
	groups := map[string]*group{}
	var objects, genFails, hgObjectsWhereArgoFails, dupInputs, bothOKDup int
	seen := map[string]bool{}
	documents := 0
	for _, c := range corpus {
		if seen[c.Data] {
			continue
		}
		seen[c.Data] = true
		documents++
		o := classifyYAML([]byte(c.Data))
		counts[o.Class]++
		if classFamilies[o.Class] == nil {
			classFamilies[o.Class] = map[string]int{}
		}
		classFamilies[o.Class][familyRoot(c.Family)]++
		objects += o.Compared
		genFails += o.GenFails
		hgObjectsWhereArgoFails += o.HGObjects
		if o.Dup {
			dupInputs++
			if o.Class == ycAgree {
				bothOKDup++
			}
		}
		if !o.Fails {
			continue
		}
		key := o.Class
		if o.Dup {
			key += " (input has duplicate keys)"
		}
		g := groups[key]
		if g == nil {
			g = &group{families: map[string]int{}, perFam: map[string]string{}}
			groups[key] = g
		}
		g.n++
		g.families[c.Family]++
		if o.TrackErr != nil {
			g.tracked++
		}
		ex := fmt.Sprintf("input %q\n      Argo CD:   %s\n      hookguard: %s", c.Data, o.Argo, o.HG)
		if prev, ok := g.perFam[c.Family]; !ok || len(ex) < len(prev) {
			g.perFam[c.Family] = ex
		}
		g.examples = append(g.examples, ex)
		sort.SliceStable(g.examples, func(i, j int) bool { return len(g.examples[i]) < len(g.examples[j]) })
		if len(g.examples) > exampleCount {
			g.examples = g.examples[:exampleCount]
		}
	}
	disagreements := 0
	for _, g := range groups {
		disagreements += g.n
	}
	t.Logf("documents compared: %d (%d generated, %d inputs with duplicate keys); objects compared field by field: %d",
		documents, len(corpus), dupInputs, objects)
	t.Logf("agreements: %d (of which with duplicate keys: %d)", counts[ycAgree], bothOKDup)
	t.Logf("objects whose annotations Argo CD's tracking refuses (the app's generation fails), compared with hooks.GenerationFails: %d", genFails)
	t.Logf("hookguard refuses duplicate keys (allowed): %d", counts[ycDupRefused])
	for _, class := range []string{ycRefusesMetadata, ycBareTag, ycKustomizeFile} {
		t.Logf("%s (allowed): %d", class, counts[class])
	}
	t.Logf("Argo-errors-hookguard-errors: %d", counts[ycBothErr])
	t.Logf("Argo-errors-hookguard-skips: %d (hookguard read %d objects from these inputs)", counts[ycArgoErrHgSkips], hgObjectsWhereArgoFails)
	t.Logf("disagreements: %d", disagreements)
	if testing.Verbose() {
		for _, class := range slices.Sorted(maps.Keys(classFamilies)) {
			var parts []string
			for _, f := range slices.Sorted(maps.Keys(classFamilies[class])) {
				parts = append(parts, fmt.Sprintf("%s=%d", f, classFamilies[class][f]))
			}
			t.Logf("  %s by family: %s", class, strings.Join(parts, ", "))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		t.Logf("  %-55s %5d (Argo CD's annotation tracking would then reject %d)", key, g.n, g.tracked)
	}
	for _, key := range slices.Sorted(maps.Keys(groups)) {
		g := groups[key]
		fams := slices.Sorted(maps.Keys(g.families))
		sort.SliceStable(fams, func(i, j int) bool { return g.families[fams[i]] > g.families[fams[j]] })
		var famList []string
		for i, f := range fams {
			if i == 12 {
				famList = append(famList, fmt.Sprintf("… %d more (-v shows one example of each)", len(fams)-i))
				break
			}
			famList = append(famList, fmt.Sprintf("%s=%d", f, g.families[f]))
		}
		t.Errorf("%s: %d inputs where Argo CD succeeds\n  families: %s\n  shortest examples:\n    %s",
			key, g.n, strings.Join(famList, ", "), strings.Join(g.examples, "\n    "))
		if testing.Verbose() {
			for _, f := range slices.Sorted(maps.Keys(g.perFam)) {
				t.Logf("[%s] %s: %s", key, f, g.perFam[f])
			}
		}
	}
}

// familyRoot is a family's first two parts ("scalar/name"), for the -v summary.
func familyRoot(f string) string {
	parts := strings.SplitN(f, "/", 3)
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, "/")
}

// FuzzYAMLReadingAgrees compares arbitrary inputs; the corpus is its seed.
func FuzzYAMLReadingAgrees(f *testing.F) {
	seen := map[string]bool{}
	for _, c := range yamlCorpus() {
		if !seen[c.Data] {
			seen[c.Data] = true
			f.Add([]byte(c.Data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			t.Skip("input too large")
		}
		o := classifyYAML(data)
		if o.Fails {
			t.Fatalf("%s\ninput: %q\nArgo CD:   %s\nhookguard: %s", o.Class, data, o.Argo, o.HG)
		}
	})
}
