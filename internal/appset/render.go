package appset

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"github.com/gosimple/slug"
	"github.com/valyala/fasttemplate"
	"sigs.k8s.io/yaml"
)

// renderer substitutes parameters into strings the way Argo CD's
// applicationset/utils.Render.Replace does (utils.go, Replace): Go's
// text/template with sprig when goTemplate is set, fasttemplate's
// "{{ name }}" otherwise.
type renderer struct {
	goTemplate bool
	options    []string // goTemplateOptions, such as missingkey=error
	// parsed keeps each Go template parsed once per expansion (with the
	// same options); nil parses every time.
	parsed map[string]*template.Template
}

// funcs is sprig's generic function map less the functions that would let a
// template read the controller's environment, plus Argo CD's own
// (utils.go, init; template_functions.go).
var funcs = func() template.FuncMap {
	m := sprig.GenericFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["normalize"] = sanitizeName
	m["slugify"] = slugify
	m["toYaml"] = toYAML
	m["fromYaml"] = fromYAML
	m["fromYamlArray"] = fromYAMLArray
	return m
}()

// base is parsed once and cloned per string, as Argo CD does; its name
// appears in template errors ("template: base:1:3: ...").
var base = template.New("base").Funcs(funcs)

// templated is Argo CD's test for fasttemplate mode (utils.go,
// isTemplatedRegex): "." does not match a newline, so "{{" and "}}" must
// share a line for the string to be rendered at all.
var templated = regexp.MustCompile(".*{{.*}}.*")

// replace renders one string with params.
func (r renderer) replace(s string, params map[string]any) (string, error) {
	return replaceWith(s, params, r.goTemplate, r.options, r.parsed)
}

func replaceWith(s string, params map[string]any, goTemplate bool, options []string, cache map[string]*template.Template) (string, error) {
	if goTemplate {
		// Text without "{{" has no action: text/template writes it as it
		// is, so skip the parse.
		if !strings.Contains(s, "{{") {
			return s, nil
		}
		parsed := cache[s]
		if parsed == nil {
			t, err := base.Clone()
			if err != nil {
				return "", err
			}
			for _, o := range options {
				if err := setOption(t, o); err != nil {
					return "", err
				}
			}
			t = withTpl(t)
			if parsed, err = t.Parse(s); err != nil {
				return "", fmt.Errorf("failed to parse template %s: %w", s, err)
			}
			if cache != nil {
				cache[s] = parsed
			}
		}
		var out bytes.Buffer
		if err := parsed.Execute(&out, params); err != nil {
			return "", fmt.Errorf("failed to execute go template %s: %w", s, err)
		}
		return out.String(), nil
	}
	if !templated.MatchString(s) {
		return s, nil
	}
	t, err := fasttemplate.NewTemplate(s, "{{", "}}")
	if err != nil {
		return "", fmt.Errorf("invalid template: %w", err)
	}
	// A tag whose trimmed name is not a string parameter stays as written.
	return t.ExecuteFuncString(func(w io.Writer, tag string) (int, error) {
		name := strings.TrimSpace(tag)
		v, ok := params[name].(string)
		if name == "" || !ok {
			return fmt.Fprintf(w, "{{%s}}", tag)
		}
		return io.WriteString(w, v)
	}), nil
}

// setOption applies a goTemplateOptions entry. text/template panics on an
// option it does not know; Argo CD's controller would too, so the
// ApplicationSet cannot render: say so instead of crashing.
func setOption(t *template.Template, o string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("goTemplateOptions: %v", p)
		}
	}()
	t.Option(o)
	return nil
}

// tplDepth is Argo CD's bound on nested tpl calls
// (template_functions.go, TPL_FUNC_MAX_RECURSION_DEPTH).
const tplDepth = 3

// withTpl binds "tpl" to t itself, after its options are set, so a nested
// template has the same options and functions (template_functions.go,
// withTplFunc and tplFun).
func withTpl(t *template.Template) *template.Template {
	depth := 0
	return t.Funcs(template.FuncMap{"tpl": func(text string, vals any) (string, error) {
		depth++
		defer func() { depth-- }()
		if depth > tplDepth {
			return "", fmt.Errorf("maximum recursion depth %d exceeded in tpl function", tplDepth)
		}
		c, err := t.Clone()
		if err != nil {
			return "", fmt.Errorf("cannot clone template: %w", err)
		}
		c, err = c.New(t.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var out strings.Builder
		if err := c.Execute(&out, vals); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(out.String(), "<no value>", ""), nil
	}})
}

var invalidDNSChars = regexp.MustCompile("[^-a-z0-9.]")

// sanitizeName is Argo CD's "normalize" and basenameNormalized
// (template_functions.go, SanitizeName): lower case, characters outside
// [-a-z0-9.] become "-", at most 253 bytes, no leading or trailing - or .
func sanitizeName(name string) string {
	name = invalidDNSChars.ReplaceAllString(strings.ToLower(name), "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

// slugMu guards gosimple/slug's package settings, which Argo CD sets on
// every call (utils.go, SlugifyName).
var slugMu sync.Mutex

// slugify takes [maxSize int] [smartTruncate bool] name, the last argument
// always the name. Wrong types panic, which text/template reports as an
// error of the call, as in Argo CD.
func slugify(args ...any) string {
	size, smart, name := 50, true, ""
	for i, a := range args {
		switch i {
		case len(args) - 1:
			name = a.(string)
		case 0:
			size = a.(int)
		case 1:
			smart = a.(bool)
		}
	}
	slugMu.Lock()
	defer slugMu.Unlock()
	slug.EnableSmartTruncate = smart
	slug.MaxLength = size
	return slug.Make(sanitizeName(name))
}

func toYAML(v any) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(s string) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(s string) ([]any, error) {
	a := []any{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// deep renders every string of v, map keys included, as Argo CD's
// deeplyReplace does over the typed Application (utils.go): map entries
// whose value is null are dropped; list items are kept as they are.
func (r renderer) deep(v any, params map[string]any) (any, error) {
	switch x := v.(type) {
	case string:
		return r.replace(x, params)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if val == nil {
				continue
			}
			nv, err := r.deep(val, params)
			if err != nil {
				return nil, err
			}
			nk, err := r.replace(k, params)
			if err != nil {
				return nil, err
			}
			out[nk] = nv
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			nv, err := r.deep(item, params)
			if err != nil {
				return nil, err
			}
			out[i] = nv
		}
		return out, nil
	default:
		return v, nil
	}
}
