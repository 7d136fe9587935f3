package appset

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"dario.cat/mergo"
	"github.com/jeremywohl/flatten"
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/yaml"
)

// kinds are the generator fields of v1alpha1.ApplicationSetGenerator in
// declaration order, the order in which Transform runs them
// (generator_spec_processor.go, GetRelevantGenerators).
var kinds = []string{"list", "clusters", "git", "scmProvider", "clusterDecisionResource", "pullRequest", "matrix", "merge", "plugin", "oci"}

// offline are the kinds Expand runs; the others need a cluster, an API or
// a registry.
var offline = map[string]bool{"list": true, "git": true, "matrix": true, "merge": true}

// valued are the generator kinds with a values map, which a matrix
// resolves before the rest (utils.go, getFilteredGeneratorTypes).
var valued = map[string]bool{"clusters": true, "git": true, "scmProvider": true, "clusterDecisionResource": true, "pullRequest": true, "plugin": true, "oci": true}

// result is one generator's parameter sets and the template they fill
// (generator_spec_processor.go, TransformResult).
type result struct {
	params   []map[string]any
	template map[string]any
}

// transform runs each generator kind set in gen, as Transform does:
// the generator's own template merged over base, its parameters (after
// rendering gen with the parameters of a matrix's first child, when given),
// filtered by its selector. depth 0 is spec.generators, 1 a child of a
// matrix or merge, 2 a child of a nested one, where matrix and merge are
// not fields (v1alpha1.ApplicationSetTerminalGenerator). Kinds that cannot
// run offline are returned in skipped at depth 0 and are an error below.
func (r *run) transform(gen map[string]any, base map[string]any, genParams map[string]any, where string, depth int) (results []result, skipped []string, err error) {
	sel, err := parseSelector(gen["selector"])
	if err != nil {
		return nil, nil, fmt.Errorf("%s.selector: %w", where, err)
	}
	for _, kind := range kinds {
		spec, ok := gen[kind]
		if !ok || spec == nil || (depth == 2 && (kind == "matrix" || kind == "merge")) {
			continue
		}
		at := where + "." + kind
		if !offline[kind] {
			if depth > 0 {
				return nil, nil, &notExpandedError{what: at}
			}
			skipped = append(skipped, at)
			continue
		}
		if _, ok := spec.(map[string]any); !ok {
			return nil, nil, fmt.Errorf("%s is not a mapping", at)
		}
		merged, err := mergeTemplate(spec.(map[string]any)["template"], base)
		if err != nil {
			return nil, nil, fmt.Errorf("%s.template: %w", at, err)
		}
		g := gen
		if len(genParams) != 0 {
			if g, err = r.interpolate(gen, genParams); err != nil {
				return nil, nil, fmt.Errorf("%s: rendering with the first generator's parameters: %w", where, err)
			}
		}
		s, _ := g[kind].(map[string]any)
		var params []map[string]any
		switch kind {
		case "list":
			params, err = r.list(s)
		case "git":
			params, err = r.git(s, at)
		case "matrix":
			params, err = r.matrix(s, at, depth)
		case "merge":
			params, err = r.merge(s, at, depth)
		}
		if err != nil {
			var ne *notExpandedError
			if errors.As(err, &ne) {
				return nil, nil, err
			}
			return nil, nil, fmt.Errorf("%s: %w", at, err)
		}
		if len(params) > MaxParams {
			return nil, nil, fmt.Errorf("%s: more than %d parameter sets", at, MaxParams)
		}
		var kept []map[string]any
		for _, p := range params {
			if sel != nil {
				flat, err := flattenParams(p)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %w", at, err)
				}
				if !sel.matches(flat) {
					continue
				}
			}
			kept = append(kept, p)
		}
		results = append(results, result{params: kept, template: merged})
	}
	return results, skipped, nil
}

// mergeTemplate fills what a generator's own template leaves empty from the
// ApplicationSet's (generator_spec_processor.go, mergeGeneratorTemplate:
// mergo.Merge without override).
func mergeTemplate(own any, base map[string]any) (map[string]any, error) {
	dst := map[string]any{}
	if own != nil {
		o, ok := own.(map[string]any)
		if !ok {
			return nil, errors.New("not a mapping")
		}
		c, _ := deepCopy(o)
		dst = c.(map[string]any)
	}
	src, _ := deepCopy(base)
	if err := mergo.Merge(&dst, src.(map[string]any)); err != nil {
		return nil, err
	}
	return dst, nil
}

// interpolate renders a matrix's second child with one parameter set of the
// first (utils.go, RenderGeneratorParams). The values of a generator are
// rendered first with missingkey=error, and a value naming a parameter the
// first child lacks is kept as written for the generator to render later.
func (r *run) interpolate(gen map[string]any, params map[string]any) (map[string]any, error) {
	opts := r.render.options
	if r.render.goTemplate {
		opts = nil
		for _, o := range r.render.options {
			if !strings.HasPrefix(o, "missingkey=") {
				opts = append(opts, o)
			}
		}
		opts = append(opts, "missingkey=error")
	}
	rest := make(map[string]any, len(gen))
	resolved := map[string]map[string]any{}
	for k, v := range gen {
		spec, ok := v.(map[string]any)
		if !valued[k] || !ok || spec["values"] == nil {
			rest[k] = v
			continue
		}
		values, ok := spec["values"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s.values is not a mapping", k)
		}
		out := make(map[string]any, len(values))
		for vk, vv := range values {
			s, ok := vv.(string)
			if !ok {
				return nil, fmt.Errorf("%s.values.%s is %v, not a string", k, vk, describe(vv))
			}
			res, err := replaceWith(s, params, r.render.goTemplate, opts, nil)
			if err != nil {
				if missingKey(err) {
					out[vk] = s
					continue
				}
				return nil, fmt.Errorf("failed to pre-resolve Values key %q: %w", vk, err)
			}
			out[vk] = res
		}
		resolved[k] = out
		c := maps.Clone(spec)
		delete(c, "values")
		rest[k] = c
	}
	out, err := r.render.deep(rest, params)
	if err != nil {
		return nil, err
	}
	g := out.(map[string]any)
	for k, values := range resolved {
		if spec, ok := g[k].(map[string]any); ok {
			spec["values"] = values
		}
	}
	return g, nil
}

// missingKey is Argo CD's test for a template naming an absent parameter
// (utils.go, isMissingKeyError).
func missingKey(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "map has no entry for key") || strings.Contains(msg, "can't evaluate field")
}

// list is the list generator (list.go): in Go template mode each element is
// a parameter set as it is; otherwise every value must be a string, and
// the strings of a "values" mapping become values.KEY. elementsYaml's
// elements follow, as they are in both modes.
func (r *run) list(spec map[string]any) ([]map[string]any, error) {
	elems, ok := spec["elements"].([]any)
	if !ok && spec["elements"] != nil {
		return nil, errors.New("elements is not a list")
	}
	res := make([]map[string]any, len(elems))
	for i, e := range elems {
		element, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("error unmarshling list element %d: %s is not a mapping", i, describe(e))
		}
		if r.render.goTemplate {
			// A fresh copy each run, as Argo CD unmarshals each element
			// anew: a matrix merges into the parameter sets it is given.
			c, _ := deepCopy(element)
			res[i] = c.(map[string]any)
			continue
		}
		// An empty element stays a nil parameter set: Argo CD assigns the
		// set inside the loop over the element's keys.
		params := map[string]any{}
		for key, value := range element {
			if key == "values" {
				values, ok := value.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("element %d: error parsing values map", i)
				}
				for k, v := range values {
					s, ok := v.(string)
					if !ok {
						return nil, fmt.Errorf("element %d: error parsing value as string: values.%s is %s", i, k, describe(v))
					}
					params["values."+k] = s
				}
			} else {
				s, ok := value.(string)
				if !ok {
					return nil, fmt.Errorf("element %d: error parsing value as string: %s is %s", i, key, describe(value))
				}
				params[key] = s
			}
			res[i] = params
		}
	}
	if y, ok := spec["elementsYaml"].(string); ok && y != "" {
		var more []map[string]any
		if err := yaml.Unmarshal([]byte(y), &more); err != nil {
			return nil, fmt.Errorf("error unmarshling decoded ElementsYaml %w", err)
		}
		res = append(res, more...)
	} else if !ok && spec["elementsYaml"] != nil {
		return nil, errors.New("elementsYaml is not a string")
	}
	return res, nil
}

// children reads a matrix's or merge's generators.
func children(spec map[string]any) ([]map[string]any, error) {
	list, ok := spec["generators"].([]any)
	if !ok && spec["generators"] != nil {
		return nil, errors.New("generators is not a list")
	}
	out := make([]map[string]any, len(list))
	for i, g := range list {
		m, ok := g.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("generators[%d] is not a mapping", i)
		}
		out[i] = m
	}
	return out, nil
}

// childParams runs one child of a matrix or merge: exactly one generator
// kind, with no template of its own that counts (matrix.go, getParams).
func (r *run) childParams(child map[string]any, genParams map[string]any, where string, depth int) ([]map[string]any, error) {
	results, _, err := r.transform(child, map[string]any{}, genParams, where, depth+1)
	if err != nil {
		return nil, err
	}
	if len(results) == 0 {
		return nil, fmt.Errorf("%s: child generator generated no parameters", where)
	}
	if len(results) > 1 {
		return nil, fmt.Errorf("%s: found more than one generator in matrix.Generators", where)
	}
	return results[0].params, nil
}

// matrix is the matrix generator (matrix.go): the second child runs once
// for each parameter set of the first, rendered with it, and each pair is
// joined: in Go template mode a deep merge where the first child wins, in
// the default mode string maps that must agree on shared keys.
func (r *run) matrix(spec map[string]any, where string, depth int) ([]map[string]any, error) {
	gens, err := children(spec)
	if err != nil {
		return nil, err
	}
	if len(gens) < 2 {
		return nil, errors.New("found less than two generators, Matrix support only two")
	}
	if len(gens) > 2 {
		return nil, errors.New("found more than two generators, Matrix support only two")
	}
	first, err := r.childParams(gens[0], nil, where+".generators[0]", depth)
	if err != nil {
		return nil, fmt.Errorf("error failed to get params for first generator in matrix generator: %w", err)
	}
	res := []map[string]any{}
	for _, a := range first {
		second, err := r.childParams(gens[1], a, where+".generators[1]", depth)
		if err != nil {
			return nil, fmt.Errorf("failed to get params for second generator in the matrix generator: %w", err)
		}
		for _, b := range second {
			if r.render.goTemplate {
				if len(res) == MaxParams {
					return nil, fmt.Errorf("more than %d parameter sets", MaxParams)
				}
				tmp := map[string]any{}
				if err := mergo.Merge(&tmp, b, mergo.WithOverride); err != nil {
					return nil, err
				}
				if err := mergo.Merge(&tmp, a, mergo.WithOverride); err != nil {
					return nil, err
				}
				res = append(res, tmp)
				continue
			}
			if len(res) == MaxParams {
				return nil, fmt.Errorf("more than %d parameter sets", MaxParams)
			}
			joined, err := combineStrings(a, b)
			if err != nil {
				return nil, fmt.Errorf("failed to combine string maps with merging params for the matrix generator: %w", err)
			}
			res = append(res, joined)
		}
	}
	return res, nil
}

// combineStrings is utils.CombineStringMaps (map.go): both sides as
// strings ("%v"), and a key the two give different values is an error.
func combineStrings(a, b map[string]any) (map[string]any, error) {
	res := map[string]any{}
	for k, v := range a {
		res[k] = fmt.Sprintf("%v", v)
	}
	for k, v := range b {
		s := fmt.Sprintf("%v", v)
		if cur, ok := res[k]; ok && cur != s {
			return nil, fmt.Errorf("found duplicate key %s with different value, a: %s ,b: %s", k, cur, s)
		}
		res[k] = s
	}
	return res, nil
}

// merge is the merge generator (merge.go): parameter sets of the first
// child, each overridden by the set of a later child with the same values
// at mergeKeys. Argo CD returns them in map order; here they keep the
// first child's order.
func (r *run) merge(spec map[string]any, where string, depth int) ([]map[string]any, error) {
	gens, err := children(spec)
	if err != nil {
		return nil, err
	}
	if len(gens) < 2 {
		return nil, errors.New("found less than two generators, Merge requires two or more")
	}
	keys, err := stringsAt(spec, "mergeKeys")
	if err != nil {
		return nil, err
	}
	var sets [][]map[string]any
	for i, g := range gens {
		params, err := r.childParams(g, map[string]any{}, where+".generators["+strconv.Itoa(i)+"]", depth)
		if err != nil {
			return nil, fmt.Errorf("error getting params from generator %d of %d: %w", i+1, len(gens), err)
		}
		sets = append(sets, params)
	}
	order, base, err := byMergeKey(keys, sets[0])
	if err != nil {
		return nil, err
	}
	for _, set := range sets[1:] {
		_, other, err := byMergeKey(keys, set)
		if err != nil {
			return nil, err
		}
		for _, k := range order {
			override, ok := other[k]
			if !ok {
				continue
			}
			p := base[k]
			if r.render.goTemplate {
				if err := mergo.Merge(&p, override, mergo.WithOverride); err != nil {
					return nil, err
				}
				base[k] = p
			} else {
				maps.Copy(p, override)
			}
		}
	}
	out := make([]map[string]any, len(order))
	for i, k := range order {
		out[i] = base[k]
	}
	return out, nil
}

// byMergeKey indexes parameter sets by the JSON of their values at the
// merge keys; two sets with the same key are an error (merge.go,
// getParamSetsByMergeKey).
func byMergeKey(mergeKeys []string, sets []map[string]any) ([]string, map[string]map[string]any, error) {
	if len(mergeKeys) < 1 {
		return nil, nil, errors.New("no merge keys were specified, Merge requires at least one")
	}
	unique := map[string]bool{}
	for _, k := range mergeKeys {
		unique[k] = true
	}
	var order []string
	out := make(map[string]map[string]any, len(sets))
	for _, p := range sets {
		key := map[string]any{}
		for k := range unique {
			key[k] = p[k]
		}
		data, err := json.Marshal(key)
		if err != nil {
			return nil, nil, fmt.Errorf("error marshalling param set key json: %w", err)
		}
		s := string(data)
		if _, dup := out[s]; dup {
			return nil, nil, fmt.Errorf("the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was %s", s)
		}
		out[s] = p
		order = append(order, s)
	}
	return order, out, nil
}

// flattenParams is what a selector matches against: the parameters as
// dotted keys and "%v" strings (generator_spec_processor.go,
// flattenParameters).
func flattenParams(in map[string]any) (map[string]string, error) {
	flat, err := flatten.Flatten(normalizeForFlatten(in), "", flatten.DotStyle)
	if err != nil {
		return nil, fmt.Errorf("error flatenning parameters: %w", err)
	}
	out := make(map[string]string, len(flat))
	for k, v := range flat {
		out[k] = fmt.Sprintf("%v", v)
	}
	return out, nil
}

func normalizeForFlatten(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch x := v.(type) {
		case map[string]string:
			inner := make(map[string]any, len(x))
			for ik, iv := range x {
				inner[ik] = iv
			}
			out[k] = inner
		case map[string]any:
			out[k] = normalizeForFlatten(x)
		default:
			out[k] = v
		}
	}
	return out
}

// selector is a generator's label selector over flattened parameters
// (utils/selector.go): matchLabels and matchExpressions with In, NotIn,
// Exists and DoesNotExist, keys validated as label keys, values free.
type selector []requirement

type requirement struct {
	key, op string
	values  []string
}

func parseSelector(v any) (selector, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a mapping")
	}
	labels, err := mapAt(m, "matchLabels")
	if err != nil {
		return nil, err
	}
	exprs, ok := m["matchExpressions"].([]any)
	if !ok && m["matchExpressions"] != nil {
		return nil, errors.New("matchExpressions is not a list")
	}
	sel := selector{}
	for k, v := range labels {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("matchLabels.%s is %s, not a string", k, describe(v))
		}
		if errs := validation.IsQualifiedName(k); len(errs) != 0 {
			return nil, fmt.Errorf("matchLabels key %q: %v", k, errs)
		}
		sel = append(sel, requirement{key: k, op: "In", values: []string{s}})
	}
	for i, e := range exprs {
		em, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("matchExpressions[%d] is not a mapping", i)
		}
		key, _ := em["key"].(string)
		op, _ := em["operator"].(string)
		values, err := stringsAt(em, "values")
		if err != nil {
			return nil, fmt.Errorf("matchExpressions[%d].%w", i, err)
		}
		if errs := validation.IsQualifiedName(key); len(errs) != 0 {
			return nil, fmt.Errorf("matchExpressions[%d].key %q: %v", i, key, errs)
		}
		switch op {
		case "In", "NotIn":
			if len(values) == 0 {
				return nil, fmt.Errorf("matchExpressions[%d]: for 'in', 'notin' operators, values set can't be empty", i)
			}
		case "Exists", "DoesNotExist":
			if len(values) != 0 {
				return nil, fmt.Errorf("matchExpressions[%d]: values set must be empty for exists and does not exist", i)
			}
		default:
			return nil, fmt.Errorf("%q is not a valid pod selector operator", op)
		}
		sel = append(sel, requirement{key: key, op: op, values: values})
	}
	return sel, nil
}

func (s selector) matches(flat map[string]string) bool {
	for _, req := range s {
		v, has := flat[req.key]
		ok := false
		switch req.op {
		case "In":
			ok = has && slices.Contains(req.values, v)
		case "NotIn":
			ok = !has || !slices.Contains(req.values, v)
		case "Exists":
			ok = has
		case "DoesNotExist":
			ok = !has
		}
		if !ok {
			return false
		}
	}
	return true
}
