package lint

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hookguard/hookguard/internal/hooks"
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
		var want map[string]any
		require.NoError(t, json.Unmarshal(data, &want))
		got, err := json.Marshal(factsValue(f))
		require.NoError(t, err)
		var gotValue map[string]any
		require.NoError(t, json.Unmarshal(got, &gotValue))
		assert.Equal(t, want, gotValue, "annotations %v", ann)
	}
}
