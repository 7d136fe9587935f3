package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/bench/synth"
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/manifest"
)

// The Rego form of the facts is built directly, without a JSON round trip;
// it must stay exactly the JSON form of hooks.Facts, field for field.
func TestFactsValueIsTheJSONForm(t *testing.T) {
	cases := []map[string]string{
		{},
		{hooks.AnnotationHook: "presync,Skip, PostDelete", hooks.AnnotationHookDeletePolicy: "hook-succeeded,BeforeHookCreation"},
		{hooks.AnnotationHelmHook: "pre-install,test", hooks.AnnotationHelmWeight: "x", hooks.AnnotationSyncWave: "1.5", hooks.AnnotationSyncOptions: "Replace=true"},
		{hooks.AnnotationHook: "PreDelete,PreSync", hooks.AnnotationHelmDeletePolicy: "hook-failed"},
	}
	for _, ann := range cases {
		f := hooks.Analyze(ann, true, hooks.Latest)
		data, err := json.Marshal(f)
		require.NoError(t, err)
		want, err := ast.ValueFromReader(bytesReader(data))
		require.NoError(t, err)
		got := newConverter().facts(f).Value
		assert.Zero(t, ast.Compare(want, got), "annotations %v:\nwant %v\ngot  %v", ann, want, got)
	}
}

// The input is built as Rego values straight from the YAML; it must equal,
// value for value, the Go-map form it replaced (mapInput) converted by OPA,
// on every example, the shared corpus and a synthetic app.
func TestInputEqualsMapForm(t *testing.T) {
	var paths []string
	examples, err := filepath.Glob("../rules/*/*/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	paths = append(paths, examples...)
	more, _ := filepath.Glob("../testdata/examples/*/*.yaml")
	paths = append(paths, more...)
	corpus := filepath.Join("..", "..", "shared", "corpus", "plain")
	if _, err := os.Stat(corpus); err == nil {
		paths = append(paths, corpus)
	} else {
		t.Logf("%s is not here (%v): checking the examples only", corpus, err)
	}
	sets := map[string][]manifest.Object{}
	for _, p := range paths {
		objs, err := manifest.Loader{}.Load([]string{p})
		if err != nil {
			continue // examples of unreadable input are refused before any input is built
		}
		sets[p] = objs
	}
	objs, err := manifest.Loader{}.Parse("synth.yaml", synth.App(500))
	require.NoError(t, err)
	sets["synth"] = objs
	e := engine(t)
	for name, objs := range sets {
		a := app.Build(objs, DefaultSettings().App)
		config, err := e.config(a, Options{})
		require.NoError(t, err)
		want, err := ast.InterfaceToValue(mapInput(a, config))
		require.NoError(t, err)
		in, err := newInput(a, config)
		require.NoError(t, err)
		got := in.value(in.objects)
		require.Zero(t, ast.Compare(want, got), "%s: the input differs from its map form", name)
		for i, o := range a.Objects {
			raw, err := ast.InterfaceToValue(o.Value())
			require.NoError(t, err)
			require.Zero(t, ast.Compare(raw, in.raws[i].Value), "%s: object %d: raw differs", name, i)
		}
	}
	require.Greater(t, len(sets), 10)
}

// mapInput is the input as Go maps, the form hookguard built before it
// converted straight to Rego values: the reference the test compares with.
func mapInput(a *app.App, config map[string]any) map[string]any {
	list := make([]any, len(a.Objects))
	for i, o := range a.Objects {
		tasks := make([]any, len(o.Tasks))
		for j, pos := range o.Tasks {
			t := a.Tasks[pos]
			tasks[j] = map[string]any{"phase": string(t.Phase), "wave": t.Wave, "position": pos, "moved": t.Moved}
		}
		notString := make([]any, len(o.NotString))
		for j, n := range o.NotString {
			notString[j] = map[string]any{"key": n.Key, "type": n.Type, "null": n.Null}
		}
		annotations := make(map[string]any, len(o.Annotations))
		for k, v := range o.Annotations {
			annotations[k] = v
		}
		var facts map[string]any
		data, err := json.Marshal(o.Facts)
		if err == nil {
			err = json.Unmarshal(data, &facts)
		}
		if err != nil {
			panic(err)
		}
		list[i] = map[string]any{
			"index": i, "file": o.File, "line": o.Line,
			"apiVersion": o.Ref.APIVersion, "kind": o.Ref.Kind, "group": o.Group,
			"namespace": o.Ref.Namespace, "name": o.Ref.Name, "generateName": o.Ref.GenerateName,
			"ref":                  o.Ref.String(),
			"raw":                  o.Value(),
			"annotations":          annotations,
			"nonStringAnnotations": notString,
			"generationFails":      hooks.GenerationFails(o.Group, o.Ref.Kind, len(o.NotString) > 0, a.Version),
			"argocd":               facts,
			"tasks":                tasks,
		}
	}
	return map[string]any{
		"objects": list,
		"config":  config,
		"app":     map[string]any{"complete": a.Complete},
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
