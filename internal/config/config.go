// Package config reads .hookguard.yaml.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/hookguard/hookguard/internal/hooks"
	"github.com/hookguard/hookguard/lint"
)

// FileName is the configuration file looked for upward from the linted path.
const FileName = ".hookguard.yaml"

// File is the content of .hookguard.yaml. Unknown keys are errors.
type File struct {
	// ArgoCDVersion is the Argo CD version whose behaviour is checked (default: newest).
	ArgoCDVersion string `yaml:"argocdVersion"`
	// FailOn is the lowest severity that fails the run: info, warning (default) or error.
	FailOn string `yaml:"failOn"`
	// WholeApp says the linted files are a whole application.
	WholeApp *bool `yaml:"wholeApp"`
	// Settings are rule thresholds.
	Settings Settings `yaml:"settings"`
	// Rules enables, disables and re-grades rules by id.
	Rules map[string]Rule `yaml:"rules"`
	// Policies are directories of custom Rego rules, relative to the file.
	Policies []string `yaml:"policies"`

	// Path is where the file was read from ("" when none was found).
	Path string `yaml:"-"`
}

// Settings are the rule thresholds.
type Settings struct {
	// MaxBackoffLimit is the highest backoffLimit hook-backoff-limit accepts (default 3).
	MaxBackoffLimit *int `yaml:"maxBackoffLimit"`
}

// Rule configures one rule.
type Rule struct {
	Enabled  *bool  `yaml:"enabled"`
	Severity string `yaml:"severity"`
}

// Find looks for FileName in dir and its parents. It returns "" when there is none.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		abs = filepath.Dir(abs)
	}
	for {
		p := filepath.Join(abs, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs = parent
	}
}

var lineRe = regexp.MustCompile(`line (\d+): (.*)`)

// Load reads and checks a configuration file. Errors name the file and line.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes configuration; path is used in errors and to resolve policies.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) {
		var msgs []string
		for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "yaml: "), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || line == "unmarshal errors:" {
				continue
			}
			if m := lineRe.FindStringSubmatch(line); m != nil {
				msgs = append(msgs, fmt.Sprintf("%s:%s: %s", path, m[1], strings.ReplaceAll(m[2], "config.", "")))
			} else {
				msgs = append(msgs, fmt.Sprintf("%s: %s", path, line))
			}
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	for i, p := range f.Policies {
		if !filepath.IsAbs(p) {
			f.Policies[i] = filepath.Join(filepath.Dir(path), p)
		}
	}
	return f, nil
}

// Options turns the file into lint options. Rule ids are checked by the
// engine, which knows the catalog.
func (f *File) Options() (lint.Options, error) {
	opts := lint.DefaultOptions()
	where := func(err error) error {
		if f.Path == "" {
			return err
		}
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if f.ArgoCDVersion != "" {
		v, err := hooks.ParseVersion(f.ArgoCDVersion)
		if err != nil {
			return opts, where(fmt.Errorf("argocdVersion: %w", err))
		}
		opts.Version = v
	}
	if f.WholeApp != nil {
		opts.WholeApp = *f.WholeApp
	}
	if f.Settings.MaxBackoffLimit != nil {
		if *f.Settings.MaxBackoffLimit < 0 {
			return opts, where(fmt.Errorf("settings.maxBackoffLimit must not be negative"))
		}
		opts.MaxBackoffLimit = *f.Settings.MaxBackoffLimit
	}
	opts.Disabled = map[string]bool{}
	opts.Severity = map[string]lint.Severity{}
	for id, r := range f.Rules {
		if r.Enabled != nil && !*r.Enabled {
			opts.Disabled[id] = true
		}
		if r.Severity != "" {
			s, err := lint.ParseSeverity(r.Severity)
			if err != nil {
				return opts, where(fmt.Errorf("rules.%s.severity: %w", id, err))
			}
			opts.Severity[id] = s
		}
	}
	return opts, nil
}

// FailOnSeverity is the configured fail-on severity, warning by default.
func (f *File) FailOnSeverity() (lint.Severity, error) {
	if f.FailOn == "" {
		return lint.SeverityWarning, nil
	}
	s, err := lint.ParseSeverity(f.FailOn)
	if err != nil && f.Path != "" {
		return s, fmt.Errorf("%s: failOn: %w", f.Path, err)
	}
	return s, err
}
