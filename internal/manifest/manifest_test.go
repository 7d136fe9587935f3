package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, src string) ([]Object, []string) {
	t.Helper()
	var notes []string
	objs, err := Loader{Notes: func(n string) { notes = append(notes, n) }}.Parse("f.yaml", []byte(src))
	require.NoError(t, err)
	return objs, notes
}

func TestParseMultiDocumentLinesAreFileAbsolute(t *testing.T) {
	objs, _ := parse(t, `# comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
---
---
apiVersion: batch/v1
kind: Job
metadata:
  name: b
`)
	require.Len(t, objs, 2)
	assert.Equal(t, 2, objs[0].Line)
	assert.Equal(t, 8, objs[1].Line)
	assert.Equal(t, "Job b", objs[1].Ref().String())
}

func TestParseListIsFlattened(t *testing.T) {
	objs, _ := parse(t, `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata: {name: s, namespace: ns}
  - apiVersion: v1
    kind: ConfigMapList
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: c}
`)
	require.Len(t, objs, 2)
	assert.Equal(t, "Secret ns/s", objs[0].Ref().String())
	assert.Equal(t, 4, objs[0].Line)
	// Argo CD expands one level (reposerver GenerateManifests): the inner
	// list is an object of its own, as Argo CD applies it.
	assert.Equal(t, "ConfigMapList ", objs[1].Ref().String())
	assert.Equal(t, 7, objs[1].Line)
}

func TestParseSkipsNonKubernetesYAMLWithANote(t *testing.T) {
	objs, notes := parse(t, "replicaCount: 2\n---\n- a\n- b\n---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
	assert.Empty(t, objs)
	require.Len(t, notes, 3)
	assert.Contains(t, notes[0], "f.yaml:1: skipped document 1: no kind")
	assert.Contains(t, notes[1], "not a mapping")
	assert.Contains(t, notes[2], "Kustomize file")
}

// Documents are cut as Argo CD cuts them: a "---" line ends one; of each
// piece only the first document counts (what follows "..." is ignored); a
// stream starting with "{" is a sequence of JSON values; lists expand one
// level, and an item is read whatever it holds.
func TestDocumentsAsArgoCDCutsThem(t *testing.T) {
	objs, _ := parse(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\napiVersion: v1\nkind: Secret\nmetadata: {name: ignored}\n---# c\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n")
	require.Len(t, objs, 2)
	assert.Equal(t, "ConfigMap a", objs[0].Ref().String())
	assert.Equal(t, "Secret b", objs[1].Ref().String())
	assert.Equal(t, 9, objs[1].Line, "lines count from the start of the stream")

	objs, _ = parse(t, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "b"}}`)
	require.Len(t, objs, 2)
	assert.Equal(t, 2, objs[1].Line)

	objs, _ = parse(t, "apiVersion: v1\nkind: List\nitems:\n- {kind: ConfigMapList, items: [{kind: ConfigMap}]}\n- {}\n")
	require.Len(t, objs, 2)
	assert.Equal(t, "ConfigMapList", objs[0].Ref().Kind, "one level only")
	assert.Equal(t, "", objs[1].Ref().Kind, "an item is read whatever it holds")

	objs, _ = parse(t, "kind: ConfigMap\nmetadata: {name: noapi}\n")
	require.Len(t, objs, 1, "Argo CD needs a kind, not an apiVersion")
}

func TestParseJSON(t *testing.T) {
	objs, _ := parse(t, `{"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "p-", "annotations": {"argocd.argoproj.io/hook": "PreSync"}}}`)
	require.Len(t, objs, 1)
	assert.Equal(t, "Pod p-…", objs[0].Ref().String())
	ann, notString := objs[0].Annotations()
	assert.Equal(t, "PreSync", ann["argocd.argoproj.io/hook"])
	assert.Empty(t, notString)
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]struct {
		src  string
		line int
		msg  string
	}{
		"bad indentation": {"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n   bad: x\n", 5, "invalid YAML"},
		// go-yaml places this one at the line before the flow mapping: only require a line.
		"unclosed flow":        {"apiVersion: v1\nkind: Pod\nmetadata: {name: a\n", -1, "invalid YAML"},
		"metadata not mapping": {"apiVersion: v1\nkind: Pod\nmetadata: [a]\n", 3, "metadata is not a mapping"},
		"List item not object": {"apiVersion: v1\nkind: List\nitems: [a]\n", 3, "items[0] is not an object"},
		"bad separator":        {"apiVersion: v1\nkind: Pod\n--- {a: b}\n", 3, "invalid YAML document separator"},
		"alias bomb":           {"apiVersion: v1\nkind: ConfigMap\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n", 1, "aliases expand"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Loader{}.Parse("bad.yaml", []byte(c.src))
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, "bad.yaml", pe.File)
			if c.line < 0 {
				assert.Positive(t, pe.Line, err.Error())
			} else {
				assert.Equal(t, c.line, pe.Line, err.Error())
			}
			assert.Contains(t, pe.Error(), c.msg)
		})
	}
}

func TestAnnotationsNotString(t *testing.T) {
	objs, _ := parse(t, `apiVersion: batch/v1
kind: Job
metadata:
  name: a
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: 5
    quoted: "5"
    flag: true
    empty:
`)
	ann, notString := objs[0].Annotations()
	assert.Equal(t, "5", ann["argocd.argoproj.io/sync-wave"])
	assert.Equal(t, []NotString{
		{Key: "argocd.argoproj.io/sync-wave", Type: "an integer"},
		{Key: "flag", Type: "a boolean"},
		{Key: "empty", Type: "empty (null)", Null: true},
	}, notString)
	assert.False(t, Readable(notString))
	assert.Equal(t, "", ann["empty"], "a null value reads as \"\"")
}

// Argo CD reads manifests with yaml v2 (YAML 1.1): what it sees, hookguard
// sees. Each case is a value as Argo CD's unstructured getters return it.
func TestReadsAsArgoCD(t *testing.T) {
	objs, _ := parse(t, `apiVersion: batch/v1
kind: Job
metadata:
  name: yes
  namespace: n
  annotations:
    a: on
    b: "on"
    c: !!str on
    d: 0777
    e: ~
    f: 2001-12-14
    g: 1_000
    h: !custom 5
`)
	require.Len(t, objs, 1)
	assert.Equal(t, "Job ", objs[0].Ref().String(), "yes and n are booleans: no name, no namespace")
	ann, notString := objs[0].Annotations()
	assert.Equal(t, "on", ann["b"])
	assert.Equal(t, "on", ann["c"])
	assert.Equal(t, "", ann["e"])
	assert.Equal(t, "2001-12-14", ann["f"], "timestamps stay strings")
	assert.Equal(t, "5", ann["h"], "a local tag leaves the text")
	types := map[string]string{}
	for _, n := range notString {
		types[n.Key] = n.Type
	}
	assert.Equal(t, map[string]string{"a": "a boolean", "d": "an integer", "e": "empty (null)", "g": "an integer"}, types)
	assert.False(t, Readable(notString), "a boolean annotation: Argo CD reads none")

	v := objs[0].Value()["metadata"].(map[string]any)["annotations"].(map[string]any)
	assert.Equal(t, int64(511), v["d"], "0777 is octal")
	assert.Equal(t, int64(1000), v["g"])
}

// Merge keys apply in document order, as yaml v2 applies them: a key
// written before << is overwritten by the merge, one after it wins; of a
// list of merged mappings the first wins.
func TestMergeKeysAsArgoCD(t *testing.T) {
	objs, _ := parse(t, `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: &a {hook: PreSync, wave: "1"}
  finalizers: []
  annotations:
    hook: Skip
    <<: [*a, {hook: PostSync, extra: "x"}]
    wave: "2"
`)
	ann, notString := objs[0].Annotations()
	assert.Empty(t, notString)
	assert.Equal(t, map[string]string{"hook": "PreSync", "wave": "2", "extra": "x"}, ann)
}

// Two equal keys: Argo CD reads the last, kyaml the first; hookguard refuses
// with the file and line rather than guess.
func TestDuplicateKeysAreErrors(t *testing.T) {
	for name, src := range map[string]string{
		"annotation":        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: Skip\n    argocd.argoproj.io/hook: PreSync\n",
		"annotations block": "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\n  annotations:\n    argocd.argoproj.io/hook: Skip\n  annotations:\n    argocd.argoproj.io/hook: PreSync\n",
		"kind":              "apiVersion: v1\nkind: ConfigMap\nkind: Job\nmetadata:\n  name: a\n",
		"yes and true":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  yes: a\n  true: b\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Loader{}.Parse("dup.yaml", []byte(src))
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Positive(t, pe.Line)
			assert.Contains(t, pe.Error(), "duplicate key")
		})
	}
}

func TestPositionAndValue(t *testing.T) {
	objs, _ := parse(t, `apiVersion: batch/v1
kind: Job
metadata:
  name: a
spec:
  template:
    spec:
      containers:
        - name: c
          image: x:1
          args: [1, 2.5, true, null, "s"]
`)
	o := objs[0]
	line, col := o.Position([]string{"spec", "template", "spec", "containers", "0", "image"})
	assert.Equal(t, 10, line)
	assert.Equal(t, 11, col)
	line, _ = o.Position([]string{"spec", "missing", "deeper"})
	assert.Equal(t, 5, line, "falls back to the deepest existing field")
	v := o.Value()
	c := v["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{int64(1), 2.5, true, nil, "s"}, c["args"])
}

func TestValueAnchorsAndMerge(t *testing.T) {
	objs, _ := parse(t, `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: &l {app: x}
  annotations:
    <<: *l
    own: y
data:
  copy: *l
`)
	v := objs[0].Value()
	md := v["metadata"].(map[string]any)
	assert.Equal(t, map[string]any{"app": "x", "own": true}, md["annotations"], "y is a YAML 1.1 boolean, as Argo CD reads it")
	assert.Equal(t, map[string]any{"app": "x"}, v["data"].(map[string]any)["copy"])
}

func TestLoadDirectoryAndStdin(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
	write("b.yaml", strings.Replace(cm, "%s", "b", 1))
	write("sub/a.yml", strings.Replace(cm, "%s", "a", 1))
	write("c.json", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}`)
	write("notes.txt", "ignored")
	write(".git/x.yaml", strings.Replace(cm, "%s", "hidden", 1))
	objs, err := Loader{Stdin: strings.NewReader(strings.Replace(cm, "%s", "stdin", 1))}.Load([]string{dir, "-"})
	require.NoError(t, err)
	var names []string
	for _, o := range objs {
		names = append(names, o.Ref().Name)
	}
	assert.Equal(t, []string{"b", "c", "a", "stdin"}, names)
	assert.Equal(t, "<stdin>", objs[3].File)

	_, err = Loader{}.Load([]string{filepath.Join(dir, "missing")})
	assert.Error(t, err)
}

// FuzzParse: any input either parses or gives a ParseError; never a panic,
// and every object has a position and a kind.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n",
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n",
		"a: &x [*x]\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: 5\n    <<: {b: c}\n",
		"{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
		"---\n---\n",
		"apiVersion: v1\nkind: Pod\nmetadata: [\n",
		"apiVersion: v1\nkind: PodList\nitems: 3\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: !!binary aGk=\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n",
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: yes\n  namespace: n\n  annotations: {a: on, b: 0777, c: ~, d: !!str 5}\n",
		"base: &b {kind: Pod, apiVersion: v1}\n<<: [*b, {metadata: {name: x}}]\n",
		"apiVersion: v1\nkind: ConfigMap\nitems: [{apiVersion: v1, kind: Pod}]\n",
		"apiVersion: v1\nkind: Pod\nx: " + strings.Repeat("[", 120) + strings.Repeat("]", 120) + "\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		objs, err := Loader{}.Parse("fuzz.yaml", []byte(src))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a ParseError: %v", err)
			}
			return
		}
		for _, o := range objs {
			if o.Line < 1 {
				t.Fatalf("object without position or kind: %+v", o)
			}
			o.Annotations()
			o.Value()
			o.Position([]string{"metadata", "annotations", "x"})
		}
	})
}
