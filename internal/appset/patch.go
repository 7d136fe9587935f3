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

// unionList merges a list of scalars whose patch strategy is merge, in the
// order apimachinery's strategic merge gives (strategicpatch/patch.go,
// mergeSlice and normalizeElementOrder): every distinct item of both, the
// patch's in the patch's order, the others in the original's order, an
// original-only item placed before a patch item when the original has it
// first.
func unionList(orig, patch any) any {
	pl, ok := patch.([]any)
	if !ok {
		return patch
	}
	ol, _ := orig.([]any)
	index := func(l []any, v any) int {
		for i, x := range l {
			if x == v {
				return i
			}
		}
		return -1
	}
	var fromPatch, serverOnly []any
	for _, v := range pl {
		if index(fromPatch, v) < 0 {
			fromPatch = append(fromPatch, v)
		}
	}
	for _, v := range ol {
		if index(pl, v) < 0 && index(serverOnly, v) < 0 {
			serverOnly = append(serverOnly, v)
		}
	}
	out := make([]any, 0, len(fromPatch)+len(serverOnly))
	i, j := 0, 0
	for i < len(serverOnly) || j < len(fromPatch) {
		switch {
		case j >= len(fromPatch):
			out = append(out, serverOnly[i])
			i++
		case i >= len(serverOnly):
			out = append(out, fromPatch[j])
			j++
		default:
			if ri := index(ol, fromPatch[j]); ri >= 0 && index(ol, serverOnly[i]) < ri {
				out = append(out, serverOnly[i])
				i++
			} else {
				out = append(out, fromPatch[j])
				j++
			}
		}
	}
	return out
}
