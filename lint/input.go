package lint

import (
	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/hooks"
)

// input builds the Rego input of an app: every object with its raw content,
// the facts Argo CD derives from it and its tasks in the sync order, the
// run's config, and whether the app is complete. It also returns each
// object's raw content, the input of conftest-style rules.
func input(a *app.App, config map[string]any) (map[string]any, []map[string]any) {
	list := make([]any, len(a.Objects))
	raws := make([]map[string]any, len(a.Objects))
	for i, o := range a.Objects {
		raw := o.Value()
		raws[i] = raw
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
		list[i] = map[string]any{
			"index": i, "file": o.File, "line": o.Line,
			"apiVersion": o.Ref.APIVersion, "kind": o.Ref.Kind, "group": o.Group,
			"namespace": o.Ref.Namespace, "name": o.Ref.Name, "generateName": o.Ref.GenerateName,
			"ref":                  o.Ref.String(),
			"raw":                  raw,
			"annotations":          annotations,
			"nonStringAnnotations": notString,
			"generationFails":      hooks.GenerationFails(o.Group, o.Ref.Kind, len(o.NotString) > 0, a.Version),
			"argocd":               factsValue(o.Facts),
			"tasks":                tasks,
		}
	}
	return map[string]any{
		"objects": list,
		"config":  config,
		"app":     map[string]any{"complete": a.Complete},
	}, raws
}

// factsValue is the Rego form of an object's facts: the JSON field names of
// hooks.Facts, built directly (a test keeps the two equal).
func factsValue(f hooks.Facts) map[string]any {
	return map[string]any{
		"annotationsReadable":    f.AnnotationsReadable,
		"role":                   string(f.Role),
		"isHook":                 f.IsHook,
		"types":                  strs(f.Types),
		"skip":                   f.Skip,
		"ignored":                f.Ignored,
		"phases":                 strs(f.Phases),
		"deleteTypes":            strs(f.DeleteTypes),
		"deletePolicies":         strs(f.DeletePolicies),
		"explicitDeletePolicies": strs(f.ExplicitDeletePolicies),
		"wave":                   f.Wave,
		"waveSource":             f.WaveSource,
		"typesFrom":              f.TypesFrom,
		"helmTypesIgnored":       f.HelmTypesIgnored,
		"invalidHookTypes":       invalids(f.InvalidHookTypes),
		"invalidHelmHooks":       invalids(f.InvalidHelmHooks),
		"invalidDeletePolicies":  invalids(f.InvalidDeletePolicies),
		"invalidWaves":           invalids(f.InvalidWaves),
		"syncOptions":            strs(f.SyncOptions),
		"skipCombined":           f.SkipCombined,
	}
}

func strs[S ~string](xs []S) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

func invalids(xs []hooks.Invalid) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		m := map[string]any{"key": x.Key, "value": x.Value}
		if x.Suggestion != "" {
			m["suggestion"] = x.Suggestion
		}
		out[i] = m
	}
	return out
}
