package config

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sigsyaml "sigs.k8s.io/yaml"
)

const schemaPath = "../../docs/hookguard.schema.json"

// schema compiles docs/hookguard.schema.json with a real JSON Schema
// validator (draft 2020-12, the draft it declares).
func schema(t *testing.T) (*jsonschema.Schema, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("hookguard.schema.json", doc))
	sch, err := c.Compile("hookguard.schema.json")
	require.NoError(t, err)
	return sch, doc.(map[string]any)
}

func validateYAML(t *testing.T, sch *jsonschema.Schema, text []byte) error {
	t.Helper()
	js, err := sigsyaml.YAMLToJSON(text)
	require.NoError(t, err)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	require.NoError(t, err)
	return sch.Validate(v)
}

func keysOfSchema(obj map[string]any) []string {
	var out []string
	for k := range obj["properties"].(map[string]any) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The schema has exactly File's keys and Rule's keys, and refuses others
// as Parse does.
func TestSchemaMatchesFields(t *testing.T) {
	_, doc := schema(t)
	want := Keys(File{})
	slices.Sort(want)
	assert.Equal(t, want, keysOfSchema(doc), "docs/hookguard.schema.json top-level properties must be config.File's yaml keys")
	assert.Equal(t, false, doc["additionalProperties"])
	rule := doc["$defs"].(map[string]any)["rule"].(map[string]any)
	want = Keys(Rule{})
	slices.Sort(want)
	assert.Equal(t, want, keysOfSchema(rule), "the schema's rule entry must be config.Rule's yaml keys")
	assert.Equal(t, false, rule["additionalProperties"])
}

// Every example configuration in the repository passes both the schema and
// Parse; misspelt keys fail both.
func TestSchemaValidatesExamples(t *testing.T) {
	sch, _ := schema(t)
	examples := map[string][]byte{}
	data, err := os.ReadFile("../../testdata/config/.hookguard.yaml")
	require.NoError(t, err)
	examples["testdata/config/.hookguard.yaml"] = data
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	// The README's configuration example: the yaml block after "## Configuration".
	m := regexp.MustCompile("(?s)## Configuration\n.*?```yaml\n(.*?)```").FindSubmatch(readme)
	require.NotNil(t, m, "README.md has a ## Configuration section with a yaml example")
	examples["README.md"] = m[1]
	for name, text := range examples {
		assert.NoError(t, validateYAML(t, sch, text), name)
		_, err := Parse(filepath.Join("/repo", FileName), text)
		assert.NoError(t, err, name)
	}
	for _, bad := range []string{"failon: error\n", "failOn: loud\n", "rules: {x: {enable: false}}\n", "ignore: vendor\n", "settings: {maxBackoffLimit: -1}\n"} {
		assert.Error(t, validateYAML(t, sch, []byte(bad)), bad)
	}
}
