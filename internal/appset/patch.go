package appset

import (
	"encoding/json"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// applyPatch applies a rendered templatePatch (YAML or JSON) to an
// Application as applyTemplatePatch does (controllers/template/patch.go):
// a strategic merge patch over the Application type, where mappings merge,
// null removes a field and lists are replaced, except metadata.finalizers,
// whose patch strategy is merge; spec.project cannot be patched.
func applyPatch(app map[string]any, text string) (map[string]any, error) {
	data := []byte(text)
	if s := strings.TrimSpace(text); s == "" || s[0] != '{' {
		var err error
		if data, err = yaml.YAMLToJSON(data); err != nil {
			return nil, fmt.Errorf("error while converting template to json %q: %w", text, err)
		}
	}
	var patch any
	if err := json.Unmarshal(data, &patch); err != nil {
		return nil, fmt.Errorf("invalid templatePatch %q: %w", text, err)
	}
	pm, ok := patch.(map[string]any)
	if !ok {
		if patch == nil {
			return app, nil
		}
		return nil, fmt.Errorf("invalid templatePatch %q: not a mapping", text)
	}
	spec, _ := app["spec"].(map[string]any)
	project, hadProject := spec["project"]
	out := mergePatch(app, pm, nil).(map[string]any)
	newSpec, _ := out["spec"].(map[string]any)
	if newSpec != nil {
		if hadProject {
			newSpec["project"] = project
		} else {
			delete(newSpec, "project")
		}
	}
	return out, nil
}

// mergePatch merges patch into orig, path being where it is.
func mergePatch(orig any, patch any, path []string) any {
	pm, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	om, ok := orig.(map[string]any)
	if !ok {
		om = map[string]any{}
	}
	out := make(map[string]any, len(om)+len(pm))
	for k, v := range om {
		out[k] = v
	}
	for k, v := range pm {
		if v == nil {
			delete(out, k)
			continue
		}
		at := append(append([]string(nil), path...), k)
		if len(at) == 2 && at[0] == "metadata" && at[1] == "finalizers" {
			out[k] = unionList(out[k], v)
			continue
		}
		if _, isMap := v.(map[string]any); isMap {
			out[k] = mergePatch(out[k], v, at)
			continue
		}
		out[k] = v
	}
	return out
}

// unionList merges a list of scalars with merge strategy: the original's
// items, then the patch's that are new, without duplicates.
func unionList(orig, patch any) any {
	pl, ok := patch.([]any)
	if !ok {
		return patch
	}
	ol, _ := orig.([]any)
	seen := map[string]bool{}
	var out []any
	for _, v := range append(append([]any(nil), ol...), pl...) {
		key := fmt.Sprintf("%T:%v", v, v)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, v)
	}
	return out
}
