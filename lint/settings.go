package lint

import (
	"fmt"
	"path/filepath"

	"github.com/hookguard/hookguard/internal/app"
	"github.com/hookguard/hookguard/internal/config"
	"github.com/hookguard/hookguard/internal/finding"
	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/internal/pathglob"
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
