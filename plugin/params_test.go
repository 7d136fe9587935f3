package plugin

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadValuesFromAppParameters(t *testing.T) {
	env := Env{"ARGOCD_APP_PARAMETERS": `[{"name":"gate","string":"warning"},{"name":"values-files","array":["a.yaml","b.yaml"]},{"name":"helm-set","map":{"image.tag":"v2"}}]`}
	v, err := ReadValues(env)
	require.NoError(t, err)
	assert.Equal(t, "warning", v.String("gate"))
	assert.Equal(t, []string{"a.yaml", "b.yaml"}, v.Array("values-files"))
	assert.Equal(t, map[string]string{"image.tag": "v2"}, v.Map("helm-set"))
	assert.Equal(t, "3", v.String("default-backoff-limit"), "announced defaults fill what the Application does not set")
}

func TestReadValuesFromParamVariables(t *testing.T) {
	// Without ARGOCD_APP_PARAMETERS: PARAM_<ESC(name)>, PARAM_<ESC(name)>_<i>.
	env := Env{"PARAM_GATE": "info", "PARAM_VALUES_FILES_0": "x.yaml", "PARAM_VALUES_FILES_1": "y.yaml", "PARAM_ALLOW_EMPTY": ""}
	v, err := ReadValues(env)
	require.NoError(t, err)
	assert.Equal(t, "info", v.String("gate"))
	assert.Equal(t, []string{"x.yaml", "y.yaml"}, v.Array("values-files"))
	assert.Equal(t, "", v.String("allow-empty"), "an empty value is passed since Argo CD 3.0")
	_, err = v.Bool("allow-empty")
	assert.ErrorContains(t, err, "allow-empty")
}

func TestReadValuesErrors(t *testing.T) {
	for env, want := range map[string]string{
		`not json`:                                 "not the JSON Argo CD sends",
		`[{"name":"gates","string":"x"}]`:          `unknown parameter "gates"`,
		`[{"name":"gate","array":["x"]}]`:          "takes a string",
		`[{"name":"values-files","string":"a"}]`:   "takes an array",
		`[{"name":"helm-set","array":["a=b"]}]`:    "takes a map",
		`[{"name":"hook-selectors","string":"x"}]`: "takes a map",
	} {
		_, err := ReadValues(Env{"ARGOCD_APP_PARAMETERS": env})
		assert.ErrorContains(t, err, want, env)
	}
}

func TestReadSettings(t *testing.T) {
	env := Env{"ARGOCD_APP_NAME": "shop", "ARGOCD_APP_PARAMETERS": `[{"name":"gate","string":"none"},{"name":"normalize","string":"false"},{"name":"hook-selectors","map":{"component=migration":"PreSync,wave=-1"}}]`}
	v, err := ReadValues(env)
	require.NoError(t, err)
	s, err := readSettings(v, env)
	require.NoError(t, err)
	assert.Equal(t, "", string(s.gate))
	assert.Equal(t, "shop", s.releaseName, "the release name defaults to the Application name")
	assert.False(t, s.normalize.Spelling, "normalize=false switches every filter off")
	assert.Empty(t, s.normalize.Selectors)

	for params, want := range map[string]string{
		`[{"name":"gate","string":"fatal"}]`:                                  "parameter gate",
		`[{"name":"argocd-version","string":"three"}]`:                        "parameter argocd-version",
		`[{"name":"default-backoff-limit","string":"-1"}]`:                    "default-backoff-limit",
		`[{"name":"hook-selectors","map":{"component=migration":"presync"}}]`: "hook-selectors",
		`[{"name":"fix-spelling","string":"yes please"}]`:                     "fix-spelling",
	} {
		env := Env{"ARGOCD_APP_PARAMETERS": params}
		v, err := ReadValues(env)
		require.NoError(t, err)
		_, err = readSettings(v, env)
		assert.ErrorContains(t, err, want, params)
	}
}

func TestEscape(t *testing.T) {
	assert.Equal(t, "VALUES_FILES", escape("values-files"))
	assert.Equal(t, "A_B", escape("a.b"))
}

func TestReadValuesFromPluginEnv(t *testing.T) {
	v, err := ReadValues(Env{"ARGOCD_ENV_HOOKGUARD_GATE": "warning", "ARGOCD_ENV_HOOKGUARD_ALLOW_EMPTY": "", "ARGOCD_ENV_OTHER": "x"})
	require.NoError(t, err)
	assert.Equal(t, "warning", v.String("gate"))
	assert.Equal(t, "false", v.String("allow-empty"), "an empty env value (Argo CD 3.0+) keeps the default")

	v, err = ReadValues(Env{"ARGOCD_ENV_HOOKGUARD_GATE": "warning", "ARGOCD_APP_PARAMETERS": `[{"name":"gate","string":"info"}]`})
	require.NoError(t, err)
	assert.Equal(t, "info", v.String("gate"), "a parameter wins over plugin env")

	_, err = ReadValues(Env{"ARGOCD_ENV_HOOKGUARD_GATES": "x"})
	assert.ErrorContains(t, err, "unknown plugin env HOOKGUARD_GATES")
	_, err = ReadValues(Env{"ARGOCD_ENV_HOOKGUARD_VALUES_FILES": "a.yaml"})
	assert.ErrorContains(t, err, "parameter values-files takes an array, not a string")
}
