package lint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hookguard/hookguard/internal/confine"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/pool"
	"github.com/hookguard/hookguard/rules"
)

// ruleEntry is a catalog entry and where the engine finds its results.
type ruleEntry struct {
	finding.Rule
	// ref is the Rego reference of the rule's package (or conftest rule).
	ref string
	// conftest marks deny/warn/violation rules evaluated per object.
	conftest bool
}

// module is one parsed Rego file.
type module struct {
	file    string
	builtin bool
	mod     *ast.Module
}

var parserOptions = ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1}

// builtinModules parses the embedded catalog. Tests are left out unless asked.
func builtinModules(withTests bool) ([]module, error) {
	mods, err := parseFS(rules.FS, ".", "rules/", true, withTests)
	if err != nil {
		return nil, err
	}
	m, err := ast.ParseModuleWithOpts(argocdFile, argocdModule(), parserOptions)
	if err != nil {
		return nil, fmt.Errorf("internal: %s: %w", argocdFile, err)
	}
	return append(mods, module{file: argocdFile, builtin: true, mod: m}), nil
}

// customModules parses every .rego file below the given directories.
func customModules(dirs []string) ([]module, error) { return policyModules(dirs, false) }

// policyModules is customModules, with the _test.rego files when asked.
func policyModules(dirs []string, withTests bool) ([]module, error) {
	var out []module
	for _, dir := range dirs {
		info, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		}
		root, base := dir, "."
		if !info.IsDir() {
			root, base = filepath.Dir(dir), filepath.Base(dir)
		}
		confined, err := confine.New(root)
		if err != nil {
			return nil, fmt.Errorf("policy directory: %w", err)
		}
		mods, err := parseFS(confinedFS{FS: os.DirFS(root), root: confined}, base, root+string(filepath.Separator), false, withTests)
		if err != nil {
			return nil, err
		}
		if len(mods) == 0 {
			return nil, fmt.Errorf("policy directory %s: no .rego files found", dir)
		}
		out = append(out, mods...)
	}
	return out, nil
}

// confinedFS reads a policy directory without following a link out of it,
// and only regular files.
type confinedFS struct {
	fs.FS
	root confine.Root
}

func (c confinedFS) ReadFile(name string) ([]byte, error) {
	return c.root.ReadFile(filepath.Join(c.root.Dir(), filepath.FromSlash(name)))
}

func parseFS(fsys fs.FS, root, prefix string, builtin, withTests bool) ([]module, error) {
	type source struct {
		name string
		src  []byte
	}
	var srcs []source
	// A file that cannot be read ends the walk; its error comes after the
	// parse errors of the files before it, as when each file was parsed as
	// it was read.
	var walkErr error
	_ = fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			walkErr = err
			return fs.SkipAll
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		if strings.HasSuffix(p, "_test.rego") && !withTests {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			walkErr = err
			return fs.SkipAll
		}
		name := filepath.ToSlash(prefix + p)
		if !builtin {
			name = filepath.Join(strings.TrimSuffix(prefix, string(filepath.Separator)), p)
		}
		srcs = append(srcs, source{name, src})
		return nil
	})
	// Parsed on every processor; the first file's error in walk order wins.
	out := make([]module, len(srcs))
	errs := make([]error, len(srcs))
	pool.Chunks(len(srcs), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m, err := ast.ParseModuleWithOpts(srcs[i].name, string(srcs[i].src), parserOptions)
			if err != nil {
				errs[i] = fmt.Errorf("policy does not parse: %w", withoutSource(err))
				continue
			}
			out[i] = module{file: srcs[i].name, builtin: builtin, mod: m}
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if walkErr != nil {
		return nil, walkErr
	}
	return out, nil
}

const rulesPrefix = "data.hookguard.rules."

var (
	idPattern       = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	conftestPattern = regexp.MustCompile(`^(deny|violation|warn)(_[a-zA-Z0-9_]+)*$`)
)

// catalog reads the rules out of parsed modules: a hookguard rule is a package
// data.hookguard.rules.<category>["<id>"] with a METADATA block and a
// "report" rule; a conftest rule is a deny/violation/warn rule in any other
// package. Every problem is collected, so one run names them all.
func catalog(mods []module) ([]ruleEntry, error) {
	var out []ruleEntry
	var errs []error
	seen := map[string]string{}
	add := func(r ruleEntry) {
		if prev, dup := seen[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule id %q is already defined in %s", r.File, r.ID, prev))
			return
		}
		seen[r.ID] = r.File
		out = append(out, r)
	}
	for _, m := range mods {
		pkg := m.mod.Package.Path.String()
		if strings.HasPrefix(pkg, rulesPrefix) {
			r, err := hookguardRule(m)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if r != nil {
				add(*r)
			}
			continue
		}
		if strings.HasPrefix(pkg, "data.hookguard.") {
			continue // the library, generated or reserved
		}
		names := map[string]bool{}
		for _, rule := range m.mod.Rules {
			name := rule.Head.Name.String()
			if len(rule.Head.Reference) > 0 {
				name = rule.Head.Reference[0].Value.String()
			}
			if conftestPattern.MatchString(name) && !names[name] {
				names[name] = true
				sev := finding.SeverityError
				if strings.HasPrefix(name, "warn") {
					sev = finding.SeverityWarning
				}
				id := strings.TrimPrefix(pkg, "data.") + "." + name
				add(ruleEntry{Rule: finding.Rule{ID: id, Title: id, Description: "conftest-style rule " + name + " in package " + strings.TrimPrefix(pkg, "data."),
					Severity: sev, Category: "custom", File: m.file, Scope: finding.ScopeObject}, ref: pkg + "." + name, conftest: true})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if err := checkParameters(out); err != nil {
		errs = append(errs, err)
	}
	if err := checkPlaceholders(out); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// metadataKeys are the custom METADATA keys of a rule.
var metadataKeys = []string{"id", "severity", "remediation", "scope", "kinds", "parameters"}

// hookguardRule reads the METADATA of a rule package. Test packages are not
// rules (nil).
func hookguardRule(m module) (*ruleEntry, error) {
	path := m.mod.Package.Path
	if len(path) != 5 { // data.hookguard.rules.<category>["<id>"]
		return nil, fmt.Errorf("%s: package %s: want hookguard.rules.<category>[\"<rule-id>\"]", m.file, path)
	}
	category := strings.Trim(path[3].Value.String(), `"`)
	id := strings.Trim(path[4].Value.String(), `"`)
	if strings.HasSuffix(id, "_test") {
		return nil, nil
	}
	hasReport := false
	for _, r := range m.mod.Rules {
		if r.Head.Name.String() == "report" || (len(r.Head.Reference) > 0 && r.Head.Reference[0].Value.String() == "report") {
			hasReport = true
		}
	}
	if !hasReport {
		return nil, fmt.Errorf("%s: package %s has no report rule", m.file, path)
	}
	var meta *ast.Annotations
	for _, a := range m.mod.Annotations {
		if a.Scope == "package" {
			meta = a
		}
	}
	loc := fmt.Sprintf("%s:%d", m.file, m.mod.Package.Location.Row)
	if meta == nil {
		return nil, fmt.Errorf("%s: rule package has no METADATA block", loc)
	}
	str := func(key string) (string, error) {
		v, ok := meta.Custom[key]
		if !ok {
			return "", fmt.Errorf("%s: METADATA custom.%s is missing", loc, key)
		}
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return "", fmt.Errorf("%s: METADATA custom.%s must be a non-empty string", loc, key)
		}
		return expandVersions(strings.TrimSpace(s)), nil
	}
	for key := range meta.Custom {
		if !slices.Contains(metadataKeys, key) {
			return nil, fmt.Errorf("%s: METADATA custom.%s is not a known key (%s)", loc, key, strings.Join(metadataKeys, ", "))
		}
	}
	metaID, err := str("id")
	if err != nil {
		return nil, err
	}
	if metaID != id {
		return nil, fmt.Errorf("%s: METADATA custom.id %q does not match the package's rule id %q", loc, metaID, id)
	}
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("%s: rule id %q must be lower-case words joined by dashes", loc, id)
	}
	sevText, err := str("severity")
	if err != nil {
		return nil, err
	}
	sev, err := finding.ParseSeverity(sevText)
	if err != nil {
		return nil, fmt.Errorf("%s: METADATA custom.severity: %w", loc, err)
	}
	remediation, err := str("remediation")
	if err != nil {
		return nil, err
	}
	if meta.Title == "" {
		return nil, fmt.Errorf("%s: METADATA title is missing", loc)
	}
	r := finding.Rule{
		ID: id, Title: expandVersions(meta.Title), Description: expandVersions(strings.TrimSpace(meta.Description)), Severity: sev,
		Remediation: remediation, Category: category, Builtin: m.builtin, File: m.file, Scope: finding.ScopeObject,
	}
	if _, ok := meta.Custom["scope"]; ok {
		scope, err := str("scope")
		if err != nil {
			return nil, err
		}
		if scope != string(finding.ScopeObject) && scope != string(finding.ScopeApp) {
			return nil, fmt.Errorf("%s: METADATA custom.scope %q: want object or app", loc, scope)
		}
		r.Scope = finding.Scope(scope)
	}
	if r.Kinds, err = kinds(meta.Custom["kinds"]); err != nil {
		return nil, fmt.Errorf("%s: METADATA custom.kinds: %w", loc, err)
	}
	if r.Parameters, err = parameters(meta.Custom["parameters"]); err != nil {
		return nil, fmt.Errorf("%s: METADATA custom.parameters: %w", loc, err)
	}
	r.HelpURI = DocURL(r)
	if len(meta.RelatedResources) > 0 && meta.RelatedResources[0].Ref.String() != "" {
		r.HelpURI = meta.RelatedResources[0].Ref.String() // a custom rule's own page
	}
	return &ruleEntry{Rule: r, ref: path.String()}, nil
}

func kinds(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of kinds, got %v", v)
	}
	var out []string
	for _, k := range list {
		s, ok := k.(string)
		if !ok || s == "" {
			return nil, fmt.Errorf("want a list of kinds, got %v", v)
		}
		out = append(out, s)
	}
	return out, nil
}

// parameterTypes are the types a rule parameter may have.
var parameterTypes = []string{"integer", "string", "boolean"}

func parameters(v any) ([]finding.Parameter, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a mapping of parameter names, got %v", v)
	}
	var out []finding.Parameter
	for _, name := range slices.Sorted(maps.Keys(m)) {
		decl, ok := m[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want {type, default, description}", name)
		}
		p := finding.Parameter{Name: name, Default: decl["default"]}
		p.Type, _ = decl["type"].(string)
		p.Description, _ = decl["description"].(string)
		if !slices.Contains(parameterTypes, p.Type) {
			return nil, fmt.Errorf("%s: type %q: want one of %s", name, p.Type, strings.Join(parameterTypes, ", "))
		}
		if p.Description == "" {
			return nil, fmt.Errorf("%s: description is missing", name)
		}
		def, err := checkParameter(p, p.Default)
		if err != nil {
			return nil, fmt.Errorf("%s: default: %w", name, err)
		}
		p.Default = def
		out = append(out, p)
	}
	return out, nil
}

// checkParameter checks a value against a parameter's type and returns it
// in the form Rego input takes.
func checkParameter(p finding.Parameter, v any) (any, error) {
	switch p.Type {
	case "integer":
		var n int
		switch x := v.(type) {
		case int:
			n = x
		case int64:
			n = int(x)
		case float64:
			if x != float64(int(x)) {
				return nil, fmt.Errorf("%v is not an integer", v)
			}
			n = int(x)
		case json.Number:
			i, err := x.Int64()
			if err != nil {
				return nil, fmt.Errorf("%v is not an integer", v)
			}
			n = int(i)
		default:
			return nil, fmt.Errorf("%v is not an integer", v)
		}
		if n < 0 {
			return nil, errors.New("must not be negative")
		}
		return n, nil
	case "string":
		if s, ok := v.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("%v is not a string", v)
	case "boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("%v is not true or false", v)
	}
	return nil, fmt.Errorf("unknown type %q", p.Type)
}

// checkParameters: rules that share a parameter must declare it alike.
func checkParameters(rules []ruleEntry) error {
	first := map[string]ruleEntry{}
	var errs []error
	for _, r := range rules {
		for _, p := range r.Parameters {
			prev, ok := first[p.Name]
			if !ok {
				first[p.Name] = r
				continue
			}
			for _, q := range prev.Parameters {
				if q.Name == p.Name && (q.Type != p.Type || fmt.Sprint(q.Default) != fmt.Sprint(p.Default)) {
					errs = append(errs, fmt.Errorf("%s: parameter %s is declared differently in %s", r.File, p.Name, prev.File))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// withoutSource drops the source lines OPA quotes under a parse error: a
// policy file may hold anything, and errors end up in CI logs and in the
// Argo CD UI. The file, line and message stay.
func withoutSource(err error) error {
	var errs ast.Errors
	if !errors.As(err, &errs) {
		return err
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Message
		if e.Location != nil {
			lines[i] = fmt.Sprintf("%s:%d: %s", e.Location.File, e.Location.Row, e.Message)
		}
	}
	return errors.New(strings.Join(lines, "\n"))
}
