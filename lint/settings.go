package lint

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/pathglob"
	"github.com/hookguard/hookguard/internal/suggest"
)

// Settings are a run's settings: how the app is analyzed, which rules run
// and how, and the lowest severity that fails the run.
type Settings struct {
	App    app.Settings
	Rules  Options
	FailOn finding.Severity
	// Ignore are the configuration's ignore globs, relative to its file.
	Ignore *pathglob.Set
}

// DefaultSettings check the newest Argo CD behaviour, fail on warnings, and
// leave every rule at its defaults.
func DefaultSettings() Settings {
	return Settings{App: app.Settings{Version: hooks.Latest}, FailOn: finding.SeverityWarning,
		Rules: Options{Disabled: map[string]bool{}, Severity: map[string]finding.Severity{}, Settings: map[string]Setting{}}}
}

// FromConfig turns .hookguard.yaml into settings: the one place where
// configuration becomes lint options. Errors name the file. Rule ids and
// parameters are checked against the catalog when the engine runs.
func FromConfig(f *config.File) (Settings, error) {
	s := DefaultSettings()
	where := func(err error) error {
		if f.Path == "" {
			return err
		}
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if f.ArgoCDVersion != "" {
		v, err := hooks.ParseVersion(f.ArgoCDVersion)
		if err != nil {
			return s, where(fmt.Errorf("argocdVersion: %w", err))
		}
		s.App.Version = v
	}
	if f.WholeApp != nil {
		s.App.Complete = *f.WholeApp
	}
	if f.FailOn != "" {
		sev, err := finding.ParseSeverity(f.FailOn)
		if err != nil {
			return s, where(fmt.Errorf("failOn: %w", err))
		}
		s.FailOn = sev
	}
	if len(f.Ignore) > 0 {
		base := "."
		if f.Path != "" {
			base = filepath.Dir(f.Path)
		}
		set, err := pathglob.New(base, f.Ignore)
		if err != nil {
			return s, where(fmt.Errorf("ignore: %w", err))
		}
		s.Ignore = set
	}
	for name, node := range f.Settings {
		var v any
		if err := node.Decode(&v); err != nil {
			return s, where(fmt.Errorf("settings.%s: %w", name, err))
		}
		at := ""
		if f.Path != "" {
			at = fmt.Sprintf("%s:%d", f.Path, node.Line)
		}
		s.Rules.Settings[name] = Setting{Value: v, Where: at}
	}
	for id, r := range f.Rules {
		if r.Enabled != nil && !*r.Enabled {
			s.Rules.Disabled[id] = true
		}
		if r.Severity != "" {
			sev, err := finding.ParseSeverity(r.Severity)
			if err != nil {
				return s, where(fmt.Errorf("rules.%s.severity: %w", id, err))
			}
			s.Rules.Severity[id] = sev
		}
	}
	return s, nil
}

// Select applies --enable and --disable to the rule options: an enabled
// rule runs even when the configuration disables it. An unknown id is an
// error naming the closest known ids.
func (e *Engine) Select(opts *Options, enable, disable []string) error {
	for _, id := range append(slices.Clone(enable), disable...) {
		if _, ok := e.byID[id]; !ok {
			return e.unknownRule(id)
		}
	}
	if opts.Disabled == nil {
		opts.Disabled = map[string]bool{}
	}
	for _, id := range enable {
		delete(opts.Disabled, id)
	}
	for _, id := range disable {
		opts.Disabled[id] = true
	}
	return nil
}

// IDs are the rule ids of the catalog, sorted.
func (e *Engine) IDs() []string {
	ids := make([]string, 0, len(e.rules))
	for _, r := range e.rules {
		ids = append(ids, r.ID)
	}
	return ids
}

func (e *Engine) unknownRule(id string) error {
	if hint := suggest.DidYouMean(id, e.IDs()); hint != "" {
		return fmt.Errorf("unknown rule %q%s (hookguard rules lists them all)", id, hint)
	}
	return fmt.Errorf("unknown rule %q; known rules: %s", id, strings.Join(e.IDs(), ", "))
}

// RulesWith is the catalog with each remediation written for the run's
// settings: {settings.<name>} in METADATA text reads the configured value.
func (e *Engine) RulesWith(opts Options) []finding.Rule {
	values := map[string]any{}
	for _, r := range e.rules {
		for _, p := range r.Parameters {
			values[p.Name] = p.Default
			if s, ok := opts.Settings[p.Name]; ok {
				if v, err := checkParameter(p, s.Value); err == nil {
					values[p.Name] = v
				}
			}
		}
	}
	out := e.Rules()
	for i := range out {
		out[i].Remediation = expandSettings(e.rules[i].Remediation, values)
	}
	return out
}

var settingPlaceholder = regexp.MustCompile(`\{settings\.([A-Za-z][A-Za-z0-9]*)\}`)

// expandSettings fills {settings.<name>} from parameter values; values
// holds every declared parameter (checkPlaceholders makes sure).
func expandSettings(text string, values map[string]any) string {
	return settingPlaceholder.ReplaceAllStringFunc(text, func(m string) string {
		if v, ok := values[settingPlaceholder.FindStringSubmatch(m)[1]]; ok {
			return fmt.Sprint(v)
		}
		return m
	})
}

// checkPlaceholders: a rule's text may name only parameters it declares.
func checkPlaceholders(rules []ruleEntry) error {
	var errs []error
	for _, r := range rules {
		for _, text := range []string{r.Title, r.Description, r.Remediation} {
			for _, m := range settingPlaceholder.FindAllStringSubmatch(text, -1) {
				if !slices.ContainsFunc(r.Parameters, func(p finding.Parameter) bool { return p.Name == m[1] }) {
					errs = append(errs, fmt.Errorf("%s: METADATA names {settings.%s}, which the rule does not declare under parameters", r.File, m[1]))
				}
			}
		}
	}
	return errors.Join(errs...)
}
