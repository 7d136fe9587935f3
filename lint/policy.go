package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/hookguard/hookguard/rules"
)

// Severity of a finding. The order matters: error > warning > info.
type Severity string

const (
	SeverityInfo    Severity = "info"
	SeverityWarning Severity = "warning"
	SeverityError   Severity = "error"
)

// Severities lists the valid severities, lowest first.
var Severities = []Severity{SeverityInfo, SeverityWarning, SeverityError}

// Rank orders severities; an unknown one ranks below info.
func (s Severity) Rank() int {
	for i, x := range Severities {
		if x == s {
			return i
		}
	}
	return -1
}

// ParseSeverity accepts info, warning (or warn) and error.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info":
		return SeverityInfo, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "error":
		return SeverityError, nil
	}
	return "", fmt.Errorf("invalid severity %q: want one of info, warning, error", s)
}

// Rule is one entry of the catalog, read from a rule's METADATA block.
type Rule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	Category    string   `json:"category"`
	// Builtin is false for rules loaded with --policy.
	Builtin bool `json:"builtin"`
	// File is the Rego file the rule is defined in.
	File string `json:"file"`
	// ref is the Rego reference of the rule's package.
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
	return parseFS(rules.FS, ".", "rules/", true, withTests)
}

// customModules parses every .rego file below the given directories.
func customModules(dirs []string) ([]module, error) {
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
		mods, err := parseFS(os.DirFS(root), base, root+string(filepath.Separator), false, false)
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

func parseFS(fsys fs.FS, root, prefix string, builtin, withTests bool) ([]module, error) {
	var out []module
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || path.Ext(p) != ".rego" {
			return nil
		}
		if strings.HasSuffix(p, "_test.rego") && !withTests {
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(prefix + p)
		if !builtin {
			name = filepath.Join(strings.TrimSuffix(prefix, string(filepath.Separator)), p)
		}
		m, err := ast.ParseModuleWithOpts(name, string(src), parserOptions)
		if err != nil {
			return fmt.Errorf("policy does not parse: %w", err)
		}
		out = append(out, module{file: name, builtin: builtin, mod: m})
		return nil
	})
	return out, err
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
func catalog(mods []module) ([]Rule, error) {
	var out []Rule
	var errs []error
	seen := map[string]string{}
	add := func(r Rule) {
		if prev, dup := seen[r.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: rule id %q is already defined in %s", r.File, r.ID, prev))
			return
		}
		seen[r.ID] = r.File
		out = append(out, r)
	}
	for _, m := range mods {
		pkg := m.mod.Package.Path.String()
		if strings.HasPrefix(pkg, "data.hookguard.lib") {
			continue
		}
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
			continue // generated or reserved
		}
		names := map[string]bool{}
		for _, rule := range m.mod.Rules {
			name := rule.Head.Name.String()
			if len(rule.Head.Reference) > 0 {
				name = rule.Head.Reference[0].Value.String()
			}
			if conftestPattern.MatchString(name) && !names[name] {
				names[name] = true
				sev := SeverityError
				if strings.HasPrefix(name, "warn") {
					sev = SeverityWarning
				}
				id := strings.TrimPrefix(pkg, "data.") + "." + name
				add(Rule{ID: id, Title: id, Description: "conftest-style rule " + name + " in package " + strings.TrimPrefix(pkg, "data."),
					Severity: sev, Category: "custom", File: m.file, ref: pkg + "." + name, conftest: true})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, errors.Join(errs...)
}

// hookguardRule reads the METADATA of a rule package. Test packages and
// packages without a report rule are not rules (nil).
func hookguardRule(m module) (*Rule, error) {
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
		return strings.TrimSpace(s), nil
	}
	for key := range meta.Custom {
		if key != "id" && key != "severity" && key != "remediation" {
			return nil, fmt.Errorf("%s: METADATA custom.%s is not a known key (id, severity, remediation)", loc, key)
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
	sev, err := ParseSeverity(sevText)
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
	return &Rule{
		ID: id, Title: meta.Title, Description: strings.TrimSpace(meta.Description), Severity: sev,
		Remediation: remediation, Category: category, Builtin: m.builtin, File: m.file, ref: path.String(),
	}, nil
}
