// Package plugin is hookguard's Argo CD Config Management Plugin: it reads
// the environment argocd-cmp-server gives `generate`, renders the app,
// normalizes it, lints it, and either prints the objects or blocks the sync.
//
// The CMP contract (plugin.yaml schema, environment, output rules) is
// mirrored from argo-cd v3.6 (cmpserver/plugin/config.go,
// reposerver/repository/repository.go) in small local types, not imported.
package plugin

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Parameter is one CMP parameter: its announcement (shown in the Argo CD UI)
// and its default. Field names follow argo-cd's ParameterAnnouncement
// (reposerver/repository/repository.proto).
type Parameter struct {
	Name           string            `json:"name"`
	Title          string            `json:"title"`
	Tooltip        string            `json:"tooltip"`
	ItemType       string            `json:"itemType,omitempty"`
	CollectionType string            `json:"collectionType"` // string, array or map
	String         string            `json:"string,omitempty"`
	Array          []string          `json:"array,omitempty"`
	Map            map[string]string `json:"map,omitempty"`
}

// Parameters is every parameter `generate` reads. plugin.yaml announces
// exactly these (a test keeps them equal).
var Parameters = []Parameter{
	{Name: "gate", Title: "Gate severity", Tooltip: "Findings at or above this severity block the sync: error, warning, info, or none; never looser than the admin's minimum gate (error by default).", CollectionType: "string", String: "error"},
	{Name: "argocd-version", Title: "Argo CD version", Tooltip: "Argo CD version whose hook behaviour is checked (default: the newest hookguard knows).", CollectionType: "string"},
	{Name: "release-name", Title: "Helm release name", Tooltip: "Release name for Helm charts (default: the Application name).", CollectionType: "string"},
	{Name: "values-files", Title: "Helm values files", Tooltip: "Values files, relative to the chart directory, applied in order.", CollectionType: "array"},
	{Name: "helm-set", Title: "Helm values", Tooltip: "Values set like helm --set key=value; a comma is part of the value, as in Argo CD's Helm parameters.", CollectionType: "map"},
	{Name: "normalize", Title: "Normalize", Tooltip: "Master switch for every normalization below (true or false).", CollectionType: "string", String: "true"},
	{Name: "fix-spelling", Title: "Fix hook spelling", Tooltip: "Rewrite hook types, delete policies and waves in Argo CD's exact spelling (presync -> PreSync).", CollectionType: "string", String: "true"},
	{Name: "translate-helm-hooks", Title: "Translate Helm hooks", Tooltip: "Write helm.sh/hook annotations as the equivalent Argo CD annotations.", CollectionType: "string", String: "true"},
	{Name: "keep-helm-dropped-hooks", Title: "Keep unsupported Helm hooks", Tooltip: "Keep Helm test/rollback hooks in the output (Argo CD drops them anyway) instead of removing them with a note.", CollectionType: "string", String: "false"},
	{Name: "explicit-before-hook-creation", Title: "Explicit BeforeHookCreation", Tooltip: "Write hook-delete-policy BeforeHookCreation on named hooks that have none (Argo CD's default, made visible).", CollectionType: "string", String: "true"},
	{Name: "default-backoff-limit", Title: "Default hook backoffLimit", Tooltip: "backoffLimit injected into hook Jobs that have none; 0 turns injection off.", CollectionType: "string", String: "3"},
	{Name: "default-active-deadline-seconds", Title: "Default hook deadline", Tooltip: "activeDeadlineSeconds injected into hook Jobs and Pods that have none; 0 turns injection off.", CollectionType: "string", String: "3600"},
	{Name: "hook-selectors", Title: "Hooks by label", Tooltip: "Label selector -> hook spec, e.g. app.kubernetes.io/component=migration: PreSync,wave=-1,delete-policy=BeforeHookCreation.", CollectionType: "map"},
	{Name: "disable-rules", Title: "Disabled rules", Tooltip: "Lint rule ids not to check.", CollectionType: "array"},
	{Name: "allow-empty", Title: "Allow empty output", Tooltip: "Allow an app that renders no object (Argo CD would prune everything).", CollectionType: "string", String: "false"},
	{Name: "allow-remote-bases", Title: "Allow remote Kustomize bases", Tooltip: "Let Kustomize fetch remote bases over the network.", CollectionType: "string", String: "false"},
	{Name: "kustomize-enable-helm", Title: "Kustomize helmCharts", Tooltip: "Enable Kustomize's helmCharts inflation (needs helm in the sidecar image).", CollectionType: "string", String: "false"},
}

// Values are the parameter values of one request, defaults filled in.
type Values struct {
	strings map[string]string
	arrays  map[string][]string
	maps    map[string]map[string]string
}

// String returns a string parameter (its default when unset).
func (v Values) String(name string) string { return v.strings[name] }

// Array returns an array parameter.
func (v Values) Array(name string) []string { return v.arrays[name] }

// Map returns a map parameter.
func (v Values) Map(name string) map[string]string { return v.maps[name] }

// Bool reads a true/false parameter.
func (v Values) Bool(name string) (bool, error) {
	b, err := strconv.ParseBool(strings.TrimSpace(v.strings[name]))
	if err != nil {
		return false, fmt.Errorf("parameter %s: %q is not true or false", name, v.strings[name])
	}
	return b, nil
}

// Int reads a non-negative integer parameter.
func (v Values) Int(name string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v.strings[name]))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("parameter %s: %q is not a non-negative integer", name, v.strings[name])
	}
	return n, nil
}

// appParameter is one element of ARGOCD_APP_PARAMETERS
// (ApplicationSourcePluginParameters, pkg/apis/application/v1alpha1/types.go).
type appParameter struct {
	Name   string            `json:"name"`
	String *string           `json:"string,omitempty"`
	Array  []string          `json:"array,omitempty"`
	Map    map[string]string `json:"map,omitempty"`
}

// ReadValues reads the parameters from ARGOCD_APP_PARAMETERS (the JSON that
// keeps arrays and maps intact); without it, from the PARAM_<NAME> variables
// of string and array parameters. An unknown parameter name is an error.
func ReadValues(env Env) (Values, error) {
	v := Values{strings: map[string]string{}, arrays: map[string][]string{}, maps: map[string]map[string]string{}}
	byName := map[string]Parameter{}
	for _, p := range Parameters {
		byName[p.Name] = p
		v.strings[p.Name] = p.String
		v.arrays[p.Name] = p.Array
		v.maps[p.Name] = p.Map
	}
	// Plugin env entries (spec.source.plugin.env: HOOKGUARD_GATE=warning)
	// set string parameters too; parameters win over them. Empty values,
	// which Argo CD passes since 3.0, count as unset.
	for key, value := range env {
		name, ok := strings.CutPrefix(key, envPrefix)
		if !ok || value == "" {
			continue
		}
		decl, known := byEnvName(name)
		if !known {
			return v, fmt.Errorf("unknown plugin env %s; hookguard reads %s<PARAMETER> for: %s", strings.TrimPrefix(key, "ARGOCD_ENV_"), strings.TrimPrefix(envPrefix, "ARGOCD_ENV_"), parameterNames())
		}
		if decl.CollectionType != "string" {
			return v, fmt.Errorf("plugin env %s: parameter %s takes %s, not a string; set it in spec.source.plugin.parameters", strings.TrimPrefix(key, "ARGOCD_ENV_"), decl.Name, map[string]string{"array": "an array", "map": "a map"}[decl.CollectionType])
		}
		v.strings[decl.Name] = value
	}
	if raw := env["ARGOCD_APP_PARAMETERS"]; strings.TrimSpace(raw) != "" {
		var params []appParameter
		if err := json.Unmarshal([]byte(raw), &params); err != nil {
			return v, fmt.Errorf("ARGOCD_APP_PARAMETERS is not the JSON Argo CD sends: %w", err)
		}
		for _, p := range params {
			decl, ok := byName[p.Name]
			if !ok {
				return v, fmt.Errorf("unknown parameter %q; hookguard reads: %s", p.Name, parameterNames())
			}
			switch decl.CollectionType {
			case "string":
				if p.String == nil {
					return v, fmt.Errorf("parameter %s takes a string", p.Name)
				}
				v.strings[p.Name] = *p.String
			case "array":
				if p.String != nil || p.Map != nil {
					return v, fmt.Errorf("parameter %s takes an array", p.Name)
				}
				v.arrays[p.Name] = p.Array
			case "map":
				if p.String != nil || p.Array != nil {
					return v, fmt.Errorf("parameter %s takes a map", p.Name)
				}
				v.maps[p.Name] = p.Map
			}
		}
		return v, nil
	}
	for _, p := range Parameters {
		key := "PARAM_" + escape(p.Name)
		switch p.CollectionType {
		case "string":
			if s, ok := env[key]; ok {
				v.strings[p.Name] = s
			}
		case "array":
			var items []string
			for i := 0; ; i++ {
				s, ok := env[fmt.Sprintf("%s_%d", key, i)]
				if !ok {
					break
				}
				items = append(items, s)
			}
			if items != nil {
				v.arrays[p.Name] = items
			}
		}
	}
	return v, nil
}

// envPrefix marks plugin env entries hookguard reads (ARGOCD_ENV_ is added
// by Argo CD to every spec.source.plugin.env name).
const envPrefix = "ARGOCD_ENV_HOOKGUARD_"

func byEnvName(name string) (Parameter, bool) {
	for _, p := range Parameters {
		if escape(p.Name) == name {
			return p, true
		}
	}
	return Parameter{}, false
}

// Env is the process environment as a map, as `generate` sees it: the
// sidecar's own environment plus what repo-server sends.
type Env map[string]string

// EnvFromList reads "KEY=value" entries (os.Environ()).
func EnvFromList(list []string) Env {
	env := Env{}
	for _, kv := range list {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	return env
}

var nonEnv = regexp.MustCompile(`[^A-Z0-9_]`)

// escape is argo-cd's parameter name escaping: upper case, anything outside
// [A-Z0-9_] replaced with "_".
func escape(name string) string {
	return nonEnv.ReplaceAllString(strings.ToUpper(name), "_")
}

func parameterNames() string {
	var names []string
	for _, p := range Parameters {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ParametersMarkdown is the README's parameter table.
func ParametersMarkdown() string {
	var b strings.Builder
	b.WriteString("| parameter | type | default | meaning |\n|---|---|---|---|\n")
	for _, p := range Parameters {
		def := p.String
		if def == "" {
			def = "—"
		} else {
			def = "`" + def + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", p.Name, p.CollectionType, def, strings.ReplaceAll(p.Tooltip, "|", `\|`))
	}
	return b.String()
}
